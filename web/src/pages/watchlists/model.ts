/** What the Watchlists page checks before asking the server (which normalises and validates pairs itself). */

/** "btc-usd, ETHUSD  sol/usd" → ['btc-usd', 'ETHUSD', 'sol/usd']: commas or spaces separate, duplicates (case-blind) dropped. */
export function parsePairs(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of text.split(/[\s,;]+/)) {
    const key = p.toUpperCase();
    if (!p || seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

export const MAX_NAME = 64;

/** The name field's complaint, or null when it will do. */
export function watchlistNameError(name: string): string | null {
  const n = name.trim();
  if (!n) return 'name: required';
  if (n.length > MAX_NAME) return `name: at most ${MAX_NAME} characters`;
  return null;
}
