export type DeadlineOutcome<T> = { status: 'ok'; value: T } | { status: 'timeout' } | { status: 'aborted' };

/**
 * Runs `fn` with a signal that aborts after `ms` or when `outer` aborts, and settles by then even
 * when `fn` ignores its signal: a stuck call can never hold its caller past the deadline.
 * Errors `fn` throws before the deadline propagate.
 */
export async function runWithDeadline<T>(ms: number, outer: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<DeadlineOutcome<T>> {
  if (outer?.aborted) return { status: 'aborted' };
  const ctl = new AbortController();
  let timedOut = false;
  let stop: (o: DeadlineOutcome<T>) => void = () => {};
  const stopped = new Promise<DeadlineOutcome<T>>((resolve) => (stop = resolve));
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort(new Error(`deadline of ${ms} ms passed`));
    stop({ status: 'timeout' });
  }, ms);
  const onOuter = () => {
    ctl.abort(outer?.reason);
    stop({ status: 'aborted' });
  };
  outer?.addEventListener('abort', onOuter, { once: true });
  try {
    const run = fn(ctl.signal).then(
      (value): DeadlineOutcome<T> => ({ status: 'ok', value }),
      (e: unknown): DeadlineOutcome<T> => {
        if (ctl.signal.aborted) return { status: timedOut ? 'timeout' : 'aborted' };
        throw e;
      },
    );
    return await Promise.race([run, stopped]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}
