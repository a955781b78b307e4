import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ApiClient } from './api';
import { LiveFeed, type LiveEvent, type LiveState } from './live';
import { can, type Permission } from './roles';
import { Session, type Principal } from './session';

interface Services {
  session: Session;
  api: ApiClient;
  live: LiveFeed;
}

const Ctx = createContext<Services | null>(null);

/** The session, API client and live feed every page shares; the feed runs while someone is signed in. */
export function ServicesProvider({ children, services }: { children: ReactNode; services?: Services }) {
  const value = useMemo<Services>(() => {
    if (services) return services;
    const session = new Session();
    const api = new ApiClient(session);
    const live = new LiveFeed({ token: () => session.token() ?? session.refresh() });
    return { session, api, live };
  }, [services]);
  const principal = usePrincipalOf(value.session);
  useEffect(() => {
    if (principal && can(principal.role, 'read')) value.live.start();
    else value.live.stop();
  }, [principal, value.live]);
  useEffect(() => () => value.live.stop(), [value.live]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useServices(): Services {
  const s = useContext(Ctx);
  if (!s) throw new Error('useServices outside ServicesProvider');
  return s;
}

function usePrincipalOf(session: Session): Principal | null {
  return useSyncExternalStore(
    (cb) => session.subscribe(cb),
    () => session.principal,
  );
}

export function usePrincipal(): Principal | null {
  return usePrincipalOf(useServices().session);
}

/** Whether the signed-in role holds a permission: controls it lacks are not rendered. */
export function useCan(permission: Permission): boolean {
  return can(usePrincipal()?.role, permission);
}

export function useLiveState(): LiveState {
  const { live } = useServices();
  return useSyncExternalStore(
    (cb) => live.onState(cb),
    () => live.state,
  );
}

/** Calls `handler` for every live event of the given types (all types when none are given). */
export function useLiveEvents(types: readonly string[] | null, handler: (e: LiveEvent) => void): void {
  const { live } = useServices();
  const ref = useRef(handler);
  ref.current = handler;
  const key = types ? types.join(',') : '*';
  useEffect(() => {
    const wanted = key === '*' ? null : new Set(key.split(','));
    return live.onEvent((e) => {
      if (!wanted || wanted.has(e.type)) ref.current(e);
    });
  }, [live, key]);
}

export interface Resource<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload(): void;
  /** Changes the data in place (the server's answer to a change): shown at once, until the next load. */
  update(fn: (data: T) => T): void;
}

/**
 * Data from the API that stays current: loaded on mount and when `deps` change, and reloaded
 * (coalesced: at most once per `debounceMs`) when a live event of `refreshOn` arrives. Keeps the
 * last good data while reloading; an error is shown beside it rather than instead of it.
 */
export function useResource<T>(load: (api: ApiClient) => Promise<T>, deps: readonly unknown[], opts: { refreshOn?: readonly string[]; debounceMs?: number } = {}): Resource<T> {
  const { api } = useServices();
  const [state, setState] = useState<{ data: T | undefined; error: Error | null; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(api).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => void (live = false);
  }, [api, tick, ...deps]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  useLiveEvents(opts.refreshOn ?? [], () => {
    if (!opts.refreshOn?.length || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setTick((t) => t + 1);
    }, opts.debounceMs ?? 300);
  });
  return { ...state, reload: () => setTick((t) => t + 1), update: (fn) => setState((s) => (s.data === undefined ? s : { ...s, data: fn(s.data) })) };
}
