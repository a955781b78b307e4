import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// From test/support, or from dist/test/support when a bench runs the built copy.
export const REPO = [resolve(import.meta.dirname, '../..'), resolve(import.meta.dirname, '../../..')].find((d) => existsSync(join(d, 'package.json')))!;
export const FFE_BIN = join(REPO, 'bin/ffe.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh working directory, so each test gets its own ./config and (FFE_HOME below) its own data home ./data. */
export const tempCwd = (prefix = 'ffe-test-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Runs the built `ffe` CLI as a user would, in `cwd`, with a clean environment (data home `cwd/data`) plus `env`. */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [FFE_BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, TZ: 'UTC', FFE_HOME: join(opts.cwd, 'data'), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}
