import { useCallback, useEffect, useRef, useState } from 'react';

/** Something listed newest first. */
export interface Dated {
  id: string;
  created_at: string;
}

/** `shown` and `fresh` as one list, newest first, each id once (the fresh copy wins). */
export function mergeNewest<T extends Dated>(shown: readonly T[], fresh: readonly T[]): T[] {
  const byId = new Map(shown.map((d) => [d.id, d]));
  for (const d of fresh) byId.set(d.id, d);
  return [...byId.values()].sort((a, b) => (a.created_at === b.created_at ? b.id.localeCompare(a.id) : b.created_at.localeCompare(a.created_at)));
}

const REFRESH_COALESCE_MS = 300;

export interface CursorPage<T> {
  items: T[];
  next: string | null;
}

export interface CursorList<T> {
  items: T[];
  /** The server's cursor for the next (older) page; null at the end. */
  cursor: string | null;
  /** The first page is loading (after mount or a change of `key`). */
  loading: boolean;
  /** A further page is loading. */
  more: boolean;
  error: Error | null;
  loadFirst(): void;
  loadMore(): void;
  /** The newest page again, merged on top, at most once per burst (for live events; a failure keeps what is shown). */
  refreshTop(): void;
  /** Changes the shown items in place (a rating's answer, a live outcome). */
  update(fn: (items: T[]) => T[]): void;
}

export type PageWanted = 'first' | 'more' | 'top';

/**
 * A list the server pages with a cursor, newest first: the first page on mount and whenever `key`
 * (the filters) changes, "load more" follows the cursor, and answers of a superseded key are dropped.
 * `fetchPage(cursor, wanted)`: the page after `cursor` (null: the newest); `wanted` says why ('top':
 * a live refresh of the newest, which may ask for fewer).
 */
export function useCursorList<T extends Dated>(fetchPage: (cursor: string | null, wanted: PageWanted) => Promise<CursorPage<T>>, key: string): CursorList<T> {
  const [state, setState] = useState<{ items: T[]; cursor: string | null; loading: boolean; more: boolean; error: Error | null }>({ items: [], cursor: null, loading: true, more: false, error: null });
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const loadFirst = useCallback(() => {
    const gen = ++generation.current;
    setState((s) => ({ ...s, items: [], loading: true, error: null }));
    fetchRef.current(null, 'first').then(
      (p) => gen === generation.current && setState({ items: p.items, cursor: p.next, loading: false, more: false, error: null }),
      (error: Error) => gen === generation.current && setState((s) => ({ ...s, loading: false, error })),
    );
    // `key` stands for what fetchPage reads: a new key starts over.
  }, [key]);
  useEffect(loadFirst, [loadFirst]);

  const loadMore = () => {
    const gen = generation.current;
    setState((s) => ({ ...s, more: true, error: null }));
    fetchRef.current(state.cursor, 'more').then(
      (p) => gen === generation.current && setState((s) => ({ ...s, items: mergeNewest(s.items, p.items), cursor: p.next, more: false })),
      (error: Error) => gen === generation.current && setState((s) => ({ ...s, more: false, error })),
    );
  };

  // Live events come in bursts (a run, a fill): one refresh per burst.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  const refreshTop = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      const gen = generation.current;
      fetchRef.current(null, 'top').then(
        (p) => gen === generation.current && setState((s) => ({ ...s, items: mergeNewest(s.items, p.items) })),
        () => undefined,
      );
    }, REFRESH_COALESCE_MS);
  };

  return { ...state, loadFirst, loadMore, refreshTop, update: (fn) => setState((s) => ({ ...s, items: fn(s.items) })) };
}
