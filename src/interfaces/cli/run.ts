import type { Command } from 'commander';
import { createApp, type App, type CreateAppOptions } from '../../app/container.js';
import { secretValues } from '../../config/load.js';
import { isFfeError } from '../../core/errors.js';

export interface GlobalOptions {
  config?: string;
  verbose?: boolean;
}

let secrets: string[] = [];

/** Removes every configured secret from text that leaves the process. */
export function scrub(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

export const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;

/** Builds the app for one command, runs it and always closes the store. */
export async function withApp<T>(cmd: Command, fn: (app: App) => Promise<T>, opts: Omit<CreateAppOptions, 'file'> = {}): Promise<T> {
  const app = await createApp({ ...opts, file: globals(cmd).config });
  secrets = secretValues(app.config);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${scrub(JSON.stringify(value, null, 2))}\n`);
}

export function print(text: string): void {
  process.stdout.write(`${scrub(text)}\n`);
}

/** One clear line on stderr and the exit code that says whose fault it was (2: input/config, 1: runtime). */
export function reportError(e: unknown, verbose = false): number {
  if (isFfeError(e)) {
    process.stderr.write(`ffe: ${scrub(e.message)}\n`);
    if (verbose && e.stack) process.stderr.write(`${scrub(e.stack)}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(`ffe: unexpected error: ${scrub(err?.message ?? String(e))}\n`);
  if (verbose && err?.stack) process.stderr.write(`${scrub(err.stack)}\n`);
  return 1;
}
