import { pct } from './format.js';
import { performance, providerStats } from './statistics.js';
import type { TradeOutcome } from './types.js';

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : word === 'loss' ? 'losses' : `${word}s`}`;

/** Consecutive wins (+n) or losses (−n) ending with the most recent trade. */
export function streak(outcomes: readonly TradeOutcome[]): number {
  let s = 0;
  for (let i = outcomes.length - 1; i >= 0; i--) {
    const win = outcomes[i].pnl > 0;
    if (s === 0) s = win ? 1 : -1;
    else if (win === s > 0) s += win ? 1 : -1;
    else break;
  }
  return s;
}

export interface SummaryInput {
  pair: string;
  regime: string;
  /** Most recent trades over all pairs, oldest first. */
  recent: readonly TradeOutcome[];
  /** Most recent trades entered in `regime`, oldest first. */
  inRegime: readonly TradeOutcome[];
  weights: Record<string, number>;
}

/** The few lines of feedback the providers read: how recent trades went and what worked in this regime. */
export function memorySummary(s: SummaryInput): string {
  const p = performance(s.recent.map((o) => o.returnFraction));
  const pnl = s.recent.reduce((a, o) => a + o.pnl, 0);
  const st = streak(s.recent);
  const lines = [`Last ${p.n} closed trades: win rate ${pct(p.hitRate)}, P&L ${pnl >= 0 ? '+' : ''}${pnl.toFixed(2)}, average return ${pct(p.avgReturn, 2)}, streak ${plural(Math.abs(st), st >= 0 ? 'win' : 'loss')}.`];
  const pairTrades = s.recent.filter((o) => o.pair === s.pair);
  if (pairTrades.length) {
    const pp = performance(pairTrades.map((o) => o.returnFraction));
    lines.push(`${s.pair}: ${pp.n} of them, win rate ${pct(pp.hitRate)}, average return ${pct(pp.avgReturn, 2)}.`);
  }
  if (s.inRegime.length) {
    const rp = performance(s.inRegime.map((o) => o.returnFraction));
    const bySide = (['long', 'short'] as const)
      .map((side) => ({ side, p: performance(s.inRegime.filter((o) => o.side === side).map((o) => o.returnFraction)) }))
      .filter((x) => x.p.n > 0)
      .map((x) => `${x.side} ${x.p.n} trades, win ${pct(x.p.hitRate)}`)
      .join('; ');
    const best = providerStats(s.inRegime).sort((a, b) => b.avgReturn - a.avgReturn)[0];
    lines.push(`In ${s.regime}: ${rp.n} trades, win rate ${pct(rp.hitRate)} (${bySide})${best ? `; best-calling provider ${best.key} (${pct(best.hitRate)} right)` : ''}.`);
  } else {
    lines.push(`No closed trades yet in the ${s.regime} regime.`);
  }
  const w = Object.entries(s.weights)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  if (w) lines.push(`Ensemble weights now: ${w}.`);
  return lines.join('\n');
}
