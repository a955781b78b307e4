import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/interfaces/ctl/main.js';
import { REPO, type CliResult } from './cli.js';

export const FFE_CTL_BIN = join(REPO, 'bin/ffe-ctl.js');

/** A fresh HOME whose config dir holds nothing yet; the token file lands in `<home>/.config/ffe/ctl.json`. */
export const ctlHome = (): string => mkdtempSync(join(tmpdir(), 'ffe-ctl-'));

/** Runs `ffe-ctl` in this process (fast; what the unit tests use), with a clean environment plus `env`. */
export async function ctl(args: string[], opts: { home: string; env?: Record<string, string>; stdin?: string; answers?: string[] }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const answers = [...(opts.answers ?? [])];
  const code = await main(['node', 'ffe-ctl', ...args], {
    env: { HOME: opts.home, ...opts.env },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => opts.stdin ?? '',
    prompt: opts.answers ? async (q) => answers.shift() ?? `<no answer for ${q}>` : null,
  });
  return { code, stdout, stderr };
}

/** Runs the built `bin/ffe-ctl.js` as a user would. */
export function ctlBin(args: string[], opts: { home: string; env?: Record<string, string>; input?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FFE_CTL_BIN, ...args], { cwd: opts.home, env: { PATH: process.env.PATH ?? '', HOME: opts.home, TZ: 'UTC', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
