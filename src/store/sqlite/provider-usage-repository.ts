import { sql } from 'kysely';
import type { Session } from '../session.js';
import type { UsageDelta, ProviderUsageRepository, UsageTotals } from '../port.js';

export type ProviderUsageRow = {
  provider: string;
  day: string;
  calls: number;
  failures: number;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms_total: number;
  last_failure: string | null;
};

export type ProviderUsageTables = {
  provider_usage: ProviderUsageRow;
};

const totals = (r: ProviderUsageRow): UsageTotals => ({
  provider: r.provider,
  day: r.day,
  calls: Number(r.calls),
  failures: Number(r.failures),
  promptTokens: Number(r.prompt_tokens),
  completionTokens: Number(r.completion_tokens),
  latencyMsTotal: Number(r.latency_ms_total),
  lastFailure: r.last_failure,
});

export class SqliteProviderUsageRepository implements ProviderUsageRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<ProviderUsageTables>();
  }

  async add(provider: string, day: string, d: UsageDelta): Promise<void> {
    const failures = d.ok ? 0 : 1;
    const lastFailure = d.ok ? null : (d.failure ?? 'failed');
    await this.db
      .insertInto('provider_usage')
      .values({ provider, day, calls: 1, failures, prompt_tokens: d.promptTokens, completion_tokens: d.completionTokens, latency_ms_total: d.latencyMs, last_failure: lastFailure })
      // Columns named with their table: PostgreSQL would find `calls` ambiguous (the row, or `excluded`).
      .onConflict((oc) =>
        oc.columns(['provider', 'day']).doUpdateSet({
          calls: sql`provider_usage.calls + 1`,
          failures: sql`provider_usage.failures + ${failures}`,
          prompt_tokens: sql`provider_usage.prompt_tokens + ${d.promptTokens}`,
          completion_tokens: sql`provider_usage.completion_tokens + ${d.completionTokens}`,
          latency_ms_total: sql`provider_usage.latency_ms_total + ${d.latencyMs}`,
          last_failure: sql`coalesce(${lastFailure}, provider_usage.last_failure)`,
        }),
      )
      .execute();
  }

  async get(provider: string, day: string): Promise<UsageTotals | null> {
    const row = await this.db.selectFrom('provider_usage').selectAll().where('provider', '=', provider).where('day', '=', day).executeTakeFirst();
    return row ? totals(row) : null;
  }

  async list(day: string): Promise<UsageTotals[]> {
    const rows = await this.db.selectFrom('provider_usage').selectAll().where('day', '=', day).orderBy('provider').execute();
    return rows.map(totals);
  }
}
