import type { ProviderResult } from '../../providers/port.js';

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

/** Storage of the provider cassette (recorded answers replayed by the cassette decorator). */
export interface CassetteRepository {
  get(key: string): Promise<CassetteEntry | null>;
  /** Inserts or replaces the entry with the same key. */
  put(entry: CassetteEntry): Promise<void>;
  count(provider?: string): Promise<number>;
}
