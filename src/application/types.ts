export type { OrderIntent } from '../execution/intents.js';
export type { Approval, AgentEvent } from '../agent/types.js';
// The plain data the use cases return, as types interfaces format.
export type { AgentSettings, RunState } from '../agent/settings.js';
export type { KillSwitchState } from '../agent/kill-switch.js';
export type { BacktestRequest } from '../app/backtest.js';
export type { BacktestResult, BacktestSettings } from '../backtest/types.js';
export type { RiskSummary } from '../backtest/monte-carlo.js';
export type { SearchMethod } from '../backtest/optimize.js';
export type { ParamSpace, SearchDef } from '../backtest/params.js';
export type { ExecutionResult, ExecutionPreview } from '../execution/execution-service.js';
export type { GateResult } from '../risk/types.js';
export type { TradeMetrics } from '../monitor/types.js';
export type { GroupStats } from '../memory/statistics.js';
export type { AgentHandle, AgentSummary, ReplayRequest } from './agent.js';
export type { JobControl, SearchRequest } from './backtests.js';
export type { RuntimeOptions } from './runtime.js';
export type { DomainEvent, DomainEventType } from '../core/events.js';
export type { Config } from '../config/schema.js';
