import type Database from 'better-sqlite3';
import { canonicalJson, entryHashOf, GENESIS_HASH } from '../audit-chain.js';
import { sqliteFast } from './database.js';
import { prepared } from './prepared.js';
import type { AuditEntry, AuditLogRepository, AuditMark, AuditQuery, AuditRecord, AuditResult, AuditRewrite } from '../port.js';
import type { Session } from '../session.js';

type AuditRow = {
  seq: number;
  at: number;
  actor: string;
  role: string;
  action: string;
  params: string;
  result: string;
  error_code: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
};
type AuditStateRow = { id: number; head_seq: number; head_hash: string; checkpoint_seq: number | null; checkpoint_hash: string | null };

type RewriteRow = { seq: number; erasure: string; head_seq: number; content_hash: string };

export type AuditTables = { audit_log: AuditRow; audit_state: AuditStateRow; audit_rewrites: RewriteRow };

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  role: r.role,
  action: r.action,
  params: JSON.parse(r.params) as Record<string, unknown>,
  result: r.result as AuditResult,
  errorCode: r.error_code,
  requestId: r.request_id,
  ip: r.ip,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** One record as the chain's entry `seq` after `prevHash`: its canonical params text (stored as is) and the entry (params as read back). */
function chained(r: AuditRecord, seq: number, prevHash: string): { paramsJson: string; entry: AuditEntry } {
  const paramsJson = canonicalJson(r.params);
  return { paramsJson, entry: appendedEntry(r, seq, prevHash, entryHashOf(prevHash, seq, r, paramsJson), paramsJson) };
}

/**
 * The entry an append returns: the record's fields key by key (the order a spread of it gave),
 * its params parsed from the stored text when first read, the same value as reading the row back.
 * Most appends' entries are dropped unread (the audit of domain events keeps none: ~50,000 a
 * year in an agent replay), and the parse and the spread were a third of an append's own time.
 */
function appendedEntry(r: AuditRecord, seq: number, prevHash: string, hash: string, paramsJson: string): AuditEntry {
  let params: Record<string, unknown> | undefined;
  return {
    at: r.at,
    actor: r.actor,
    role: r.role,
    action: r.action,
    get params(): Record<string, unknown> {
      return (params ??= JSON.parse(paramsJson) as Record<string, unknown>);
    },
    set params(v: Record<string, unknown>) {
      params = v;
    },
    result: r.result,
    errorCode: r.errorCode,
    requestId: r.requestId,
    ip: r.ip,
    seq,
    prevHash,
    hash,
  };
}

const HEAD_SQL = 'SELECT head_seq, head_hash FROM audit_state WHERE id = 1';
const ENTRY_SQL = 'INSERT INTO audit_log (seq, at, actor, role, action, params, result, error_code, request_id, ip, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const SET_HEAD_SQL = 'INSERT INTO audit_state (id, head_seq, head_hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash';

/** appendMany's SQLite work, run with the connection held inside its transaction: head read, one insert per entry, head written. */
function chainSync(raw: Database.Database, records: readonly AuditRecord[]): AuditEntry[] {
  const st = prepared(raw, HEAD_SQL).get() as AuditStateRow | undefined;
  let seq = st ? Number(st.head_seq) : 0;
  let prevHash = st?.head_hash ?? GENESIS_HASH;
  const insert = prepared(raw, ENTRY_SQL);
  const out: AuditEntry[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const { paramsJson, entry: e } = chained(records[i], ++seq, prevHash);
    insert.run(seq, e.at, e.actor, e.role, e.action, paramsJson, e.result, e.errorCode ?? null, e.requestId ?? null, e.ip ?? null, prevHash, e.hash);
    out[i] = e;
    prevHash = e.hash;
  }
  prepared(raw, SET_HEAD_SQL).run(seq, prevHash);
  return out;
}

export class SqliteAuditLog implements AuditLogRepository {
  constructor(private readonly sqlite: Session) {}

  private db(s: Session = this.sqlite) {
    return s.db.withTables<AuditTables>();
  }

  private state(s: Session) {
    return this.db(s).selectFrom('audit_state').selectAll().where('id', '=', 1).executeTakeFirst();
  }

  async append(r: AuditRecord): Promise<AuditEntry> {
    return (await this.appendMany([r]))[0]!;
  }

  appendMany(records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    if (records.length === 0) return Promise.resolve([]);
    // BEGIN IMMEDIATE (or a savepoint in an open one): nobody else appends between reading the head and writing the next entries.
    // The head is read once and written once for the lot: the same rows as one append each.
    return this.sqlite.transaction(async (s) => {
      const fast = sqliteFast(s);
      // SQLite: the lot in one synchronous run of prepared statements (a replay appends ~50 entries a commit; a promise and an await per row cost more than the row).
      if (fast) return fast.exclusive(() => chainSync(fast.raw, records));
      const st = await this.state(s);
      const out: AuditEntry[] = [];
      let prevHash = st?.head_hash ?? GENESIS_HASH;
      let seq = st ? Number(st.head_seq) : 0;
      for (const r of records) {
        const { paramsJson, entry: e } = chained(r, ++seq, prevHash);
        await this.db(s)
          .insertInto('audit_log')
          .values({
            seq,
            at: e.at,
            actor: e.actor,
            role: e.role,
            action: e.action,
            params: paramsJson,
            result: e.result,
            error_code: e.errorCode ?? null,
            request_id: e.requestId ?? null,
            ip: e.ip ?? null,
            prev_hash: prevHash,
            hash: e.hash,
          })
          .execute();
        out.push(e);
        prevHash = e.hash;
      }
      await this.db(s)
        .insertInto('audit_state')
        .values({ id: 1, head_seq: seq, head_hash: prevHash, checkpoint_seq: null, checkpoint_hash: null })
        .onConflict((oc) => oc.column('id').doUpdateSet({ head_seq: seq, head_hash: prevHash }))
        .execute();
      return out;
    });
  }

  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    let query = this.db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc');
    if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
    if (q.action) query = query.where('action', '=', q.action);
    if (q.actor) query = query.where('actor', '=', q.actor);
    if (q.from !== undefined) query = query.where('at', '>=', q.from);
    if (q.to !== undefined) query = query.where('at', '<=', q.to);
    return (await query.limit(q.limit ?? 50).execute()).map(toEntry);
  }

  async range(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db().selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
    return rows.map(toEntry);
  }

  async head(): Promise<AuditMark | null> {
    const st = await this.state(this.sqlite);
    return st ? { seq: Number(st.head_seq), hash: st.head_hash } : null;
  }

  async checkpoint(): Promise<AuditMark | null> {
    const st = await this.state(this.sqlite);
    return st?.checkpoint_seq != null && st.checkpoint_hash ? { seq: Number(st.checkpoint_seq), hash: st.checkpoint_hash } : null;
  }

  prune(before: number): Promise<{ pruned: number; checkpoint: AuditMark | null }> {
    return this.sqlite.transaction(async (s) => {
      const db = this.db(s);
      const st = await this.state(s);
      const current = st?.checkpoint_seq != null && st.checkpoint_hash ? { seq: Number(st.checkpoint_seq), hash: st.checkpoint_hash } : null;
      // Only a prefix goes: up to the entry before the first one that is not old enough.
      const keep = await db.selectFrom('audit_log').select('seq').where('at', '>=', before).orderBy('seq', 'asc').limit(1).executeTakeFirst();
      let last = db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc');
      if (keep) last = last.where('seq', '<', keep.seq);
      const cut = await last.limit(1).executeTakeFirst();
      if (!cut) return { pruned: 0, checkpoint: current };
      const r = await db.deleteFrom('audit_log').where('seq', '<=', cut.seq).executeTakeFirst();
      await db.updateTable('audit_state').set({ checkpoint_seq: cut.seq, checkpoint_hash: cut.hash }).where('id', '=', 1).execute();
      return { pruned: Number(r.numDeletedRows), checkpoint: { seq: cut.seq, hash: cut.hash } };
    });
  }

  rewrite(erasure: string, entries: { seq: number; record: AuditRecord; contentHash: string }[]): Promise<number> {
    return this.sqlite.transaction(async (s) => {
      const db = this.db(s);
      const head = Number((await this.state(s))?.head_seq ?? 0);
      let n = 0;
      for (const { seq, record: r, contentHash } of entries) {
        const u = await db
          .updateTable('audit_log')
          .set({ at: r.at, actor: r.actor, role: r.role, action: r.action, params: canonicalJson(r.params), result: r.result, error_code: r.errorCode, request_id: r.requestId, ip: r.ip })
          .where('seq', '=', seq)
          .executeTakeFirst();
        if (Number(u.numUpdatedRows) !== 1) continue;
        await db
          .insertInto('audit_rewrites')
          .values({ seq, erasure, head_seq: head, content_hash: contentHash })
          .onConflict((oc) => oc.columns(['seq', 'erasure']).doUpdateSet({ head_seq: head, content_hash: contentHash }))
          .execute();
        n++;
      }
      return n;
    });
  }

  async rewrites(erasure?: string): Promise<AuditRewrite[]> {
    let q = this.db().selectFrom('audit_rewrites').selectAll().orderBy('seq').orderBy('head_seq');
    if (erasure !== undefined) q = q.where('erasure', '=', erasure);
    return (await q.execute()).map((r) => ({ seq: Number(r.seq), erasure: r.erasure, headSeq: Number(r.head_seq), contentHash: r.content_hash }));
  }
}
