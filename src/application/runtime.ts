import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createApp, type App } from '../app/container.js';
import { inputError } from '../core/errors.js';
import { secretValues } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import { dataHome, sandboxPath } from './home.js';

export interface RuntimeOptions {
  /** Extra YAML config file (`--config`). */
  configFile?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** Open this replay sandbox's store (`<home>/sandboxes/<name>.db`) instead of the account's. */
  sandbox?: string;
  /** Open this store file instead (`run-agent --db`). */
  storePath?: string;
  /** A sandbox that does not exist yet is created (replays); otherwise naming an unknown one is an input error. */
  createSandbox?: boolean;
}

/**
 * The long-lived object every interface works through: it owns the store, market data, the
 * analysis engine, the execution and account services over exactly one guarded venue per
 * account, and the feedback loop. The CLI opens it for one command and closes it; a server keeps
 * it open. Interfaces never reach into it: they call the application's use cases (`FfeApi`).
 */
export class Runtime {
  /** Name of the sandbox this runtime's store is (null: the account's own store). */
  readonly sandbox: string | null;

  private constructor(
    readonly app: App,
    sandbox: string | null,
  ) {
    this.sandbox = sandbox;
  }

  static async open(opts: RuntimeOptions = {}): Promise<Runtime> {
    const cwd = opts.cwd ?? process.cwd();
    const env = opts.env ?? process.env;
    const storePath = opts.storePath ?? (opts.sandbox ? sandboxPath(dataHome(env, cwd), opts.sandbox) : undefined);
    if (opts.sandbox && !opts.storePath && !opts.createSandbox && !existsSync(storePath!)) {
      const dir = dirname(storePath!);
      const known = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.db')).map((f) => f.slice(0, -3)) : [];
      throw inputError('SANDBOX_UNKNOWN', `no sandbox "${opts.sandbox}" in ${dir}; ${known.length ? `known: ${known.join(', ')}` : 'replays create them (`ffe run-agent --replay --sandbox NAME`)'}`);
    }
    const app = await createApp({ cwd, env, clock: opts.clock, file: opts.configFile, storePath });
    return new Runtime(app, opts.sandbox ?? null);
  }

  /** Every configured secret: interfaces scrub them from whatever leaves the process. */
  get secrets(): string[] {
    return secretValues(this.app.config);
  }

  /**
   * Runs one order (execute, close) as the trading holder. The order path reads positions, runs
   * the risk gate and journals inside `fn`.
   */
  async trade<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
