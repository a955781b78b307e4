/** A group of use cases whose every member is an async function: the only kind that can be loaded on first call. */
export type AsyncGroup<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * A use-case group whose module is imported on its first call rather than when FfeApi is built,
 * so a command pays only for the groups it uses (`ffe analyze` never loads auth/jose, backtests,
 * jobs or GDPR: issue 17). Callers see the same members; each returns the same promise it would
 * have. Only for groups of async members: a sync member cannot wait for an import.
 */
export function lazyGroup<T extends AsyncGroup<T>>(load: () => Promise<T>): T {
  let loading: Promise<T> | null = null;
  const group = () =>
    (loading ??= load().catch((e: unknown) => {
      // A failed import is retried on the next call rather than remembered.
      loading = null;
      throw e;
    }));
  const members = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as T, {
    get(_target, prop) {
      // Not a thenable (so `await api.auth` is the group itself), and no symbol-keyed members.
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      let m = members.get(prop);
      if (!m) {
        m = async (...args: unknown[]) => {
          const g = (await group()) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
          return g[prop](...args);
        };
        members.set(prop, m);
      }
      return m;
    },
  });
}
