import type { ProviderResult } from '../port.js';

/** One recorded provider answer, keyed by the hash of what was asked. */
export interface CassetteEntry {
  key: string;
  provider: string;
  model: string | null;
  parameters: Record<string, unknown>;
  /** What the provider was sent (no secrets: prompts never carry keys). */
  prompt: string;
  result: ProviderResult;
  /** ISO wall-clock time of the recording. */
  recordedAt: string;
}

/** Storage port of the cassette; src/store/sqlite/cassette-repository.ts implements it. */
export interface CassetteStore {
  get(key: string): Promise<CassetteEntry | null>;
  /** Inserts or replaces the entry with the same key. */
  put(entry: CassetteEntry): Promise<void>;
  count(provider?: string): Promise<number>;
}
