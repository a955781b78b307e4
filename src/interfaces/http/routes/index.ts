import type { RouteDef } from '../route.js';
import { approvalsRoutes } from './approvals.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { backtestRoutes } from './backtests.js';
import { botRoutes } from './bot.js';
import { decisionsRoutes } from './decisions.js';
import { gdprRoutes } from './gdpr.js';
import { insightRoutes } from './insight.js';
import { marketRoutes } from './market.js';
import { portfolioRoutes } from './portfolio.js';
import { consentRoutes } from './consents.js';
import { recommendationRoutes } from './recommendations.js';
import { watchlistRoutes } from './watchlists.js';

/** Every API route group the server registers: one line per group (src/interfaces/http/routes/<group>.ts). */
// prettier-ignore
export const ROUTE_GROUPS: readonly (readonly RouteDef[])[] = [
  authRoutes,
  botRoutes,
  decisionsRoutes,
  approvalsRoutes,
  portfolioRoutes,
  backtestRoutes,
  marketRoutes,
  auditRoutes,
  insightRoutes,
  watchlistRoutes,
  recommendationRoutes,
  consentRoutes,
  gdprRoutes,
];

export const API_ROUTES: readonly RouteDef[] = ROUTE_GROUPS.flat();
