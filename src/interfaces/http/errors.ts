import { FfeError, isFfeError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';

/** The one error body of every non-2xx answer, Fastify's own included. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[]; request_id: string };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** Unexpected: logged with its stack (scrubbed), answered with a generic 500. */
  unexpected: boolean;
}

/** Where a validation failure sits, as the caller wrote it: `body.asset_pair`, `query.limit`, `params.id`. */
const CONTEXT: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

type FastifyLike = Error & { statusCode?: number; code?: string; validation?: { instancePath?: string; message?: string }[]; validationContext?: string };

/** An error that carries field-level detail (validation failures and bad headers). */
export class FieldsError extends FfeError {
  constructor(
    message: string,
    readonly fields: { path: string; message: string }[],
  ) {
    super('input', 'REQUEST_INVALID', message);
  }
}

/** A Fastify-raised error (parsing, limits, routing) as the catalogued FfeError it means. */
function fromFastify(err: FastifyLike): FfeError | null {
  const status = err.statusCode ?? 0;
  if (err.validation && Array.isArray(err.validation)) {
    const ctx = CONTEXT[err.validationContext ?? ''] ?? err.validationContext ?? 'request';
    const fields = err.validation.map((v) => {
      const path = (v.instancePath ?? '').split('/').filter(Boolean).join('.');
      return { path: path ? `${ctx}.${path}` : ctx, message: v.message ?? 'invalid' };
    });
    return new FieldsError(`invalid request: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new FfeError('input', 'BODY_TOO_LARGE', 'request body too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      if (status === 415) return new FfeError('input', 'MEDIA_TYPE_UNSUPPORTED', 'unsupported content type: send application/json');
      break;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new FfeError('input', 'JSON_INVALID', err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'the body is empty but the content type is application/json' : 'the body is not valid JSON');
  }
  if (err instanceof SyntaxError && status === 400) return new FfeError('input', 'JSON_INVALID', 'the body is not valid JSON');
  if (status === 413) return new FfeError('input', 'BODY_TOO_LARGE', 'request body too large');
  if (status === 415) return new FfeError('input', 'MEDIA_TYPE_UNSUPPORTED', 'unsupported content type: send application/json');
  if (status === 429) return new FfeError('input', 'TOO_MANY_REQUESTS', 'rate limit exceeded; retry later');
  if (status === 404) return new FfeError('input', 'ROUTE_NOT_FOUND', 'not found');
  if (status >= 400 && status < 500) return Object.assign(new FfeError('input', 'REQUEST_INVALID', err.message || 'bad request'), { statusOverride: status });
  return null;
}

/**
 * Any error as the one error shape. FfeErrors answer their catalogue status and message;
 * Fastify's own (validation, parsing, limits) their meaning; anything else is a defect: 500 with a
 * generic message naming the request id (the details go to the log, never to the caller).
 * Every message is scrubbed of the configured secrets.
 */
export function mapError(err: unknown, requestId: string, secrets: readonly string[]): MappedError {
  let ffe: FfeError | null = null;
  if (isFfeError(err)) ffe = err;
  else if (err instanceof Error) ffe = fromFastify(err as FastifyLike);
  if (!ffe || ffe.code === 'INTERNAL') {
    const internal = new FfeError('runtime', 'INTERNAL', `internal error (request ${requestId}); the server log has the details`);
    return { status: internal.httpStatus, unexpected: true, body: { error: { code: internal.code, message: internal.message, request_id: requestId } } };
  }
  const status = (ffe as FfeError & { statusOverride?: number }).statusOverride ?? ffe.httpStatus;
  const fields = ffe instanceof FieldsError ? ffe.fields.map((f) => ({ path: redact(f.path, secrets), message: redact(f.message, secrets) })) : undefined;
  return {
    status,
    unexpected: false,
    body: { error: { code: ffe.code, message: redact(ffe.message, secrets), ...(fields ? { fields } : {}), request_id: requestId } },
  };
}
