import { FfeError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { D, text, type Dec } from '../venues/decimal.js';
import type { Fill } from '../core/order.js';
import type { Venue } from '../venues/port.js';
import { isPending } from './outcome.js';
import type { OrderSubmitter } from './submitter.js';
import type { IntentState } from './intents.js';
import type { OrderJournalRepository } from '../store/port.js';

export interface PositionComparison {
  pair: string;
  /** Signed net units: positive long, negative short. */
  journal: string;
  venue: string;
  match: boolean;
}

export interface ReconcileReport {
  account: string;
  venue: string;
  /** ms. */
  at: number;
  /** Intents whose outcome this run learned from the venue. */
  settled: { clientOrderId: string; from: IntentState; to: IntentState; reason: string | null }[];
  /** Intents whose outcome is still unknown: trading waits for them. */
  pending: { clientOrderId: string; state: IntentState; pair: string; reason: string | null }[];
  positions: PositionComparison[];
  /** Venue-side exits (stop-loss, take-profit) adopted into the journal by this run. */
  adoptedFills: string[];
  /** Venue fills that FFE did not send and that are not exits: orders placed outside FFE. */
  foreignFills: string[];
  ok: boolean;
}

/** Net signed units per pair of a venue's positions. */
export async function venueNet(venue: Venue, owns: (pair: string) => boolean = () => true): Promise<Record<string, string>> {
  const net = new Map<string, Dec>();
  for (const p of await venue.positions()) {
    if (!owns(p.pair)) continue;
    const signed = new D(p.units).times(p.side === 'long' ? 1 : -1);
    net.set(p.pair, (net.get(p.pair) ?? new D(0)).plus(signed));
  }
  return Object.fromEntries([...net].filter(([, u]) => !u.isZero()).map(([p, u]) => [p, text(u)]));
}

/**
 * Brings the journal in line with the venue before any trading: every unfinished intent is
 * settled from the venue's record of its client order id, then the positions the journal
 * implies are compared with the venue's. It never guesses: what it cannot explain is reported.
 * `owns` limits it to the pairs `venue` trades, when it is one venue of an account over several.
 * `interrupted`: decisions whose orders a process that has since stopped was sending (a killed
 * agent run's in-flight decision); see OrderSubmitter.settle.
 */
export async function reconcile(
  account: string,
  venue: Venue,
  journal: OrderJournalRepository,
  submitter: OrderSubmitter,
  clock: Clock,
  owns: (pair: string) => boolean = () => true,
  interrupted: readonly string[] = [],
): Promise<ReconcileReport> {
  const settled: ReconcileReport['settled'] = [];
  const pending: ReconcileReport['pending'] = [];
  const mineOnly = (net: Record<string, string>) => Object.fromEntries(Object.entries(net).filter(([p]) => owns(p)));
  for (const before of await journal.unsettled(account)) {
    if (!owns(before.pair)) continue;
    const after = await submitter.settle(before, venue, { senderStopped: before.decisionId !== null && interrupted.includes(before.decisionId) });
    if (after.state !== before.state) settled.push({ clientOrderId: after.clientOrderId, from: before.state, to: after.state, reason: after.reason });
    if (isPending(after)) pending.push({ clientOrderId: after.clientOrderId, state: after.state, pair: after.pair, reason: after.reason });
  }
  let [mine, theirs] = await Promise.all([journal.netPositions(account).then(mineOnly), venueNet(venue, owns)]);
  let foreign: Fill[] = [];
  let adopted: Fill[] = [];
  if (!sameNet(mine, theirs)) {
    ({ adopted, foreign } = await adoptVenueExits(account, venue, journal, clock, mine, owns));
    if (adopted.length) mine = mineOnly(await journal.netPositions(account));
  }
  const pairs = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].sort();
  const positions = pairs.map((pair) => {
    const j = mine[pair] ?? '0';
    const v = theirs[pair] ?? '0';
    return { pair, journal: j, venue: v, match: new D(j).eq(v) };
  });
  return {
    account,
    venue: venue.name,
    at: clock.now(),
    settled,
    pending,
    positions,
    adoptedFills: adopted.map(fillLine),
    foreignFills: foreign.map(fillLine),
    ok: pending.length === 0 && positions.every((p) => p.match),
  };
}

const sameNet = (a: Record<string, string>, b: Record<string, string>) => [...new Set([...Object.keys(a), ...Object.keys(b)])].every((p) => new D(a[p] ?? '0').eq(b[p] ?? '0'));

const fillLine = (f: Fill) => `${f.clientOrderId || f.venueOrderId} ${f.side} ${f.units} ${f.pair} at ${f.price} (${new Date(f.timestamp).toISOString()})`;

/**
 * Fills the venue made on its own (an attached stop-loss or take-profit, a liquidation) carry
 * client ids we never journaled. Each is adopted once (the adjustment id is the fill id) when it
 * is the venue's own attached exit (`fill.exit`: it closed protection FFE attached, whatever the
 * journal holds now, e.g. after a later trade flipped the position), or when it only shrinks a
 * journal position (an exit the venue does not label). Any other fill opens or grows exposure:
 * someone else trades the account, and a person must judge it.
 *
 * The fills asked for start at the oldest intent, except on a simulated venue: its clock can run
 * in the past (a replay stamps fills with the replayed time, before intents written at the
 * present), its fills are local, and no one but FFE and its own triggers trades it.
 */
async function adoptVenueExits(account: string, venue: Venue, journal: OrderJournalRepository, clock: Clock, net: Record<string, string>, owns: (pair: string) => boolean): Promise<{ adopted: Fill[]; foreign: Fill[] }> {
  const intents = (await journal.list({ account, limit: Number.MAX_SAFE_INTEGER })).filter((i) => owns(i.pair));
  if (intents.length === 0) return { adopted: [], foreign: [] };
  const known = new Set(intents.map((i) => i.clientOrderId));
  const done = await journal.adjustmentIds(account);
  const units = new Map(Object.entries(net).map(([p, u]) => [p, new D(u)]));
  const adopted: Fill[] = [];
  const foreign: Fill[] = [];
  const since = venue.capabilities.simulated ? undefined : Math.min(...intents.map((i) => i.createdAt));
  for (const f of await venue.fills(since)) {
    if (!owns(f.pair) || known.has(f.clientOrderId) || done.has(`fill:${f.fillId}`)) continue;
    const held = units.get(f.pair) ?? new D(0);
    const signed = new D(f.units).times(f.side === 'buy' ? 1 : -1);
    const shrinks = !held.isZero() && held.isNeg() !== signed.isNeg() && signed.abs().lte(held.abs());
    if (!f.exit && !shrinks) {
      foreign.push(f);
      continue;
    }
    await journal.adjust({ id: `fill:${f.fillId}`, account, pair: f.pair, units: text(signed), reason: `venue-side ${f.exit ?? 'exit'} ${fillLine(f)}`, createdAt: clock.now() });
    units.set(f.pair, held.plus(signed));
    adopted.push(f);
  }
  return { adopted, foreign };
}

export function reconcileText(r: ReconcileReport): string {
  const lines = [`reconcile ${r.account} account on ${r.venue}: ${r.ok ? 'OK' : 'MISMATCH — trading is halted'}`];
  for (const s of r.settled) lines.push(`  settled ${s.clientOrderId}: ${s.from} → ${s.to}${s.reason ? ` (${s.reason})` : ''}`);
  for (const p of r.pending) lines.push(`  outcome unknown: ${p.clientOrderId} ${p.pair} ${p.state}${p.reason ? ` (${p.reason})` : ''}; the venue has not confirmed it yet`);
  for (const f of r.adoptedFills) lines.push(`  adopted venue-side exit: ${f}`);
  for (const f of r.foreignFills) lines.push(`  fill not sent by FFE: ${f}`);
  for (const p of r.positions) lines.push(`  ${p.match ? 'ok      ' : 'MISMATCH'} ${p.pair}: journal ${p.journal}, venue ${p.venue}`);
  if (r.positions.length === 0) lines.push('  no positions in the journal or at the venue');
  if (!r.ok) {
    lines.push(
      r.pending.length
        ? '  wait for the venue to answer and run `ffe reconcile` again'
        : '  positions differ: check the venue for orders placed outside FFE (or stop-loss/take-profit fills), then `ffe reconcile --accept` adopts the venue positions',
    );
  }
  return lines.join('\n');
}

/** The error code of a report that halts trading. */
export const reconcileCode = (r: ReconcileReport): 'RECONCILE_PENDING' | 'RECONCILE_MISMATCH' => (r.pending.length ? 'RECONCILE_PENDING' : 'RECONCILE_MISMATCH');

export const reconcileError = (r: ReconcileReport) =>
  new FfeError('runtime', reconcileCode(r), `trading halted: the journal does not match the venue\n${reconcileText(r)}`, {
    report: r,
  });
