import { knownTimestampMs } from '../../core/decision.js';
import { parseIsoTime } from '../../lib/iso-time.js';
import { deny, pass, type RiskCheck } from '../types.js';

/** The market must be open: no venue fills a closed market at a fair price. Applies to exits too. */
export const marketHoursCheck: RiskCheck = {
  name: 'market_hours',
  entryOnly: false,
  run({ ctx, quiet }) {
    const s = ctx.market.status;
    return s.isOpen
      ? pass(quiet ? '' : `${ctx.trade.pair} market open (${s.session})`)
      : deny('MARKET_CLOSED', `${ctx.trade.pair} market is closed at ${new Date(ctx.marketNow).toISOString()} (${s.session}${s.reason ? `: ${s.reason}` : ''})`);
  },
};

/**
 * The price must be fresh, and the decision recent: a decision made on old data is about a
 * market that has moved on.
 */
export const staleDataCheck: RiskCheck = {
  name: 'stale_data',
  entryOnly: false,
  run({ ctx, decision, limits, quiet }) {
    const f = ctx.market.freshness;
    if (!f.isFresh) return deny('DATA_STALE', `market data for ${ctx.trade.pair} is stale: ${f.warning}`, f.ageMs / 60_000);
    if (decision) {
      // The record's time as a number when it has one: no ISO text written to be parsed back.
      const ageMin = (ctx.marketNow - (knownTimestampMs(decision) ?? parseIsoTime(decision.timestamp))) / 60_000;
      if (ageMin > limits.max_decision_age_minutes) {
        return deny('DECISION_STALE', `decision ${decision.id} is about data ${ageMin.toFixed(0)} minutes old (limit ${limits.max_decision_age_minutes}); analyse again`, ageMin, limits.max_decision_age_minutes);
      }
    }
    return pass(quiet ? '' : `price ${f.ageText} old`, f.ageMs / 60_000);
  },
};
