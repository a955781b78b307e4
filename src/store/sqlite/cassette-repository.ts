import type { ProviderResult } from '../../providers/port.js';
import type { Session } from '../session.js';
import type { CassetteEntry, CassetteRepository } from '../port.js';

export type CassetteRow = {
  key: string;
  provider: string;
  model: string | null;
  parameters: string;
  prompt: string;
  result: string;
  recorded_at: string;
};

export type CassetteTables = {
  provider_cassette: CassetteRow;
};

export class SqliteCassetteRepository implements CassetteRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<CassetteTables>();
  }

  async get(key: string): Promise<CassetteEntry | null> {
    const row = await this.db.selectFrom('provider_cassette').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row) return null;
    return {
      key: row.key,
      provider: row.provider,
      model: row.model,
      parameters: JSON.parse(row.parameters) as Record<string, unknown>,
      prompt: row.prompt,
      result: JSON.parse(row.result) as ProviderResult,
      recordedAt: row.recorded_at,
    };
  }

  async put(e: CassetteEntry): Promise<void> {
    const row: CassetteRow = {
      key: e.key,
      provider: e.provider,
      model: e.model,
      parameters: JSON.stringify(e.parameters),
      prompt: e.prompt,
      result: JSON.stringify(e.result),
      recorded_at: e.recordedAt,
    };
    await this.db
      .insertInto('provider_cassette')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ provider: row.provider, model: row.model, parameters: row.parameters, prompt: row.prompt, result: row.result, recorded_at: row.recorded_at }))
      .execute();
  }

  async count(provider?: string): Promise<number> {
    let q = this.db.selectFrom('provider_cassette').select((eb) => eb.fn.countAll<number>().as('n'));
    if (provider) q = q.where('provider', '=', provider);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
}
