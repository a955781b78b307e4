import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { FFE_BIN, runCli } from './cli.js';

export interface Served {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
  /** How long from spawn until the URL line was printed. */
  startMs: number;
}

const envOf = (cwd: string, env?: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', FFE_HOME: join(cwd, 'data'), ...env });

/**
 * Spawns the built `ffe serve` in `cwd` (data home `cwd/data`, as runCli) on 127.0.0.1 port 0 unless
 * `args` say otherwise, and resolves once it printed its URL; rejects with its output if it exits first.
 */
export function startServe(cwd: string, args: string[] = ['--host', '127.0.0.1', '--port', '0'], env?: Record<string, string>): Promise<Served> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [FFE_BIN, 'serve', ...args], { cwd, env: envOf(cwd, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child, stdout: () => out, stderr: () => err, exited, startMs: Date.now() - t0 });
    });
    void exited.then((code) => reject(new Error(`ffe serve exited (${code}) before listening:\n${out}\n${err}`)));
  });
}

/** `ffe apikey create` through the built CLI; returns the key (printed once). */
export async function createKey(cwd: string, role: string, name = `${role}-key`): Promise<string> {
  const r = await runCli(['apikey', 'create', '--name', name, '--role', role, '--json'], { cwd });
  if (r.code !== 0) throw new Error(`apikey create failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { key: string }).key;
}

/** A JSON call with an optional bearer key. */
export async function call(url: string, path: string, opts: { key?: string; method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (the docs page, metrics text): the raw text.
  }
  return { status: res.status, body };
}

/** `ffe user create NAME --role ROLE --password-stdin` through the built CLI; returns what signs in. */
export async function createUser(cwd: string, name: string, role: string, password = `pw-${name}-long-enough-1`): Promise<{ name: string; password: string }> {
  const r = await runCli(['user', 'create', name, '--role', role, '--password-stdin', '--json'], { cwd, input: `${password}\n` });
  if (r.code !== 0) throw new Error(`user create ${name} failed: ${r.stderr}`);
  return { name, password };
}
