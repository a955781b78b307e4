import { ERROR_CATALOGUE, type ErrorEntry } from '../../core/error-catalogue.js';

/** A failure `ffe-ctl` reports as one line, with the exit code `ffe` would use for it. */
export class CtlError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** The server's error code, when the server answered with one. */
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CtlError';
  }
}

/** The server's error body `{error: {code, message, fields?, request_id}}`, read defensively. */
export interface ServerError {
  code?: string;
  message?: string;
  fields?: unknown;
  request_id?: string;
}

export function serverErrorOf(body: unknown): ServerError {
  const e = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (!e || typeof e !== 'object') return {};
  const r = e as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { code: str(r.code), message: str(r.message), fields: r.fields, request_id: str(r.request_id) };
}

/**
 * The exit code for a server error: the catalogue's when it knows the code (so `ffe-ctl` exits as
 * `ffe` would for the same failure), else by status: 400 and 404 the caller can fix (2), the rest 1.
 */
export function exitCodeFor(code: string | undefined, status: number): number {
  const entry = code ? (ERROR_CATALOGUE as Record<string, ErrorEntry>)[code] : undefined;
  if (entry) return entry.exit;
  return status === 400 || status === 404 ? 2 : 1;
}

/** `fields` as one readable clause, whatever shape the server gives it (map, list of {field, message}, list of names). */
export function fieldsText(fields: unknown): string {
  if (fields === null || fields === undefined) return '';
  const one = (name: unknown, msg: unknown) => (typeof msg === 'string' && msg !== '' ? `${String(name)}: ${msg}` : String(name));
  if (Array.isArray(fields)) {
    return fields
      .map((f) => {
        if (f && typeof f === 'object') {
          const r = f as Record<string, unknown>;
          const name = r.field ?? r.path ?? r.name ?? r.key;
          return one(Array.isArray(name) ? name.join('.') : (name ?? '?'), r.message ?? r.reason ?? r.error);
        }
        return String(f);
      })
      .join('; ');
  }
  if (typeof fields === 'object')
    return Object.entries(fields as Record<string, unknown>)
      .map(([k, v]) => one(k, Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : undefined))
      .join('; ');
  return String(fields);
}
