import type { Store } from '../../store/port.js';

/** The user a GDPR export or erasure is about. */
export interface DataSubject {
  id: string;
  name: string;
}

/**
 * One area's personal data about a user (auth, audit, watchlists, recommendations, consents...):
 * what a GDPR export shows and what erasure removes. Each area owns its section beside its code
 * and registers it with one line in ./sections.ts, so export and erasure cannot forget a table.
 */
export interface PersonalDataSection {
  /** Key of this area in the export document. */
  readonly name: string;
  /** Everything this area holds about the user, as plain JSON (decrypted: the user is entitled to read it). */
  export(store: Store, subject: DataSubject): Promise<unknown>;
  /**
   * Deletes the user's personal data or replaces it by `pseudonym`, inside the caller's
   * transaction (`tx`); returns the number of records touched.
   */
  erase(tx: Store, subject: DataSubject, pseudonym: string): Promise<number>;
  /** What this area keeps after erasure, and the legal basis for keeping it (listed in the docs). */
  readonly retained: string;
}
