import type { RecommendationView } from '../../application/investor/recommendations.js';
import type { Approval } from '../../application/types.js';
import type { Decision } from '../../core/decision.js';
import { votesOf } from '../../application/vocabulary.js';

/** Inline keyboard buttons carry `ap:<approval id>:a|r`; `em:yes|no` confirms an emergency stop. */
export const approveData = (id: string) => `ap:${id}:a`;
export const rejectData = (id: string) => `ap:${id}:r`;

export function parseCallback(data: string | undefined): { kind: 'approval'; id: string; approve: boolean } | { kind: 'emergency'; confirm: boolean } | null {
  if (!data) return null;
  const a = /^ap:([0-9A-Za-z]+):([ar])$/.exec(data);
  if (a) return { kind: 'approval', id: a[1], approve: a[2] === 'a' };
  if (data === 'em:yes' || data === 'em:no') return { kind: 'emergency', confirm: data === 'em:yes' };
  return null;
}

export const approvalKeyboard = (id: string) => ({
  inline_keyboard: [
    [
      { text: '✅ Approve', callback_data: approveData(id) },
      { text: '❌ Reject', callback_data: rejectData(id) },
    ],
  ],
});

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Card of a pending approval (plain text: no parse mode, so nothing in a reasoning needs escaping). */
export function approvalCard(a: Pick<Approval, 'id' | 'pair' | 'action' | 'confidence' | 'summary' | 'expiresAt' | 'sizeUnits'>, d: Decision | null): string {
  const lines = [`🔔 Approval needed: ${a.action} ${a.pair}`, a.summary];
  if (d) lines.push(`size: ${d.suggestedSizeUnits} units ≈ ${d.suggestedSizeQuote.toFixed(2)} (quote)`);
  else if (a.sizeUnits !== undefined) lines.push(`size: ${a.sizeUnits} units`);
  lines.push(`confidence: ${a.confidence}%`);
  if (d) {
    lines.push(`reasoning: ${clip(d.reasoning.replace(/\s+/g, ' ').trim(), 400)}`);
    const votes = votesOf(d);
    lines.push(`votes: ${votes.map((v) => `${v.provider} ${v.action} ${v.confidence}%`).join(', ')}`);
  }
  // Approvals are queued only after the risk gate passed the decision; approving runs the gate again on fresh data.
  lines.push('risk: passed the gate (checked again on approve)');
  lines.push(`expires: ${new Date(a.expiresAt).toISOString()}`);
  lines.push(`id: ${a.id}`);
  return lines.join('\n');
}

const FINAL: Record<string, string> = { approved: '✅ APPROVED', rejected: '❌ REJECTED', expired: '⌛ EXPIRED' };

/** The card once decided: what it was, and how it ended (buttons removed). */
export function decidedCard(p: { summary: unknown; status: unknown; by?: unknown; approvalId: unknown; note?: unknown }): string {
  const by = p.by && p.by !== 'system' ? ` by ${String(p.by)}` : '';
  return [`${FINAL[String(p.status)] ?? String(p.status).toUpperCase()}${by}`, String(p.summary), ...(p.note ? [`note: ${String(p.note)}`] : []), `id: ${String(p.approvalId)}`].join('\n');
}

/** A daily recommendation sent to its owner's own Telegram chat, with the configured disclosure. */
export function recommendationCard(r: RecommendationView): string {
  const lines = [
    `📈 Daily recommendation: ${r.action} ${r.pair} (confidence ${r.confidence}%)`,
    `entry ${r.entry}${r.stop === null ? '' : `, stop ${r.stop}`}${r.target === null ? '' : `, target ${r.target}`}, horizon ${r.horizon}`,
  ];
  lines.push(`reasoning: ${clip(r.reasoning.replace(/\s+/g, ' ').trim(), 400)}`);
  lines.push(`votes: ${r.votes.map((v) => `${v.provider} ${v.action} ${v.confidence}%`).join(', ')}`);
  lines.push(`⚠️ ${r.disclosure}`);
  lines.push(`id: ${r.id}`);
  return lines.join('\n');
}
