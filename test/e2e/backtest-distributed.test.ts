import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FFE_BIN, runCli, tempCwd } from '../support/cli.js';
import { redisDatabase } from '../support/redis.js';

/** Starts `ffe worker` and resolves once it says it is consuming. */
function startWorker(cwd: string, url: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FFE_BIN, 'worker', '--redis', url], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, FFE_HOME: join(cwd, 'data'), TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('consuming')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${out}`)));
  });
}

const stopProcess = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null) return resolve();
    c.removeAllListeners('exit');
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 5000).unref();
  });

describe('distributed Monte Carlo over BullMQ with a real Redis and two ffe worker processes', () => {
  // The run's shared Redis (test/support/services.ts), in a database of this file's own.
  const redis = { url: '' };
  const workers: ChildProcess[] = [];
  const cwd = tempCwd('ffe-dist-');

  beforeAll(async () => {
    redis.url = await redisDatabase(inject('services').redis);
    // One after the other: two processes migrating a fresh SQLite file at once collide.
    workers.push(await startWorker(cwd, redis.url));
    workers.push(await startWorker(cwd, redis.url));
  });

  afterAll(async () => {
    await Promise.all(workers.map(stopProcess));
  });

  it('completes the job, equals the in-process result, and both workers stored results', async () => {
    const args = ['monte-carlo', 'BTCUSD', '--start', '2024-10-01', '--end', '2024-12-01', '--strategy', 'sma-cross', '--simulations', '48', '--json'];
    const dist = await runCli([...args, '--distributed', '--redis', redis.url], { cwd, timeoutMs: 120_000 });
    expect(dist.stderr).toBe('');
    expect(dist.code).toBe(0);
    const d = JSON.parse(dist.stdout);
    expect(d.perturbation.simulations).toBe(48);
    const local = JSON.parse((await runCli([...args, '--workers', '1'], { cwd: tempCwd(), timeoutMs: 120_000 })).stdout);
    // Same seeds, same jobs: where they ran must not change a single number.
    expect(d.perturbation).toEqual(local.perturbation);
    const db = new Database(join(cwd, 'data/ffe.db'), { readonly: true });
    const rows = db.prepare('select run_id, worker, kind from backtest_job_results').all() as { run_id: string; worker: string; kind: string }[];
    db.close();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(1);
    expect(rows.every((r) => r.kind === 'perturb')).toBe(true);
    expect(new Set(rows.map((r) => r.worker)).size).toBe(2);
  });

  it('optimises the rules provider over risk parameters on the workers, equal to the in-process search', async () => {
    const args = ['optimize', 'BTCUSD', '--start', '2024-10-01', '--end', '2024-12-01', '--provider', 'rules', '--param', 'stop_loss=0.01,0.03', '--param', 'risk_fraction=0.005,0.01', '--json'];
    const dist = await runCli([...args, '--distributed', '--redis', redis.url], { cwd, timeoutMs: 120_000 });
    expect(dist.code, dist.stderr).toBe(0);
    const d = JSON.parse(dist.stdout);
    expect(d.evaluated).toBe(4);
    const local = JSON.parse((await runCli([...args, '--workers', '1'], { cwd: tempCwd(), timeoutMs: 120_000 })).stdout);
    expect(d.trials).toEqual(local.trials);
  });

  it('an unreachable Redis is a clear runtime error (exit 1)', async () => {
    const r = await runCli(['monte-carlo', 'BTCUSD', '--start', '2024-11-01', '--end', '2024-12-01', '--strategy', 'sma-cross', '--simulations', '4', '--distributed', '--redis', 'redis://127.0.0.1:1'], {
      cwd: tempCwd(),
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Redis/);
  });
});
