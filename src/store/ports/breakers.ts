import type { BreakerMemory } from '../../lib/circuit-breaker.js';

/**
 * Where circuit breakers keep their memory between processes (one CLI command is one process;
 * `ffe status` lists breakers opened by earlier ones). One record per breaker name; the last
 * writer wins between processes. A breaker awaits its own writes in order before the call that
 * caused them returns, so a command that ends right after a successful probe has stored CLOSED.
 */
export interface BreakerStateRepository {
  load(name: string): Promise<BreakerMemory | null>;
  /** Inserts or replaces the memory of `m.name`. */
  save(m: BreakerMemory): Promise<void>;
  /**
   * `save` of a change of the counters alone (calls, successes, rejections): the store may hold
   * it for at most COUNTER_WRITE_MS of real time, to go with its next transaction on the same
   * connection, or its close. A later `save` of the same breaker replaces it. Absent: `save`.
   */
  saveCounters?(m: BreakerMemory): Promise<void>;
  /** Every stored breaker, in name order. */
  list(): Promise<BreakerMemory[]>;
}
