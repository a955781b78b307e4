/**
 * Alpha Vantage keys bars by wall-clock strings in the zone named by the payload's
 * "N. Time Zone" meta field: "US/Eastern" for stock intraday, "UTC" for forex and crypto.
 */

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const GMT_OFFSET = /^(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/i;

/** Wall-clock fields read as if they were UTC, or NaN when the text is not a date(-time). */
export function wallAsUtc(text: string): number {
  const m = WALL.exec(text.trim());
  if (!m) return Number.NaN;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1);
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  // Date.UTC rolls 2024-02-30 over to March; a calendar that rolls over is not a real label.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== +y || back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) {
    return Number.NaN;
  }
  return ms;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** Offset (ms) of `zone` from UTC at the instant `utcMs`. */
function offsetAt(f: Intl.DateTimeFormat, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(utcMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * Converts a zone name as Alpha Vantage writes it into a function from wall-clock ms (fields read
 * as UTC) to the true UTC instant, or null when the zone is unknown. "GMT+8" is read the way
 * people write it (eight hours ahead of UTC), not with the inverted POSIX `Etc/GMT+8` sign.
 */
export function zoneConverter(zone: string): ((wallMs: number) => number) | null {
  const z = zone.trim();
  if (/^(UTC|GMT|Z|Etc\/UTC|Etc\/GMT)$/i.test(z)) return (w) => w;
  const g = GMT_OFFSET.exec(z);
  if (g) {
    const off = (g[1] === '-' ? -1 : 1) * (Number(g[2]) * 3_600_000 + Number(g[3] ?? 0) * 60_000);
    return (w) => w - off;
  }
  const f = formatterFor(z);
  if (!f) return null;
  return (wallMs) => {
    // The offsets a day either side cover both sides of any DST change near this wall time; a
    // candidate is real when the zone has that offset at the candidate instant. In the repeated
    // autumn hour both are real and the first occurrence wins; in the spring-forward gap neither
    // is, and the pre-change offset is used. Neither case falls in Alpha Vantage's 04:00–20:00
    // extended session.
    const before = offsetAt(f, wallMs - 86_400_000);
    const after = offsetAt(f, wallMs + 86_400_000);
    const real = [wallMs - before, wallMs - after].filter((t, i) => offsetAt(f, t) === (i === 0 ? before : after));
    return real.length > 0 ? Math.min(...real) : wallMs - before;
  };
}
