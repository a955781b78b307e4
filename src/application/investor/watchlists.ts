import { FfeError, inputError } from '../../core/errors.js';
import { classifyPair } from '../../core/pair.js';
import { newUlid } from '../../lib/fast-ulid.js';
import type { WatchlistRecord } from '../../store/port.js';
import type { Principal } from '../auth/principal.js';
import type { Runtime } from '../runtime.js';
import { ownerOf } from './owner.js';

/** What the API and CLI show of a watchlist. */
export interface WatchlistView {
  id: string;
  name: string;
  pairs: string[];
  created_at: string;
  updated_at: string;
}

const view = (w: WatchlistRecord): WatchlistView => ({ id: w.id, name: w.name, pairs: w.pairs, created_at: new Date(w.createdAt).toISOString(), updated_at: new Date(w.updatedAt).toISOString() });

export const MAX_WATCHLIST_NAME = 80;

/** A pair FFE knows (crypto, forex or a stock ticker), canonical: `btc-usd` → `BTCUSD`; anything else is a 400 naming `pair`. */
export function normalisePair(input: string): string {
  try {
    return classifyPair(input).symbol;
  } catch (e) {
    if (e instanceof FfeError) throw new FfeError(e.kind, e.code, `pair: ${e.message}`);
    throw e;
  }
}

function checkName(name: string): string {
  const n = name.trim();
  if (!n || n.length > MAX_WATCHLIST_NAME) throw inputError('WATCHLIST_INVALID', `name: 1 to ${MAX_WATCHLIST_NAME} characters`);
  return n;
}

/** Canonical, unique pairs within the configured size. */
function checkPairs(pairs: string[], max: number): string[] {
  const out = [...new Set(pairs.map(normalisePair))];
  if (out.length > max) throw inputError('WATCHLIST_INVALID', `pairs: at most ${max} per watchlist (recommendations.max_pairs_per_watchlist), got ${out.length}`);
  return out;
}

/** Per-user watchlists: every call is about the caller's own lists; another user's id is simply not found. */
export const watchlistUseCases = (rt: Runtime) => {
  const store = () => rt.app.store.investor;
  const max = () => rt.app.config.recommendations.max_pairs_per_watchlist;
  const now = () => rt.app.clock.now();
  const notFound = (id: string) => inputError('WATCHLIST_NOT_FOUND', `no watchlist "${id}" of yours (\`ffe watchlist list\`, GET /api/v1/watchlists)`);
  const taken = (name: string) => inputError('WATCHLIST_NAME_TAKEN', `name: you already have a watchlist named "${name}"`);
  const get = async (who: Principal, id: string) => {
    const w = await store().watchlist(ownerOf(who), id);
    if (!w) throw notFound(id);
    return w;
  };
  const update = async (who: Principal, id: string, patch: { name?: string; pairs?: string[] }) => {
    const w = await get(who, id);
    const name = patch.name === undefined ? undefined : checkName(patch.name);
    const pairs = patch.pairs === undefined ? undefined : checkPairs(patch.pairs, max());
    if (!(await store().updateWatchlist(w.owner, id, { name, pairs }, now()))) throw name !== undefined ? taken(name) : notFound(id);
    return view((await store().watchlist(w.owner, id))!);
  };
  return {
    async list(who: Principal) {
      return { watchlists: (await store().watchlists(ownerOf(who))).map(view) };
    },
    async create(who: Principal, body: { name: string; pairs: string[] }) {
      const t = now();
      const w: WatchlistRecord = { id: newUlid(t), owner: ownerOf(who), name: checkName(body.name), pairs: checkPairs(body.pairs, max()), createdAt: t, updatedAt: t };
      if (!(await store().addWatchlist(w))) throw taken(w.name);
      return view(w);
    },
    get: async (who: Principal, id: string) => view(await get(who, id)),
    /** The caller's watchlist by id or, for the CLI, by name. */
    async find(who: Principal, idOrName: string) {
      const all = await store().watchlists(ownerOf(who));
      const w = all.find((x) => x.id === idOrName) ?? all.find((x) => x.name === idOrName);
      if (!w) throw notFound(idOrName);
      return view(w);
    },
    update,
    async remove(who: Principal, id: string): Promise<void> {
      if (!(await store().deleteWatchlist(ownerOf(who), id))) throw notFound(id);
    },
    async addPair(who: Principal, id: string, pair: string) {
      const w = await get(who, id);
      return update(who, id, { pairs: [...w.pairs, normalisePair(pair)] });
    },
    async removePair(who: Principal, id: string, pair: string) {
      const w = await get(who, id);
      const p = normalisePair(pair);
      if (!w.pairs.includes(p)) throw inputError('WATCHLIST_INVALID', `pair: ${p} is not in watchlist "${w.name}"`);
      return update(who, id, { pairs: w.pairs.filter((x) => x !== p) });
    },
  };
};
