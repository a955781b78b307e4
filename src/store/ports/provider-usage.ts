/** One provider's usage over one UTC day. */
export interface UsageTotals {
  provider: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  calls: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  latencyMsTotal: number;
  /** `CODE: reason` of the latest failure that day. */
  lastFailure: string | null;
}

export interface UsageDelta {
  ok: boolean;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  failure?: string;
}

/** Storage of provider accounting (calls, failures, tokens per provider and day). */
export interface ProviderUsageRepository {
  /** Adds one call to the day's totals (atomic increment: several processes may share the store). */
  add(provider: string, day: string, delta: UsageDelta): Promise<void>;
  get(provider: string, day: string): Promise<UsageTotals | null>;
  list(day: string): Promise<UsageTotals[]>;
}
