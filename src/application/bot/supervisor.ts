import type { AgentSettings } from '../../agent/settings.js';
import type { AgentHandle, AgentSummary } from '../agent.js';
import { isFfeError } from '../../core/errors.js';
import type { BotRunSettings } from './validate.js';

export type BotState = 'stopped' | 'starting' | 'running' | 'stopping' | 'emergency_stopped' | 'error';

export interface SupervisorDeps {
  /** Starts one agent run (agentUseCases.start). */
  start(over: Partial<AgentSettings>): Promise<AgentHandle>;
  /** Whether the stored kill switch is tripped (nothing restarts while it is). */
  killSwitchTripped(): Promise<boolean>;
  /** Applies (or, with null, clears) the run's stop and target to what the agent opens. */
  runPolicy(s: BotRunSettings | null): void;
  /** ms of wall time (uptime). */
  now(): number;
  /** Restart back-off after the n-th consecutive failure (ms). */
  backoffMs?: (failures: number) => number;
  /** A run that lasted this long (ms) before failing was healthy: the back-off starts over (default 60 s). */
  stableMs?: number;
}

const defaultBackoff = (n: number) => Math.min(300_000, 1000 * 2 ** (n - 1));

const why = (e: unknown) => (isFfeError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

/**
 * Keeps the agent running inside the server: one run at a time; a run that crashes (a fatal error)
 * or halts for a reason other than the kill switch is started again after a growing back-off;
 * nothing is restarted while the kill switch is tripped (an emergency stop or loss limit holds
 * until an admin clears it).
 */
export class Supervisor {
  state: BotState = 'stopped';
  handle: AgentHandle | null = null;
  settings: BotRunSettings | null = null;
  startedAt: number | null = null;
  restarts = 0;
  lastError: string | null = null;
  private desired: 'running' | 'stopped' = 'stopped';
  private loop: Promise<void> | null = null;
  private backoff: AbortController | null = null;

  constructor(private readonly d: SupervisorDeps) {}

  get active(): boolean {
    return this.loop !== null;
  }

  /** Starts supervising a run with these settings; resolves once the first run has started (or failed to). */
  async launch(settings: BotRunSettings): Promise<void> {
    this.desired = 'running';
    this.settings = settings;
    this.startedAt = this.d.now();
    this.restarts = 0;
    this.lastError = null;
    this.state = 'starting';
    this.d.runPolicy(settings);
    let first!: () => void;
    const started = new Promise<void>((r) => (first = r));
    this.loop = this.supervise(settings, first).finally(() => {
      this.loop = null;
      this.handle = null;
      this.startedAt = null;
      this.d.runPolicy(null);
      first();
    });
    await started;
  }

  private async supervise(settings: BotRunSettings, started: () => void): Promise<void> {
    let failures = 0;
    const over: Partial<AgentSettings> = { assets: settings.asset_pairs, approval: settings.autonomous ? 'autonomous' : 'manual', dryRun: settings.dry_run };
    while (this.desired === 'running') {
      if (await this.d.killSwitchTripped()) {
        this.state = 'emergency_stopped';
        started();
        return;
      }
      this.state = 'starting';
      let summary: AgentSummary | null = null;
      let crash: unknown = null;
      let ranFrom: number | null = null;
      try {
        this.handle = await this.d.start(over);
        ranFrom = this.d.now();
        this.state = 'running';
        started();
        summary = await this.handle.done;
      } catch (e) {
        crash = e;
      }
      this.handle = null;
      started();
      if (this.desired !== 'running') break;
      if (await this.d.killSwitchTripped()) {
        this.state = 'emergency_stopped';
        return;
      }
      if (summary && summary.run.status === 'stopped') break;
      // Crashed, or halted on something a restart may get past (recovery failed, a venue down).
      // Only consecutive failures grow the back-off: one after a healthy run starts it over.
      if (ranFrom !== null && this.d.now() - ranFrom >= (this.d.stableMs ?? 60_000)) failures = 0;
      failures++;
      this.restarts++;
      this.lastError = crash ? why(crash) : `halted: ${summary?.run.haltReason ?? 'unknown reason'}`;
      this.state = 'error';
      this.backoff = new AbortController();
      await sleep((this.d.backoffMs ?? defaultBackoff)(failures), this.backoff.signal);
      this.backoff = null;
    }
    this.state = (await this.d.killSwitchTripped().catch(() => false)) ? 'emergency_stopped' : 'stopped';
  }

  /** Stops the run (the step in progress finishes; an order in flight is never interrupted) and waits for it. */
  async stop(reason: string): Promise<void> {
    this.desired = 'stopped';
    if (!this.loop) return;
    if (this.state !== 'emergency_stopped') this.state = 'stopping';
    this.backoff?.abort();
    this.handle?.stop(reason);
    await this.loop;
  }

  /** Resolves when the supervised loop has ended (after a stop or an emergency stop). */
  async settled(): Promise<void> {
    await this.loop;
  }

  uptimeSeconds(): number {
    return this.startedAt === null ? 0 : Math.max(0, (this.d.now() - this.startedAt) / 1000);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
