import { FfeError, isFfeError } from '../../core/errors.js';

/** The URL as it may be printed: the password replaced by `***`. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not parseable: hide whatever sits between "://user:" and "@".
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/**
 * One line for a PostgreSQL failure, naming database.url without its password. `opening`: the
 * store was being opened (a refused connection is then a wrong or unreachable URL); otherwise a
 * connection that fails is the server going away mid-run. SQL errors pass through unchanged.
 */
export function classifyPgError(e: unknown, url: string, opening: boolean): unknown {
  if (isFfeError(e)) return e;
  const err = e as { code?: string; message?: string };
  const where = `database.url ${maskUrl(url)}`;
  const reason = (err.message ?? String(e)).split('\n')[0].replaceAll(url, maskUrl(url));
  if (err.code === '28P01' || err.code === '28000') return new FfeError('config', 'STORE_AUTH', `${where}: the server refused the credentials (${reason})`);
  if (err.code === '3D000') return new FfeError('config', 'STORE_DB_MISSING', `${where}: ${reason} (create it, or fix the name in the URL)`);
  const lost =
    err.code === '57P01' || err.code === '57P02' || err.code === '57P03' || err.code?.startsWith('08') || /Connection terminated|connection timeout|not queryable|Client has encountered a connection error/i.test(reason);
  if ((err.code && CONNECT_CODES.has(err.code)) || lost)
    return opening
      ? new FfeError('runtime', 'STORE_UNREACHABLE', `${where}: the server does not answer (${reason})`)
      : new FfeError('runtime', 'STORE_UNAVAILABLE', `${where}: lost the connection to the server (${reason}); nothing of the interrupted transaction was kept`);
  if (err.code === '55P03') return new FfeError('runtime', 'STORE_BUSY', `${where}: another writer kept the store's write lock too long`);
  return e;
}
