// Values interfaces need to parse their input and render results, re-exported so that no
// interface reaches past the application layer.
export { parseAsOf, parseDate } from '../backtest/data.js';
export { METRIC_ROWS, renderHtmlReport, renderSearchReport } from '../backtest/report-html.js';
export { RISK_PARAMS, reuseText, strategyParams } from '../backtest/risk-params.js';
export { parseParamFlags } from '../backtest/strategies/index.js';
export { objective, OBJECTIVES } from '../backtest/objective.js';
export { reconcileText } from '../execution/reconcile.js';
export { isSandboxName } from './home.js';
export { metricsSummary } from './insight.js';
export { reconcileHalt } from './trading.js';
export { packageVersion } from '../lib/package-root.js';
export { agentEventOf } from '../agent/domain-events.js';
export { votesOf } from '../memory/votes.js';
