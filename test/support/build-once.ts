import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

function newestMtime(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return t;
}

const builtAt = (marker: string): number => (existsSync(marker) ? statSync(marker).mtimeMs : 0);

/**
 * Vitest global setup: e2e tests spawn the real CLI from dist/ (through its bundle) and open the
 * dashboard from dist/web, so rebuild either when any of its sources is newer than its last build (CI builds on
 * `npm install`, so this is usually a no-op there).
 */
export default function setup(): void {
  if (builtAt(join(ROOT, 'dist/src/interfaces/cli/main.js')) < Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'bench')))) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      // tsc still emits on type errors; the typecheck step reports them, and e2e tests fail on real breakage.
      process.stderr.write('build-once: tsc reported errors; e2e tests run against what it emitted\n');
    }
  }
  // bin/ffe.js runs the CLI bundle when it is this tsc output's: rebuilt here (a no-op when it is
  // current), so the e2e tests run what a user runs, built from the code the repo has.
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-cli.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (builtAt(join(ROOT, 'dist/web/index.html')) < newestMtime(join(ROOT, 'web'))) {
    // NODE_ENV=production as `npm run build` has it: vitest sets NODE_ENV=test, and Vite would then bundle React's and lightweight-charts' development builds (half as heavy again).
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
}
