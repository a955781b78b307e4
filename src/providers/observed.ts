import type { AnalysisContext, DecideOptions, DecisionProvider, ProviderResult } from './port.js';

export type ProviderCallListener = (c: { provider: string; pair: string; ms: number; status: string }) => void;

/**
 * A provider that reports each call (name, pair, time, outcome) to `onCall` and is otherwise the
 * provider it wraps. A provider that throws (it should return a typed failure) is reported as
 * `error` and the error goes on to the caller unchanged.
 */
export function observedProvider(inner: DecisionProvider, onCall: ProviderCallListener): DecisionProvider {
  const report = (ctx: AnalysisContext, started: number, status: string) => onCall({ provider: inner.name, pair: ctx.pair.symbol, ms: performance.now() - started, status });
  const outcome = (r: ProviderResult) => (r.ok ? 'ok' : r.code.toLowerCase());
  const observed: DecisionProvider = {
    name: inner.name,
    kind: inner.kind,
    model: inner.model,
    async decide(ctx: AnalysisContext, opts?: DecideOptions): Promise<ProviderResult> {
      const started = performance.now();
      let r: ProviderResult;
      try {
        r = await inner.decide(ctx, opts);
      } catch (e) {
        report(ctx, started, 'error');
        throw e;
      }
      report(ctx, started, outcome(r));
      return r;
    },
  };
  // A provider that answers without a promise (the rules) keeps doing so, reported the same way:
  // a backtest asks it at every bar, and hiding its decideNow put a promise on each of them.
  const now = (inner as Partial<ImmediateAnswer>).decideNow;
  if (typeof now !== 'function') return observed;
  const decideNow = (ctx: AnalysisContext): ProviderResult => {
    const started = performance.now();
    let r: ProviderResult;
    try {
      r = now.call(inner, ctx);
    } catch (e) {
      report(ctx, started, 'error');
      throw e;
    }
    report(ctx, started, outcome(r));
    return r;
  };
  return Object.assign(observed, { decideNow });
}

/** A provider's optional answer without a promise (pure, local providers: the rules). */
interface ImmediateAnswer {
  decideNow(ctx: AnalysisContext): ProviderResult;
}
