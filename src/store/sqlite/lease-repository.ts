import type { LeaseRepository } from '../port.js';
import type { Session } from '../session.js';

export type LeaseRow = { name: string; holder: string; expires_at: number };
export type LeaseTables = { leases: LeaseRow };

/** Each operation is one statement, so it is atomic against every other process on the file. */
export class SqliteLeaseRepository implements LeaseRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<LeaseTables>();
  }

  async tryAcquire(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    const r = await this.db
      .insertInto('leases')
      .values({ name, holder, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, expires_at: now + ttlMs })
          .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async renew(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('leases')
      .set({ expires_at: now + ttlMs })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  async holder(name: string, now: number): Promise<{ holder: string; expiresAt: number } | null> {
    const r = await this.db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).where('expires_at', '>', now).executeTakeFirst();
    return r ? { holder: r.holder, expiresAt: Number(r.expires_at) } : null;
  }
}
