import { z } from 'zod';

/** Whitespace or control characters: fetch would trim or refuse them, and they hide a typo. */
const BLANK = /[\s\u0000-\u001f\u007f]/;
/** `scheme://host:` followed by the end, a path, a query or a fragment: a colon with no port. */
const EMPTY_PORT = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:(?=[/?#]|$)/i;

/**
 * Why `value` is not a usable URL of one of `schemes`, or null when it is. WHATWG URL parsing
 * accepts `http://127.0.0.1:/v1` (empty port) and `http://host:0`, and trims surrounding
 * blanks; a setting refuses all of them, so the mistake surfaces at load, not as a connection
 * error naming no key.
 */
export function urlProblem(value: string, schemes: readonly string[]): string | null {
  const shape = `${schemes.map((s) => `${s}://`).join(' or ')} URL with a host (e.g. ${schemes[0]}://127.0.0.1:8080)`;
  if (BLANK.test(value)) return `a ${shape}, without spaces or control characters`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `a ${shape}`;
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme.toLowerCase())) return `a ${shape}, not ${scheme}:`;
  if (!u.hostname) return `a ${shape}`;
  if (EMPTY_PORT.test(value)) return `a ${shape} whose port, after the colon, is a number`;
  if (u.port === '0') return `a ${shape} whose port is 1–65535`;
  return null;
}

/**
 * The one schema of every URL-valued setting (providers', venues' and data sources' `base_url`,
 * the Redis URL...): a string that `urlProblem` accepts. The config loader names the key.
 */
export const urlSetting = (schemes: readonly string[] = ['http', 'https']) =>
  z.string().superRefine((value, ctx) => {
    const problem = urlProblem(value, schemes);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An http(s) server URL. */
export const httpUrl = () => urlSetting(['http', 'https']);
