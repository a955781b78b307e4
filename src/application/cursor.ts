import { inputError } from '../core/errors.js';

/**
 * Opaque page cursors: what a list returned as `next_cursor`, handed back to get the next page.
 * Clients must not build them; a tag per list keeps one list's cursor from being read by another.
 */
export const encodeCursor = (tag: string, parts: readonly (string | number)[]): string => Buffer.from(JSON.stringify([tag, ...parts])).toString('base64url');

/** The parts of a cursor of this list; anything else is CURSOR_INVALID (400). */
export function decodeCursor(tag: string, cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  const ok = Array.isArray(v) && v.length === shape.length + 1 && v[0] === tag && shape.every((t, i) => typeof v[i + 1] === t);
  if (!ok) throw inputError('CURSOR_INVALID', 'cursor: not a cursor this list returned (pass next_cursor from the previous page as is)');
  return (v as unknown[]).slice(1) as (string | number)[];
}
