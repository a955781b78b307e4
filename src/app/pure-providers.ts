import type { ProviderFactory } from '../backtest/provider-run.js';
import { RulesProvider } from '../providers/rules/rules-provider.js';

/**
 * The providers a backtest can re-run on changed prices or settings, in any process: rules is
 * pure (the same pulse always gives the same answer) and needs nothing but its name. Kept apart
 * from the rest of the app so worker threads load only this.
 */
export const pureProviders: ProviderFactory = (p) => new RulesProvider(p.name);
