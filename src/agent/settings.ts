import type { BackoffPolicy } from './retry.js';

export interface AgentSettings {
  assets: string[];
  /** Provider name for analysis; undefined: the engine default. */
  provider?: string;
  intervalMs: number;
  /** 0: unlimited. */
  maxDailyTrades: number;
  approval: 'autonomous' | 'manual';
  /** Signal only: analyse, risk-check, record (and queue for approval in manual mode), but place no order. */
  dryRun: boolean;
  timezone: string;
  killSwitch: { lossFraction: number; basis: 'day' | 'since_start' };
  recovery: BackoffPolicy;
  reasoning: BackoffPolicy;
  failureHalfLifeMs: number;
  maxAssetFailures: number;
  closeOnEmergencyStop: boolean;
  /** Close positions held this long (a time stop); null: never. */
  maxHoldMs: number | null;
}

/** Durable run state: what a restarted agent needs to carry on where the last one stopped. */
export interface RunState {
  runId: string;
  status: 'running' | 'stopped' | 'halted';
  state: string;
  cycle: number;
  startedAt: number;
  startEquity: number;
  day: string;
  dayStartEquity: number;
  tradesToday: number;
  /** Decision being executed when the process stopped; recovery finishes it (never re-sends it). */
  inflight: string | null;
  haltReason: string | null;
  lastCycleAt: number | null;
  /** Start of the last cycle that ran to its end; a resumed replay continues one interval later. */
  lastCompletedAt: number | null;
  counts: { decisions: number; holds: number; denied: number; queued: number; executed: number; failed: number; skipped: number };
}

export const RUN_KEY = 'agent:run';
