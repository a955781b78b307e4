import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { ApprovalQueue } from '../agent/approvals.js';
import { approvalsWithEvents } from '../agent/approval-events.js';
import { PortfolioMemory, type MemorySettings } from '../memory/memory-service.js';
import { recommendationSamples, roundTripCost } from '../memory/recommendation-samples.js';
import { AdaptiveWeights } from '../memory/weight-source.js';
import { monitorWithEvents } from '../monitor/closed-trade-events.js';
import type { AgentStateRepository, CloseReasonRepository, MemoryRepository, MonitorRepository, Store } from '../store/port.js';

export function memorySettings(cfg: Config): MemorySettings {
  const m = cfg.memory;
  return {
    gateAlpha: m.gate_alpha,
    priorStrength: m.prior_strength,
    minWeight: m.min_weight,
    changeEpsilon: m.change_epsilon,
    perRegime: m.per_regime,
    frozen: m.frozen,
    summaryWindow: m.summary_window,
    calibratedConfidence: m.calibrated_confidence,
    calibrationMinSamples: m.calibration_min_samples,
  };
}

/** A provider's configured ensemble weight: `ensemble.weights`, else its own `weight`, else 1. */
export const configuredWeight = (config: Config, name: string): number => config.ensemble.weights[name] ?? config.providers[name]?.weight ?? 1;

export interface FeedbackSetup {
  memory: PortfolioMemory;
  memoryRepo: MemoryRepository;
  /** The ensemble's WeightSource: learned weights, shrunk toward the configured ones. */
  weights: AdaptiveWeights;
  monitorRepo: MonitorRepository;
  closeReasons: CloseReasonRepository;
  approvals: ApprovalQueue;
  agentState: AgentStateRepository;
  /** Sets the ensemble members and their configured weights once the providers are built. */
  setMembers(weights: Record<string, number>): void;
}

/** Memory, monitor and agent stores of the feedback loop; built before the providers so the ensemble can take its weights from here. */
export function buildFeedback(config: Config, store: Store, clock: Clock, weightOverride?: () => Record<string, number> | null): FeedbackSetup {
  let members: Record<string, number> = {};
  const configured = (name: string) => configuredWeight(config, name);
  const memoryRepo = store.memory;
  // Measured recommendations count `recommendations.memory_weight` of a closed trade each (0: trades alone).
  const factor = config.recommendations.memory_weight;
  const recommendations = async () => ({ factor, samples: factor > 0 ? recommendationSamples(await store.investor.measured(), roundTripCost(config.costs)) : [] });
  const memory = new PortfolioMemory(memoryRepo, clock, () => members, memorySettings(config), recommendations);
  return {
    memory,
    memoryRepo,
    weights: new AdaptiveWeights(memory, configured, weightOverride),
    // A closed trade's record is stored with its PositionClosed event.
    monitorRepo: monitorWithEvents(store),
    closeReasons: store.closeReasons,
    // An approval queued or decided is announced with its ApprovalRequested / ApprovalDecided event.
    approvals: new ApprovalQueue(
      approvalsWithEvents(store, () => clock.now()),
      clock,
      config.agent.approval_ttl_seconds * 1000,
    ),
    agentState: store.agentState,
    setMembers: (w) => {
      members = w;
    },
  };
}
