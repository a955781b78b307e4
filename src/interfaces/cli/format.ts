import Table from 'cli-table3';

export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

export const iso = (ms: number | null | undefined): string => (ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'));

export function num(x: number | null | undefined, digits?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  const d = digits ?? (Math.abs(x) >= 1000 ? 2 : Math.abs(x) >= 1 ? 4 : 6);
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });
}

export const pct = (fraction: number | null | undefined, digits = 2): string =>
  fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '-' : `${(fraction * 100).toFixed(digits)}%`;

const FAILURE_WORDS: Record<string, string> = {
  TIMEOUT: 'timed out',
  REPLAY_MISS: 'missed the cassette',
  UNREACHABLE: 'was unreachable',
  HTTP: 'answered with an HTTP error',
  INVALID_OUTPUT: 'answered something unusable',
  NOT_INSTALLED: 'is not installed',
  BUDGET_EXHAUSTED: 'has spent its daily budget',
  ABORTED: 'was cancelled',
};

const failed = (f: { provider: string; code: string; reason?: string }) =>
  `${f.provider} ${FAILURE_WORDS[f.code] ?? 'failed'} (${f.code}${f.reason ? `: ${f.reason}` : ''})`;

/**
 * What a person must know before trusting a decision: whether it is degraded (the provider asked
 * did not answer, so a fallback did) and which providers failed, timed out or missed the cassette.
 * Empty when every provider answered.
 */
export function providerHealthLines(metadata: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const failure = metadata.providerFailure as { provider: string; code: string; reason: string } | undefined;
  const members = (Array.isArray(metadata.providers_failed) ? metadata.providers_failed : []) as { provider: string; code: string; reason: string }[];
  if (metadata.degraded === true) {
    const by = typeof metadata.fallbackUsed === 'string' ? `the fallback provider ${metadata.fallbackUsed} answered instead` : 'no fallback answered: HOLD';
    lines.push(`DEGRADED decision: ${failure ? failed(failure) : 'the provider did not answer'}; ${by}. It is not executed unless execution.allow_degraded is set.`);
  }
  if (members.length) lines.push(`ensemble members that did not answer: ${members.map((m) => failed({ provider: m.provider, code: m.code })).join('; ')}`);
  return lines;
}
