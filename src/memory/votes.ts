import { ACTIONS, type Action, type Decision } from '../core/decision.js';
import type { ProviderVote } from './types.js';

const isAction = (v: unknown): v is Action => typeof v === 'string' && (ACTIONS as readonly string[]).includes(v);

function parseVote(v: unknown): ProviderVote | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const provider = typeof r.provider === 'string' ? r.provider : null;
  const { action, confidence } = r;
  if (!provider || !isAction(action)) return null;
  return { provider, action, confidence: typeof confidence === 'number' ? confidence : 50 };
}

/**
 * The per-provider votes behind a decision. An ensemble decision lists them in its metadata
 * (`provider_votes`; `metadata.votes` is the per-action tally, not votes); a single-provider
 * decision is one vote by itself.
 */
export function votesOf(d: Decision): ProviderVote[] {
  const raw = (d.metadata ?? {}).provider_votes;
  if (Array.isArray(raw)) return raw.map((v) => parseVote(v)).filter((v): v is ProviderVote => v !== null);
  return [{ provider: d.provider, action: d.signal.action, confidence: d.signal.confidence }];
}
