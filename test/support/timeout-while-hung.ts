/**
 * A venue (or any client) whose requests time out quickly only while its fake hangs on purpose.
 * With one short timeout for every request, a loaded machine turns a slow but healthy answer into
 * a timeout (a preflight GET timing out lost `outcome: 'unknown'` in the contract suite). Two
 * instances talk to the same fake: a patient one normally, a quick one in `hangMode`.
 */
export function timeoutWhileHung<V extends object, M extends string>(make: (timeoutMs: number) => V, setMode: (mode: M) => void, hangMode: M, quickMs = 400): { venue: V; fail: (mode: M) => void } {
  // Patient: longer than any test may run, so only the test's own timeout bounds a real hang.
  const patient = make(120_000);
  const quick = make(quickMs);
  let hung = false;
  const venue = new Proxy(patient, {
    get(_target, key) {
      const target = hung ? quick : patient;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    venue,
    fail: (mode) => {
      hung = mode === hangMode;
      setMode(mode);
    },
  };
}
