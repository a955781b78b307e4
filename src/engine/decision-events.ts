import type { Decision } from '../core/decision.js';
import type { NewDomainEvent } from '../core/events.js';
import type { DecisionRepository, Store } from '../store/port.js';

/** What subscribers learn of a decision: who decided what, never the prompt, the reasoning or a provider's raw reply. */
export function decisionMade(d: Decision, at: number): NewDomainEvent {
  const used = d.metadata.providers_used;
  const failed = d.metadata.providers_failed;
  return {
    type: 'DecisionMade',
    at,
    payload: {
      decisionId: d.id,
      pair: d.assetPair,
      action: d.action,
      confidence: d.confidence,
      degraded: d.metadata.degraded === true,
      provider: d.provider,
      providers: Array.isArray(used) && used.every((x) => typeof x === 'string') ? used : [d.provider],
      ...(Array.isArray(failed) && failed.length ? { providersFailed: failed.map((f) => String((f as { provider?: unknown }).provider)) } : {}),
      ...(typeof d.metadata.fallbackUsed === 'string' ? { fallback: d.metadata.fallbackUsed } : {}),
    },
  };
}

/**
 * The decision store of the running program: storing a decision (an analysis, an agent cycle)
 * and its DecisionMade event are one transaction. Backtests keep the plain repository: their
 * decisions are simulated, not made.
 */
export function decisionsWithEvents(store: Pick<Store, 'decisions' | 'transaction'>, now: () => number): DecisionRepository {
  const plain = store.decisions;
  return {
    save: (d) =>
      store.transaction(async (tx) => {
        await tx.decisions.save(d);
        await tx.events.append(decisionMade(d, now()));
      }),
    get: (id) => plain.get(id),
    list: (q) => plain.list(q),
    summaries: (q) => plain.summaries(q),
    markExecuted: (id, execution) => plain.markExecuted(id, execution),
  };
}
