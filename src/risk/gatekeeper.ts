import type { Decision } from '../core/decision.js';
import { concentrationCheck } from './checks/concentration.js';
import { correlationCheck } from './checks/correlation.js';
import { dailyLossCheck } from './checks/daily-loss.js';
import { drawdownCheck } from './checks/drawdown.js';
import { leverageCheck } from './checks/leverage.js';
import { marketHoursCheck, staleDataCheck } from './checks/market.js';
import { varCheck } from './checks/var.js';
import { volatilityCheck } from './checks/volatility.js';
import type { CheckInput, CheckResult, Denial, GateResult, PortfolioContext, RiskCheck, RiskConfig } from './types.js';

export const ALL_CHECKS: readonly RiskCheck[] = [marketHoursCheck, staleDataCheck, drawdownCheck, dailyLossCheck, varCheck, correlationCheck, concentrationCheck, leverageCheck, volatilityCheck];

/**
 * The risk gate every order passes. It runs every check (not just up to the first denial) so the
 * caller sees the whole picture; the trade is approved only when none denies.
 */
export class RiskGatekeeper {
  constructor(
    private readonly limits: RiskConfig,
    private readonly checks: readonly RiskCheck[] = ALL_CHECKS,
  ) {}

  /** `quiet`: only denials' messages are written (a pass's is ''), for a caller that reads nothing else. */
  evaluate(decision: Decision | null, ctx: PortfolioContext, opts: { quiet?: boolean } = {}): GateResult {
    const quiet = opts.quiet === true;
    // One input for every check (they only read it); each result written key by key in the order
    // `{ check, ...result }` gave, without a spread's fresh object shape per check.
    const input: CheckInput = { decision, ctx, limits: this.limits, quiet };
    const results: CheckResult[] = [];
    const denials: Denial[] = [];
    for (const c of this.checks) {
      if (!this.limits.checks[c.name]) results.push({ check: c.name, status: 'disabled', message: quiet ? '' : `disabled by risk.checks.${c.name}`, value: null, limit: null });
      else if (c.entryOnly && ctx.trade.reducesExposure) results.push({ check: c.name, status: 'exempt', message: quiet ? '' : 'the trade reduces exposure', value: null, limit: null });
      else {
        const r = c.run(input);
        if (r.code === undefined) results.push({ check: c.name, status: r.status, message: r.message, value: r.value, limit: r.limit });
        else results.push({ check: c.name, status: r.status, code: r.code, message: r.message, value: r.value, limit: r.limit });
        if (r.status === 'deny') denials.push({ code: r.code!, check: c.name, message: r.message, value: r.value, limit: r.limit });
      }
    }
    return { approved: denials.length === 0, denials, checks: results };
  }

  /** The denials (codes, messages) of the last `refusal`, and its line. */
  private readonly lastCodes: string[] = [];
  private readonly lastMessages: string[] = [];
  private lastRefusal = '';

  /**
   * `evaluate`'s denials as one line ("CODE: message; ..."), or null when approved. Only a
   * denial's message is written: a backtest refuses most bars' entries and reads nothing else.
   * The same denials as last time give the same string (a backtest refuses bar after bar for
   * the same reasons: one string then serves them all).
   */
  refusal(decision: Decision | null, ctx: PortfolioContext): string | null {
    const codes = this.lastCodes;
    const messages = this.lastMessages;
    let n = 0;
    let same = true;
    const input: CheckInput = { decision, ctx, limits: this.limits, quiet: true };
    for (const c of this.checks) {
      if (!this.limits.checks[c.name] || (c.entryOnly && ctx.trade.reducesExposure)) continue;
      const r = c.run(input);
      if (r.status !== 'deny') continue;
      if (n >= codes.length || codes[n] !== r.code || messages[n] !== r.message) {
        same = false;
        codes[n] = r.code!;
        messages[n] = r.message;
      }
      n++;
    }
    if (n === 0) return null;
    if (same && n === codes.length) return this.lastRefusal;
    codes.length = messages.length = n;
    // join writes one flat string: kept in every rejection, a concatenated rope would keep its pieces alive.
    return (this.lastRefusal = codes.map((code, k) => `${code}: ${messages[k]}`).join('; '));
  }
}
