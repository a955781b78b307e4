/**
 * A request made with an `Idempotency-Key`: recorded before its work starts (intent first), so a
 * retry, even one after a crash, finds it and never does the work twice. Keys are per principal.
 */
export interface IdempotencyRecord {
  key: string;
  /** Who sent it (`principalLabel`): another caller's equal key is another request. */
  principal: string;
  /** Hash of the request body: the same key with another body is refused. */
  requestHash: string;
  /** What the work is about (a manual trade's decision id): a retry after a crash resumes it. */
  subject: string;
  /** The stored answer; null while the work has not finished (in flight, or interrupted). */
  response: unknown;
  /** ms. */
  createdAt: number;
}

export interface IdempotencyRepository {
  /**
   * Records the key (response null) when it is new and returns null; when the principal already
   * used it, returns that record and changes nothing. Atomic against concurrent claims.
   */
  claim(r: Omit<IdempotencyRecord, 'response'>): Promise<IdempotencyRecord | null>;
  /** Stores the answer of a claimed key. */
  complete(principal: string, key: string, response: unknown): Promise<void>;
  get(principal: string, key: string): Promise<IdempotencyRecord | null>;
  /** Deletes records created before `before` (ms); returns how many. */
  prune(before: number): Promise<number>;
}
