import { useCallback, useState } from 'react';

/**
 * One user action against the API (a form's submit, a button): busy while it runs, its failure's
 * message kept for the page to show. `run` answers `{value}` on success and null on failure, so the
 * caller resets its form only after the server said yes.
 */
export function useAction(): {
  busy: boolean;
  error: string | null;
  setError(message: string | null): void;
  run<T>(fn: () => Promise<T>, prefix?: string): Promise<{ value: T } | null>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T>(fn: () => Promise<T>, prefix?: string): Promise<{ value: T } | null> => {
    setBusy(true);
    setError(null);
    try {
      return { value: await fn() };
    } catch (e) {
      setError(prefix ? `${prefix}: ${(e as Error).message}` : (e as Error).message);
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
