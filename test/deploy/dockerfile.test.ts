import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './support.js';

// No container engine (nor hadolint) here: the properties the image must have are read from the
// Dockerfile's instructions (continuation lines joined, comments dropped).
const instructions = (): { op: string; args: string }[] =>
  readFileSync(join(REPO, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });

describe('Dockerfile', () => {
  it('is multi-stage: a build stage with the compilers, a slim runtime stage that copies only built files from it', () => {
    const all = instructions();
    const froms = all.filter((i) => i.op === 'FROM');
    expect(froms.map((f) => f.args)).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim AS runtime']);
    const runtime = all.slice(all.indexOf(froms[1]));
    const copies = runtime.filter((i) => i.op === 'COPY');
    expect(copies.length).toBeGreaterThan(3);
    for (const c of copies) expect(c.args, c.args).toMatch(/^--from=build /);
    // Neither sources nor tests nor the compilers reach the runtime image.
    expect(copies.map((c) => c.args).join(' ')).not.toMatch(/\/src\/(src|test)\b|\/src\/\. /);
    expect(
      runtime
        .filter((i) => i.op === 'RUN')
        .map((i) => i.args)
        .join(' '),
    ).not.toMatch(/g\+\+|python3/);
  });

  it('re-stamps the CLI bundle after pruning the dev dependencies, so the image starts from the bundle (issue 17)', () => {
    const run = instructions().find((i) => i.op === 'RUN' && i.args.includes('npm prune'))!.args;
    expect(run.indexOf('bundle-cli.mjs --restamp')).toBeGreaterThan(run.indexOf('npm prune'));
  });

  it('runs as a non-root user with a fixed uid, exposes 8000 and checks /live', () => {
    const runtime = instructions().slice(instructions().findLastIndex((i) => i.op === 'FROM'));
    const user = runtime.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime.find((i) => i.op === 'RUN' && i.args.includes('useradd'))?.args).toContain('--uid 10001');
    expect(runtime.find((i) => i.op === 'EXPOSE')?.args).toBe('8000');
    const health = runtime.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(health).toContain('/live');
    expect(runtime.find((i) => i.op === 'ENTRYPOINT')?.args).toContain('bin/ffe.js');
    expect(runtime.find((i) => i.op === 'CMD')?.args).toContain('serve');
  });

  it('bakes no secret into the image (ENV/ARG), and .dockerignore keeps env files, data and node_modules out of the context', () => {
    for (const i of instructions().filter((x) => x.op === 'ENV' || x.op === 'ARG')) expect(i.args, i.args).not.toMatch(/SECRET|PASSWORD|TOKEN|API_KEY|_KEY=/i);
    const ignore = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['.env', '.env.*', 'node_modules', 'data', 'config/config.local.yaml', '.git']) expect(ignore, p).toContain(p);
  });

  it('the HEALTHCHECK command itself exits 0 when /live answers 200 on SERVER_PORT and 1 otherwise', async () => {
    const health = instructions().find((i) => i.op === 'HEALTHCHECK')!.args;
    const argv = JSON.parse(health.slice(health.indexOf('CMD') + 3).trim()) as string[];
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    let status = 200;
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = String((server.address() as { port: number }).port);
    const check = (): Promise<number | null> => new Promise((resolve) => spawn(process.execPath, argv.slice(1), { env: { ...process.env, SERVER_PORT: port } }).on('close', resolve));
    try {
      expect(await check()).toBe(0);
      status = 503;
      expect(await check()).toBe(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(paths).toEqual(['/live', '/live']);
  });
});
