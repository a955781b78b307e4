/**
 * Domain events: what happened, in the order it happened. Each is written to the store's outbox
 * in the same transaction as the state change it reports, so a subscriber never sees an event
 * for a change that rolled back, and never misses one that committed.
 */
export type DomainEventType =
  | 'DecisionMade'
  | 'GateDenied'
  | 'OrderSubmitted'
  | 'OrderFilled'
  | 'OrderRejected'
  | 'PositionClosed'
  | 'TradeLearned'
  | 'WeightsChanged'
  | 'AgentStateChanged'
  | 'KillSwitchTripped'
  | 'BreakerStateChanged'
  | 'BacktestProgress'
  | 'ApprovalRequested'
  | 'ApprovalDecided'
  | 'RecommendationCreated'
  | 'RecommendationOutcomeMeasured';

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [
  'DecisionMade',
  'GateDenied',
  'OrderSubmitted',
  'OrderFilled',
  'OrderRejected',
  'PositionClosed',
  'TradeLearned',
  'WeightsChanged',
  'AgentStateChanged',
  'KillSwitchTripped',
  'BreakerStateChanged',
  'BacktestProgress',
  'ApprovalRequested',
  'ApprovalDecided',
  'RecommendationCreated',
  'RecommendationOutcomeMeasured',
];

/** An event before the outbox numbered it. */
export interface NewDomainEvent {
  type: DomainEventType;
  /** ms. */
  at: number;
  /** Plain JSON data (no secrets: events reach WebSocket, Telegram and dashboard subscribers). */
  payload: Record<string, unknown>;
}

export interface DomainEvent extends NewDomainEvent {
  /** Position in the outbox: strictly increasing in commit order, never reused. */
  seq: number;
}
