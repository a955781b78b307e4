import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { ApprovalQueue } from '../agent/approvals.js';
import { PortfolioMemory, type MemorySettings } from '../memory/memory-service.js';
import { AdaptiveWeights } from '../memory/weight-source.js';
import { SqliteAgentStateRepository, SqliteApprovalRepository } from '../store/sqlite/agent-repository.js';
import { SqliteMemoryRepository } from '../store/sqlite/memory-repository.js';
import { SqliteMonitorRepository } from '../store/sqlite/monitor-repository.js';
import type { SqliteStore } from '../store/sqlite/store.js';

export function memorySettings(cfg: Config): MemorySettings {
  const m = cfg.memory;
  return {
    minOutcomes: m.min_outcomes,
    priorStrength: m.prior_strength,
    minWeight: m.min_weight,
    changeEpsilon: m.change_epsilon,
    perRegime: m.per_regime,
    frozen: m.frozen,
    summaryWindow: m.summary_window,
  };
}

export interface FeedbackSetup {
  memory: PortfolioMemory;
  memoryRepo: SqliteMemoryRepository;
  /** The ensemble's WeightSource: learned weights, shrunk toward the configured ones. */
  weights: AdaptiveWeights;
  monitorRepo: SqliteMonitorRepository;
  approvals: ApprovalQueue;
  agentState: SqliteAgentStateRepository;
  /** Sets the ensemble members and their configured weights once the providers are built. */
  setMembers(weights: Record<string, number>): void;
}

/** Memory, monitor and agent stores of the feedback loop; built before the providers so the ensemble can take its weights from here. */
export function buildFeedback(config: Config, store: SqliteStore, clock: Clock): FeedbackSetup {
  let members: Record<string, number> = {};
  const configured = (name: string) => config.ensemble.weights[name] ?? config.providers[name]?.weight ?? 1;
  const memoryRepo = new SqliteMemoryRepository(store.sqlite);
  const memory = new PortfolioMemory(memoryRepo, clock, () => members, memorySettings(config));
  return {
    memory,
    memoryRepo,
    weights: new AdaptiveWeights(memory, configured),
    monitorRepo: new SqliteMonitorRepository(store.sqlite),
    approvals: new ApprovalQueue(new SqliteApprovalRepository(store.sqlite), clock, config.agent.approval_ttl_seconds * 1000),
    agentState: new SqliteAgentStateRepository(store.sqlite),
    setMembers: (w) => {
      members = w;
    },
  };
}
