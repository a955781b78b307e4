/**
 * What Ctrl-C does to a long job (backtest, walk-forward, Monte Carlo, optimise): it cancels the
 * job at its next step, which ends the command with one line (`ffe: the job was cancelled`) and
 * exit code 130 (the shell's code for an interrupted command; the error catalogue's CANCELLED). Work that runs in process between two steps (a single
 * backtest's bars) finishes its step first.
 */
export const CANCEL_HELP = `
Ctrl-C cancels the job at its next step: the command prints "ffe: the job was cancelled" and exits 130.`;

/** Runs `fn` with a signal that SIGINT aborts; the handler is gone once `fn` settles. */
export async function cancelOnSigint<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.on('SIGINT', onSigint);
  try {
    return await fn(ac.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
