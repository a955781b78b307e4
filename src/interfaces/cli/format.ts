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
