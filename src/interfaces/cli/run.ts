import type { Command } from 'commander';
import type { FfeApi } from '../../application/api.js';
import type { ReplayRequest, RuntimeOptions } from '../../application/types.js';
import { isFfeError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';

export interface GlobalOptions {
  config?: string;
  verbose?: boolean;
  sandbox?: string;
}

let secrets: string[] = [];

/** Removes every configured secret from text that leaves the process. */
export function scrub(text: string): string {
  // The one redaction module: plain, URL-encoded and JSON-escaped forms of every secret.
  return redact(text, secrets);
}

export const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;

/** The commands that run as services: they export traces and report errors when configured. */
const OBSERVED = new Set(['serve', 'run-agent', 'worker']);

/**
 * Opens the runtime for one command, makes the command's application call(s) and always closes it.
 * The long-running commands (OBSERVED) start tracing and error tracking as configured
 * (docs/observability.md), flushed before the runtime closes.
 */
export async function withApi<T>(cmd: Command, fn: (api: FfeApi) => Promise<T>, opts: Omit<RuntimeOptions, 'configFile'> & { replay?: ReplayRequest; agent?: boolean } = {}): Promise<T> {
  const g = globals(cmd);
  const { replay, agent, ...rest } = opts;
  const base: RuntimeOptions = { sandbox: g.sandbox, ...rest, configFile: g.config };
  // Loaded here, not at the top: the application graph (store, venues, providers, zod) is most of
  // start-up, and `--help` or a bad flag never needs it.
  const { FfeApi } = await import('../../application/api.js');
  const api = agent ? await FfeApi.openForAgent(base, replay) : await FfeApi.open(base);
  secrets = api.secrets;
  // Every order, kill switch trip and agent state change this command causes goes into the audit log.
  api.audit.followDomainEvents();
  const observability = OBSERVED.has(cmd.name()) ? await import('../../application/observability.js') : null;
  const obs = observability ? await observability.startObservability(api.runtime) : null;
  try {
    return await fn(api);
  } catch (e) {
    // Expected failures (bad input, a venue refusing) are the user's to read; a bug is reported.
    if (obs?.sentry && !isFfeError(e)) observability!.reportFailure({ kind: 'unexpected', code: 'UNEXPECTED', error: e });
    throw e;
  } finally {
    await obs?.shutdown();
    await api.close();
  }
}

/**
 * The configuration use cases, loaded on first use (they bring the zod schema). The configuration
 * commands read files only; they need no runtime, but what they print is scrubbed of the
 * configured secrets too.
 */
export async function configApi() {
  const { configUseCases } = await import('../../application/system.js');
  return {
    ...configUseCases,
    show(file?: string) {
      secrets = configUseCases.secrets(file);
      return configUseCases.show(file);
    },
  };
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
