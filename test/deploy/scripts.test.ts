import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY, filesUnder, REPO, run, SCRIPTS } from './support.js';

// Executables (the sourced library is linted through them and on its own, but has no `set`).
const SHELL_FILES = [...filesUnder(SCRIPTS, /\.sh$/).filter((f) => !f.includes('/lib/')), join(DEPLOY, 'install.sh')];
const script = (name: string): string => join(SCRIPTS, name);
const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

/** A scratch FFE_ROOT holding copies of the env examples (the scripts never touch the checkout). */
function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'ffe-scripts-'));
  for (const e of ['dev', 'staging', 'production']) copyFileSync(join(REPO, `.env.${e}.example`), join(root, `.env.${e}.example`));
  return root;
}

describe('shell scripts: lint and bad arguments', () => {
  it('every script is shellcheck-clean (following the shared library), parses with bash -n and sets -euo pipefail', () => {
    expect(SHELL_FILES.length).toBe(8);
    const r = run('shellcheck', ['-x', '--severity=info', ...SHELL_FILES, join(SCRIPTS, 'lib/common.sh')]);
    expect([r.code, r.stdout]).toEqual([0, '']);
    for (const f of SHELL_FILES) {
      expect(run('bash', ['-n', f]).code, f).toBe(0);
      expect(readFileSync(f, 'utf8'), f).toContain('set -euo pipefail');
      expect(mode(f), f).toMatch(/7[57][57]/);
    }
  });

  // Each script, each bad call: exit 2, the reason, then the usage.
  const badCalls: [string, string[], RegExp][] = [
    ['deploy.sh', [], /expected an environment and an action/],
    ['deploy.sh', ['prod', 'up'], /unknown environment: prod/],
    ['deploy.sh', ['staging', 'start'], /unknown action: start/],
    ['build.sh', ['qa'], /unknown target: qa/],
    ['build.sh', ['dev', 'x'], /too many arguments/],
    ['setup.sh', ['qa'], /unknown environment: qa/],
    ['backup.sh', [], /expected local or an environment/],
    ['backup.sh', ['local', '--out'], /--out needs a directory/],
    ['backup.sh', ['local', '--keep'], /unknown argument: --keep/],
    ['restore.sh', ['local'], /expected a target and a backup file/],
    ['restore.sh', ['local', 'f.tar', '--yes'], /unknown argument: --yes/],
    ['rollout.sh', ['staging', 'bad tag!'], /not an image tag/],
    ['wait-ready.sh', ['localhost:8000/ready'], /URL must start with http/],
    ['wait-ready.sh', ['http://127.0.0.1:1/ready', 'soon'], /whole number/],
  ];
  it.each(badCalls)('%s %j: exit 2 with the reason and the usage', (name, args, reason) => {
    const r = run(script(name), args, { env: { FFE_ROOT: scratchRoot() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).toContain(`usage: ${name}`);
    expect(r.stdout).toBe('');
  });

  it('--help prints the usage and exits 0; install.sh rejects unknown arguments with 2', () => {
    for (const name of ['deploy.sh', 'build.sh', 'setup.sh', 'backup.sh', 'restore.sh', 'rollout.sh']) {
      const r = run(script(name), ['--help']);
      expect([name, r.code, r.stdout.startsWith(`usage: ${name}`)]).toEqual([name, 0, true]);
    }
    const r = run(join(DEPLOY, 'install.sh'), ['--now']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'install.sh: unknown argument: --now']);
  });
});

describe('shell scripts: behaviour', () => {
  it('setup.sh writes .env.<env> mode 600 with generated secrets, and a second run keeps it', () => {
    const root = scratchRoot();
    const r = run(script('setup.sh'), ['staging'], { env: { FFE_ROOT: root } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const file = join(root, '.env.staging');
    expect(mode(file)).toBe('600');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('change-me');
    expect(text).toMatch(/^POSTGRES_PASSWORD=[0-9a-f]{48}$/m);
    expect(text).toMatch(/^FFE_JWT_SECRET=[0-9a-f]{64}$/m);
    expect(text).toMatch(/^TRADING_MODE=paper$/m);
    expect(readFileSync(join(root, 'secrets/prometheus-ffe-key'), 'utf8')).toContain('ffe apikey create');
    const again = run(script('setup.sh'), ['staging'], { env: { FFE_ROOT: root } });
    expect(again.stdout).toContain('kept');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('deploy.sh names the missing env file, and refuses live trading in production without FFE_ALLOW_LIVE=yes', () => {
    const root = scratchRoot();
    const missing = run(script('deploy.sh'), ['production', 'up'], { env: { FFE_ROOT: root } });
    expect([missing.code, missing.stderr.trim()]).toEqual([1, `deploy.sh: ${root}/.env.production is missing: run scripts/setup.sh production first`]);
    writeFileSync(join(root, '.env.production'), 'TRADING_MODE=live\nFFE_ALLOW_LIVE=no\n');
    const live = run(script('deploy.sh'), ['production', 'up'], { env: { FFE_ROOT: root } });
    expect(live.code).toBe(1);
    expect(live.stderr).toContain('TRADING_MODE=live without FFE_ALLOW_LIVE=yes: refusing');
  });

  it('restore.sh refuses a backup file that does not exist before doing anything', () => {
    const r = run(script('restore.sh'), ['local', '/nonexistent/ffe-backup.tar.gz'], { env: { FFE_ROOT: scratchRoot() } });
    expect([r.code, r.stderr.trim()]).toEqual([1, 'restore.sh: no such backup file: /nonexistent/ffe-backup.tar.gz']);
  });

  it('backup.sh local then restore.sh local round-trip a real store through the ffe CLI (dist/)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ffe-backup-scripts-'));
    const ffe = join(REPO, 'bin/ffe.js');
    const env = (home: string): Record<string, string> => ({ FFE_HOME: join(dir, home), FFE_BIN: ffe });
    expect(run(ffe, ['user', 'create', 'alice', '--role', 'admin', '--password-stdin'], { cwd: dir, env: env('h1'), input: 'pw-for-the-backup-test\n' }).code).toBe(0);
    const b = run(script('backup.sh'), ['local', '--out', join(dir, 'out')], { cwd: dir, env: env('h1') });
    expect([b.code, b.stderr]).toEqual([0, '']);
    const file = /^backup written: (.+)$/m.exec(b.stdout)?.[1];
    expect(file).toMatch(new RegExp(`^${dir}/out/ffe-backup-.+\\.tar\\.gz$`));
    expect(b.stdout).toContain(`backup OK: ${file}`);
    // Into an empty data home: the user comes back.
    const r = run(script('restore.sh'), ['local', file!], { cwd: dir, env: env('h2') });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(run(ffe, ['user', 'list', '--json'], { cwd: dir, env: env('h2') }).stdout).toContain('"alice"');
  });

  describe('wait-ready.sh against a real HTTP server', () => {
    let server: Server;
    let url = '';
    let status = 503;
    beforeAll(async () => {
      server = createServer((_req, res) => res.writeHead(status).end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const a = server.address();
      url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/ready`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('fails loudly with the last status when /ready stays 503, succeeds once it answers 200', async () => {
      const waitFor = (timeout: string): Promise<{ code: number | null; out: string }> =>
        new Promise((resolve) => {
          const p = spawn(script('wait-ready.sh'), [url, timeout]);
          let out = '';
          p.stdout.on('data', (d) => (out += d));
          p.stderr.on('data', (d) => (out += d));
          p.on('close', (code) => resolve({ code, out }));
        });
      status = 503;
      const down = await waitFor('1');
      expect([down.code, down.out.trim()]).toEqual([1, `wait-ready.sh: not ready after 1s: ${url} (last status: 503)`]);
      status = 200;
      const up = await waitFor('5');
      expect([up.code, up.out.trim()]).toEqual([0, `ready: ${url}`]);
    });
  });
});

describe('deploy/install.sh (staged into a DESTDIR)', () => {
  /** A minimal built checkout: the install logic under test, not a copy of node_modules. */
  function checkout(): string {
    const src = mkdtempSync(join(tmpdir(), 'ffe-src-'));
    for (const d of ['deploy/systemd', 'config', 'bin', 'dist/src/interfaces/cli']) mkdirSync(join(src, d), { recursive: true });
    copyFileSync(join(DEPLOY, 'install.sh'), join(src, 'deploy/install.sh'));
    copyFileSync(join(DEPLOY, 'systemd/ffe.service'), join(src, 'deploy/systemd/ffe.service'));
    copyFileSync(join(REPO, 'config/config.example.yaml'), join(src, 'config/config.example.yaml'));
    writeFileSync(join(src, 'bin/ffe.js'), '// v1\n');
    writeFileSync(join(src, 'dist/src/interfaces/cli/main.js'), '// built\n');
    return src;
  }

  it('creates the tree with the env file at 600, the unit and logrotate; a re-run upgrades the app and keeps the settings', () => {
    const src = checkout();
    const dest = mkdtempSync(join(tmpdir(), 'ffe-dest-'));
    const first = run('bash', [join(src, 'deploy/install.sh'), '--no-start'], { env: { DESTDIR: dest } });
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(mode(join(dest, 'etc/ffe/ffe.env'))).toBe('600');
    expect(mode(join(dest, 'etc/ffe'))).toBe('750');
    for (const d of ['var/lib/ffe/data', 'var/lib/ffe/backups', 'var/log/ffe']) expect(statSync(join(dest, d)).isDirectory(), d).toBe(true);
    expect(readFileSync(join(dest, 'etc/ffe/ffe.env'), 'utf8')).toMatch(/^TRADING_MODE=paper$/m);
    expect(readFileSync(join(dest, 'etc/systemd/system/ffe.service'), 'utf8')).toBe(readFileSync(join(DEPLOY, 'systemd/ffe.service'), 'utf8'));
    expect(readFileSync(join(dest, 'etc/logrotate.d/ffe'), 'utf8')).toMatch(/\/var\/log\/ffe\/\*\.log \{[^}]*rotate 14[^}]*create 0640 ffe ffe/);
    expect(readFileSync(join(dest, 'opt/ffe/bin/ffe.js'), 'utf8')).toBe('// v1\n');

    // The operator edits the settings (and loosens the mode); an upgrade replaces only the app.
    writeFileSync(join(dest, 'etc/ffe/ffe.env'), 'FFE_JWT_SECRET=operator-set\n', { mode: 0o644 });
    writeFileSync(join(dest, 'etc/ffe/config.yaml'), 'environment: production\n');
    writeFileSync(join(src, 'bin/ffe.js'), '// v2\n');
    const second = run('bash', [join(src, 'deploy/install.sh'), '--no-start'], { env: { DESTDIR: dest } });
    expect(second.code).toBe(0);
    expect(readFileSync(join(dest, 'opt/ffe/bin/ffe.js'), 'utf8')).toBe('// v2\n');
    expect(readFileSync(join(dest, 'etc/ffe/ffe.env'), 'utf8')).toBe('FFE_JWT_SECRET=operator-set\n');
    expect(mode(join(dest, 'etc/ffe/ffe.env'))).toBe('600');
    expect(readFileSync(join(dest, 'etc/ffe/config.yaml'), 'utf8')).toBe('environment: production\n');
  });

  it('refuses an unbuilt checkout with one line', () => {
    const src = checkout();
    const dest = mkdtempSync(join(tmpdir(), 'ffe-dest-'));
    rmSync(join(src, 'dist/src/interfaces/cli/main.js'));
    const r = run('bash', [join(src, 'deploy/install.sh')], { env: { DESTDIR: dest } });
    expect([r.code, r.stderr.trim()]).toEqual([1, `install.sh: ${src} is not built: run scripts/build.sh local first`]);
  });

  it("systemd-analyze verify accepts the unit with no warning (node at this machine's path)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ffe-unit-'));
    const unit = readFileSync(join(DEPLOY, 'systemd/ffe.service'), 'utf8');
    expect(unit).toContain('ExecStart=/usr/bin/node ');
    writeFileSync(join(dir, 'ffe.service'), unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    const r = run('systemd-analyze', ['verify', join(dir, 'ffe.service')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('the unit runs the installed CLI as ffe from /var/lib/ffe with the env file install.sh writes', () => {
    const unit = readFileSync(join(DEPLOY, 'systemd/ffe.service'), 'utf8');
    expect(unit).toMatch(/^User=ffe$/m);
    expect(unit).toMatch(/^WorkingDirectory=\/var\/lib\/ffe$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/ffe\/ffe\.env$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/ffe\/bin\/ffe\.js --config \/etc\/ffe\/config\.yaml serve$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/var\/lib\/ffe \/var\/log\/ffe$/m);
  });
});
