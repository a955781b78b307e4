import type { RouteDef } from '../route.js';
import { approvalsRoutes } from './approvals.js';
import { decisionsRoutes } from './decisions.js';
import { portfolioRoutes } from './portfolio.js';

/** Every API route group the server registers: one line per group (src/interfaces/http/routes/<group>.ts). */
export const ROUTE_GROUPS: readonly (readonly RouteDef[])[] = [decisionsRoutes, approvalsRoutes, portfolioRoutes];

export const API_ROUTES: readonly RouteDef[] = ROUTE_GROUPS.flat();
