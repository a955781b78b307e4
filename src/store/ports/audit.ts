/** How an audited call ended: done, refused (permission, risk gate), or failed. */
export type AuditResult = 'ok' | 'denied' | 'error';

/** One audit entry as a caller hands it in (already redacted: the log stores what it is given). */
export interface AuditRecord {
  /** ms. */
  at: number;
  /** Principal label (`user:alice`, `api_key:ci`, `local:local-cli`) or `agent`. */
  actor: string;
  role: string;
  /** Dotted action name (`order.submitted`, `kill_switch.tripped`...). */
  action: string;
  params: Record<string, unknown>;
  result: AuditResult;
  errorCode: string | null;
  requestId: string | null;
  ip: string | null;
}

/** A stored entry: numbered and chained (hash = sha256(prevHash + canonical JSON of seq and the record's fields)). */
export interface AuditEntry extends AuditRecord {
  /** 1, 2, 3...: strictly increasing without gaps, so a gap is a deleted entry. */
  seq: number;
  prevHash: string;
  hash: string;
}

/** A point in the chain: an entry's number and hash. */
export interface AuditMark {
  seq: number;
  hash: string;
}

export interface AuditQuery {
  limit?: number;
  /** Only entries with a smaller seq (the page cursor). */
  beforeSeq?: number;
  action?: string;
  actor?: string;
  /** ms, inclusive. */
  from?: number;
  /** ms, inclusive. */
  to?: number;
}

/** One pseudonymisation of an entry by an erasure (GDPR): its rewritten content's hash, vouched for by the erasure's own entry. */
export interface AuditRewrite {
  seq: number;
  /** The erasure's pseudonym (its `gdpr.erase` entry names it in params). */
  erasure: string;
  /** The log's head when it was rewritten: of several rewrites of one entry, the latest is its content now. */
  headSeq: number;
  /** entryHash(prevHash, seq, rewritten content). */
  contentHash: string;
}

/**
 * The append-only audit log. No method changes or removes an entry except `prune`, which drops
 * the oldest ones and keeps the last dropped entry's mark as the checkpoint the chain is verified from.
 */
export interface AuditLogRepository {
  /** Numbers, chains and stores one entry; the previous hash is read in the same write transaction, so concurrent appends chain one after another. */
  append(r: AuditRecord): Promise<AuditEntry>;
  /** Appends several entries in the order given, in one write transaction (all or none): the same chain as one `append` each, the head read and written once. */
  appendMany(records: readonly AuditRecord[]): Promise<AuditEntry[]>;
  /** Newest first, filtered (default limit 50). */
  list(q?: AuditQuery): Promise<AuditEntry[]>;
  /** Oldest first: entries with seq > afterSeq, at most `limit` (verification walks the chain with it). */
  range(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** The newest entry ever appended (still there or not); null before the first. */
  head(): Promise<AuditMark | null>;
  /** The last pruned entry; null when nothing was pruned. */
  checkpoint(): Promise<AuditMark | null>;
  /**
   * Removes the oldest entries older than `before` (ms): the longest run from the start whose
   * every entry is older, so the chain stays one piece. Returns how many went and the checkpoint.
   */
  prune(before: number): Promise<{ pruned: number; checkpoint: AuditMark | null }>;
  /**
   * GDPR erasure: replaces entries' content (personal data pseudonymised) and keeps their stored
   * hash and prev_hash, so the chain is unchanged; records each rewrite (its content hash) under
   * `erasure`. Call inside the erasure's transaction, before appending its `gdpr.erase` entry.
   */
  rewrite(erasure: string, entries: { seq: number; record: AuditRecord; contentHash: string }[]): Promise<number>;
  /** Every rewrite (of `erasure` only, when given), by seq then head. */
  rewrites(erasure?: string): Promise<AuditRewrite[]>;
}
