import type { Candle } from '../../core/candle.js';
import { FfeError } from '../../core/errors.js';
import { EXIT_STOP, EXIT_TARGET, intrabarExit, type ExitHit } from '../../core/fill-rule.js';
import { TIMEFRAME_MS, type Timeframe } from '../../core/timeframe.js';
import type { NewDomainEvent } from '../../core/events.js';
import type { RecommendationOutcome, RecommendationRecord } from '../../store/port.js';
import { roundTripCost } from '../../memory/recommendation-samples.js';
import type { Runtime } from '../runtime.js';

export const DAY_MS = 86_400_000;

export { roundTripCost };

/**
 * The realised outcome of one recommendation on the bars after its entry (`bars`: those opening
 * at or after the entry, closing by the horizon, oldest first). A BUY is judged long and a SELL
 * short, with the one intrabar rule the paper venue and backtests use (core/fill-rule.ts): a bar
 * that reaches both the stop and the target counts as stopped; a bar opening through a level
 * fills at its open. Neither hit: null until the horizon is over, then the last close. The
 * return is the move in the recommended direction minus the round-trip cost; a HOLD takes no
 * position, so it has an exit price but no return and is neither right nor wrong. No bars at
 * all by the horizon (the data ends before it): measured with no exit.
 */
export function judgeOutcome(rec: Pick<RecommendationRecord, 'action' | 'entry' | 'stop' | 'target'>, bars: readonly Candle[], cost: number, horizonOver: boolean, at: number): RecommendationOutcome | null {
  const dir = rec.action === 'BUY' ? 1 : rec.action === 'SELL' ? -1 : 0;
  const done = (status: RecommendationOutcome['status'], exitPrice: number | null): RecommendationOutcome => {
    const ret = exitPrice === null || dir === 0 || rec.entry <= 0 ? null : (dir * (exitPrice - rec.entry)) / rec.entry - cost;
    return { status, exitPrice, returnAfterCosts: ret, correct: ret === null ? null : ret > 0, measuredAt: at };
  };
  if (dir !== 0 && (rec.stop !== null || rec.target !== null)) {
    const hit: ExitHit = { kind: 0, price: 0 };
    for (const b of bars) {
      intrabarExit(dir > 0, b.open, b.high, b.low, rec.stop ?? NaN, rec.target ?? NaN, hit);
      if (hit.kind === EXIT_STOP) return done('stop', hit.price);
      if (hit.kind === EXIT_TARGET) return done('target', hit.price);
    }
  }
  if (!horizonOver) return null;
  return done('horizon', bars.length ? bars[bars.length - 1].close : null);
}

/** Finest first: an hour resolves which of stop and target came first far better than a day. */
const MEASURE_TIMEFRAMES: Timeframe[] = ['1h', '1d'];

/** The bars of `pair` from `from` (ms, an entry's observation time) to `until`, on the finest timeframe the data has. */
async function barsAfter(rt: Runtime, pair: string, from: number, until: number): Promise<Candle[]> {
  let last: unknown = null;
  for (const tf of MEASURE_TIMEFRAMES) {
    try {
      const limit = Math.ceil((until - from) / TIMEFRAME_MS[tf]) + 2;
      const bars = await rt.app.marketData.candles({ pair, timeframe: tf, end: until, limit });
      return bars.filter((b) => b.timestamp >= from && b.timestamp + TIMEFRAME_MS[tf] <= until);
    } catch (e) {
      if (!(e instanceof FfeError && e.code === 'TIMEFRAME_UNAVAILABLE')) throw e;
      last = e;
    }
  }
  throw last;
}

export const outcomeEvent = (r: RecommendationRecord, o: RecommendationOutcome): NewDomainEvent => ({
  type: 'RecommendationOutcomeMeasured',
  at: o.measuredAt ?? Date.now(),
  payload: { id: r.id, owner: r.owner, pair: r.pair, status: o.status, return_after_costs: o.returnAfterCosts, correct: o.correct },
});

/**
 * Measures every pending recommendation whose stop or target was hit, or whose horizon is over,
 * on market data up to now (never past the horizon); each measured outcome is stored with its
 * RecommendationOutcomeMeasured event. Recommendations of one pair and entry share the data read.
 * A pair whose data cannot be read stays pending (counted) and is tried again next time.
 */
export async function measurePending(rt: Runtime, limit = 5000): Promise<{ measured: number; pending: number; errors: number }> {
  const now = rt.app.clock.now();
  const cost = roundTripCost(rt.app.config.costs);
  const pending = await rt.app.store.investor.pending(limit);
  const bars = new Map<string, Promise<Candle[]>>();
  let measured = 0;
  let errors = 0;
  for (const r of pending) {
    const horizonEnd = r.barTime + r.horizonDays * DAY_MS;
    const until = Math.min(now, horizonEnd);
    const key = `${r.pair}:${r.barTime}:${until}`;
    if (!bars.has(key)) bars.set(key, barsAfter(rt, r.pair, r.barTime, until));
    let series: Candle[];
    try {
      series = await bars.get(key)!;
    } catch {
      errors++;
      continue;
    }
    const o = judgeOutcome(r, series, cost, now >= r.horizonEndsAt, now);
    if (!o) continue;
    const stored = await rt.commit(async (tx) => {
      const ok = await tx.investor.setOutcome(r.id, o);
      return { result: ok, events: ok ? [outcomeEvent(r, o)] : [] };
    });
    if (stored) measured++;
  }
  // Measured recommendations are evidence for the provider weights (a separate sample, counted at recommendations.memory_weight).
  if (measured > 0) await rt.app.feedback.memory.learn();
  return { measured, pending: pending.length - measured, errors };
}
