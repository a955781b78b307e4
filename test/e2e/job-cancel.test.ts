import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FFE_BIN, tempCwd } from '../support/cli.js';

/** Resolves once the store at `path` holds a BacktestProgress event (the job is running and its events reach the outbox). */
async function firstProgress(path: string, exited: () => boolean): Promise<void> {
  for (;;) {
    if (exited()) throw new Error('the job ended before it reported progress');
    if (existsSync(path)) {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events'").get() && db.prepare("SELECT seq FROM events WHERE type = 'BacktestProgress' LIMIT 1").get();
        if (row) return;
      } finally {
        db.close();
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ffe optimize: Ctrl-C cancels the job', () => {
  it('SIGINT mid-run ends the command with one line and exit 130, and prints no result', async () => {
    const cwd = tempCwd();
    // A grid far larger than the time it takes to see the first progress: thousands of backtests on two worker threads.
    const args = ['optimize', 'BTCUSD', '--start', '2024-01-01', '--end', '2025-01-01', '--strategy', 'sma-cross', '--param', 'fast=2:21:1', '--param', 'slow=61:160:1', '--workers', '2', '--json'];
    const child = spawn(process.execPath, [FFE_BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', FFE_HOME: join(cwd, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let code: number | null = null;
    let exited = false;
    const done = new Promise<void>((r) =>
      child.on('close', (c) => {
        code = c;
        exited = true;
        r();
      }),
    );
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    try {
      await firstProgress(join(cwd, 'data/ffe.db'), () => exited);
      child.kill('SIGINT');
      await done;
    } finally {
      clearTimeout(guard);
    }
    expect(code).toBe(130);
    expect(stderr.trim().split('\n')).toEqual(['ffe: the job was cancelled']);
    expect(stdout).toBe('');
  }, 150_000);
});
