import type { Runtime } from '../runtime.js';
import { consentUseCases } from './consents.js';
import { userPrincipal } from './owner.js';
import { recommendationUseCases } from './recommendations.js';
import { scheduleDailyRuns } from './schedule.js';
import { watchlistUseCases } from './watchlists.js';

/** The investor platform (docs/recommendations.md): watchlists, daily recommendations with feedback and outcomes, consents. */
export const investorUseCases = (rt: Runtime) => {
  const recommendations = recommendationUseCases(rt);
  return {
    watchlists: watchlistUseCases(rt),
    recommendations,
    consents: consentUseCases(rt),
    /** The FFE user a CLI `--user NAME` acts for. */
    user: (name: string) => userPrincipal(rt, name),
    /**
     * Starts the daily run's schedule in a long-lived service (null when `recommendations.cron`
     * is null): only the leader runs it. Returns the schedule (its `stop` ends it).
     */
    schedule(o: { isLeader: () => boolean; log?: (m: string) => void; now?: () => number; repeat?: Parameters<typeof scheduleDailyRuns>[3]['repeat'] }) {
      const c = rt.app.config.recommendations;
      if (c.cron === null) return null;
      const s = scheduleDailyRuns(
        c.cron,
        c.timezone,
        {
          start: async (slot) => {
            const h = await recommendations.start('schedule', slot);
            if (h) void h.done.then((r) => o.log?.(`recommendations: run ${r.id}: ${r.pairs} pairs, ${r.recommendations} recommendations, ${r.errors} errors`)).catch(() => undefined);
          },
          measure: () => recommendations.measure(),
        },
        o,
      );
      rt.beforeClose(async () => s.stop());
      return s;
    },
  };
};
