import type { ErrorKind } from './errors.js';

/**
 * Every error code FFE raises, once: its kind, the CLI's exit code and the HTTP status the API
 * answers with. `FfeError.exitCode` and `FfeError.httpStatus` read this table, so an interface
 * never decides on its own whose fault a failure was. `error-catalogue.test.ts` walks src/ and
 * fails when a code is raised but not listed here, or listed but never raised.
 *
 * Exit codes: 2 the caller can fix it (bad input, bad configuration), 1 it failed at run time,
 * 130 the user cancelled it (128 + SIGINT, what a shell reports for Ctrl-C).
 * HTTP: 400 bad input; 404 a named thing is not there; 409 the request conflicts with the state
 * (trading halted, lease held, already decided, cancelled); 422 understood but refused (risk gate,
 * venue rejection, nothing to execute); 500 a defect or the server's own configuration; 502 an
 * upstream answered wrongly; 503 an upstream or the store is unavailable; 504 an upstream timed out;
 * 507 the store's disk is full.
 * CANCELLED answers 409 rather than nginx's non-standard 499: the job's state (cancelled)
 * conflicts with the request for its result, and every HTTP client knows 409.
 *
 * Provider failures inside an analysis (`ProviderCallError`: UNREACHABLE, HTTP, INVALID_OUTPUT...)
 * are per-provider results the ensemble reports, not errors a command ends with; they are not here.
 */
export interface ErrorEntry {
  kind: ErrorKind;
  exit: 1 | 2 | 130;
  http: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 431 | 500 | 502 | 503 | 504 | 507;
  /** When it happens, for the API's documentation. */
  about: string;
}

const e = (kind: ErrorKind, exit: ErrorEntry['exit'], http: ErrorEntry['http'], about: string): ErrorEntry => ({ kind, exit, http, about });

export const ERROR_CATALOGUE = {
  // Bad input: the caller can fix it.
  AGENT_OPTIONS: e('input', 2, 400, 'agent start options are missing, empty or contradict each other'),
  AGENT_REPLAY_LIVE: e('input', 2, 400, 'a replay was asked for while trading.mode is live'),
  BACKTEST_SOURCE: e('input', 2, 400, 'both a provider and a strategy were given'),
  CONFIRMATION_REQUIRED: e('input', 2, 400, 'an order needs a confirmation the caller cannot give (no terminal, no --yes)'),
  CSV_EMPTY: e('input', 2, 400, 'an imported CSV has no data rows'),
  CSV_HEADER: e('input', 2, 400, 'an imported CSV lacks required columns'),
  CSV_OFF_GRID: e('input', 2, 400, "an imported bar's timestamp is off its timeframe's grid (a 12:00 stamp in a 1d file)"),
  CSV_ORDER: e('input', 2, 400, 'an imported CSV is not in increasing time order'),
  CSV_ROW: e('input', 2, 400, 'an imported CSV row is malformed'),
  CURRENCY_PATH_MISSING: e('input', 2, 400, "no price series converts a pair's quote currency into the account currency"),
  DATA_GAPS: e('input', 2, 400, 'imported or downloaded bars miss bars the market should have printed, and --allow-gaps was not given'),
  DATE_INVALID: e('input', 2, 400, 'a date is not a date'),
  EXCHANGE_UNKNOWN: e('input', 2, 400, 'ccxt has no such exchange, or it offers no OHLCV history'),
  FUNDAMENTALS_NOT_STOCK: e('input', 2, 400, 'fundamentals were asked for something other than stock tickers (crypto, forex, none, too many)'),
  FILE_UNREADABLE: e('input', 2, 400, 'a file named by the caller cannot be read'),
  FLAG_INVALID: e('input', 2, 400, 'an option value is out of range or contradicts another'),
  GRID_TOO_LARGE: e('input', 2, 400, 'an optimisation grid has too many combinations'),
  INDICATOR_INVALID: e('input', 2, 400, 'an indicator list names an unknown indicator or a period out of range'),
  LIMIT_INVALID: e('input', 2, 400, 'a limit is not a whole number ≥ 1'),
  OBJECTIVE_UNKNOWN: e('input', 2, 400, 'unknown optimisation objective'),
  OUTPUT_PATH: e('input', 2, 400, 'an output file cannot be written where asked'),
  PAIR_EMPTY: e('input', 2, 400, 'an asset pair is empty'),
  PAIR_INVALID: e('input', 2, 400, 'an asset pair has characters or a length no pair has'),
  PAIR_UNKNOWN: e('input', 2, 400, 'an asset pair is neither crypto, forex nor a stock ticker'),
  PARAM_INVALID: e('input', 2, 400, 'a strategy or search parameter value is invalid'),
  PARAM_UNKNOWN: e('input', 2, 400, 'a strategy or search parameter does not exist'),
  PROVIDER_NOT_RERUNNABLE: e('input', 2, 400, 'a recorded provider cannot be optimised, walked forward or perturbed'),
  ML_FEATURES_MISMATCH: e('input', 2, 400, 'an ml model was trained on another feature list than this version computes'),
  ML_LOOKAHEAD: e('input', 2, 400, "an ml evaluation or run starts before the model's training end"),
  ML_MODEL_INVALID: e('input', 2, 400, 'an ml model file is unreadable, of another format version or malformed'),
  ML_MODEL_MISSING: e('input', 2, 404, 'no ml model file where one is expected (train one with ffe ml train)'),
  ML_NO_SAMPLES: e('input', 2, 400, 'an ml training or evaluation window yields no labelled samples'),
  PROVIDER_UNKNOWN: e('input', 2, 400, 'unknown provider name'),
  RANGE_INVALID: e('input', 2, 400, 'a date range ends before it starts'),
  RANGE_NO_DATA: e('input', 2, 400, 'a backtest range lies outside the data'),
  REASON_REQUIRED: e('input', 2, 400, 'an audited action was asked for without a reason'),
  REDIS_URL_INVALID: e('input', 2, 400, 'a Redis URL is malformed'),
  REPLAY_RANGE: e('input', 2, 400, 'a replay range has nothing to replay'),
  SANDBOX_INVALID: e('input', 2, 400, 'a sandbox name is malformed'),
  SEARCH_EMPTY: e('input', 2, 400, 'an optimisation search space has no valid combination'),
  STRATEGY_REQUIRED: e('input', 2, 400, 'the command runs a reference strategy and none was given'),
  STRATEGY_UNKNOWN: e('input', 2, 400, 'unknown reference strategy'),
  TIME_INVALID: e('input', 2, 400, 'a time is not a number of ms since the epoch'),
  TIMEFRAME_INVALID: e('input', 2, 400, 'unknown timeframe'),
  TIMESTAMP_EMPTY: e('input', 2, 400, 'a data timestamp is empty'),
  TIMESTAMP_INVALID: e('input', 2, 400, 'a data timestamp is not ISO 8601'),
  TIMEZONE_INVALID: e('input', 2, 400, 'unknown IANA time zone'),
  // Audit log and paging (area: audit).
  CURSOR_INVALID: e('input', 2, 400, 'a page cursor is not one the API returned'),
  WALK_FORWARD_SPAN_TOO_SHORT: e('input', 2, 400, 'a walk-forward span is too short for one window'),
  // Bot control (the service's agent supervisor and manual trades).
  BOT_CONFIG_INVALID: e('input', 2, 400, 'a bot config change is out of range or names an unknown setting or provider'),
  TRADE_INVALID: e('input', 2, 400, 'a manual trade has a missing or out-of-range field'),
  BOT_RUNNING: e('input', 2, 409, 'the agent is already running in this server; stop it first'),
  BOT_EMERGENCY_STOPPED: e('input', 2, 409, 'the agent is emergency-stopped; an admin must clear the emergency stop before it starts'),
  IDEMPOTENCY_MISMATCH: e('input', 2, 409, 'an Idempotency-Key was reused with a different request body'),
  // Bad input naming something that is not there.
  APPROVAL_NOT_FOUND: e('input', 2, 404, 'no approval with that id'),
  DECISION_NOT_FOUND: e('input', 2, 404, 'no decision with that id'),
  PAIR_NOT_AVAILABLE: e('input', 2, 404, 'no data for that pair'),
  // Venues say it too (the position was closed meanwhile): the caller named a position that is not open either way.
  POSITION_NOT_FOUND: e('input', 2, 404, 'no open position with that id or pair'),
  SANDBOX_UNKNOWN: e('input', 2, 404, 'no replay sandbox with that name'),
  // Bad input conflicting with the state of what it names.
  APPROVAL_APPROVED: e('input', 2, 409, 'the approval was already approved'),
  APPROVAL_DECIDED: e('input', 2, 409, 'the approval was decided by someone else meanwhile'),
  APPROVAL_EXPIRED: e('input', 2, 409, 'the approval expired'),
  APPROVAL_REJECTED: e('input', 2, 409, 'the approval was already rejected'),
  DECISION_ALREADY_EXECUTED: e('input', 2, 409, 'the decision was already executed'),
  KILL_SWITCH_NOT_TRIPPED: e('input', 2, 409, 'the kill switch is not tripped; nothing to clear'),
  // Bad input understood but with nothing to do.
  DECISION_DEGRADED: e('input', 2, 422, 'the decision is degraded and execution.allow_degraded is off'),
  DECISION_HOLD: e('input', 2, 422, 'the decision is HOLD'),
  DECISION_SIZE_ZERO: e('input', 2, 422, 'the decision rounds to nothing to trade'),

  // Configuration: the operator can fix it (exit 2); over HTTP it is the server's, not the client's, fault.
  CONFIG_INVALID: e('config', 2, 400, 'the configuration does not validate (also a rejected config change)'),
  CONFIG_KEY_MOVED: e('config', 2, 400, 'the configuration uses a key that moved'),
  TELEGRAM_CONFIG_INVALID: e('config', 2, 500, 'the Telegram bot is configured inconsistently (no chat_id, or webhook mode without webhook_secret)'),
  ALPHA_VANTAGE_CONFIG_INVALID: e('config', 2, 500, 'an Alpha Vantage option is invalid'),
  BREAKER_INVALID: e('config', 2, 500, 'a circuit breaker setting is invalid'),
  ENSEMBLE_MEMBER_UNKNOWN: e('config', 2, 500, 'ensemble.providers names an unknown provider'),
  FALLBACK_PROVIDER_UNKNOWN: e('config', 2, 500, 'ensemble.fallback_provider is not an enabled provider'),
  PROVIDER_PROMPT_VIA: e('config', 2, 500, 'a CLI provider prompt_via its preset does not support'),
  STORE_PATH_INVALID: e('config', 2, 500, 'persistence.sqlite_path cannot be a database file'),
  TOKEN_BUCKET_INVALID: e('config', 2, 500, 'a rate limit setting is invalid'),
  TTL_CACHE_INVALID: e('config', 2, 500, 'a cache TTL is invalid'),
  ALPHA_VANTAGE_KEY_MISSING: e('config', 2, 503, 'Alpha Vantage is used without an API key'),
  BINANCE_KEY_MISSING: e('config', 2, 503, 'Binance is used without API credentials'),
  COINBASE_KEY_MISSING: e('config', 2, 503, 'Coinbase is used without API credentials'),
  KRAKEN_KEY_MISSING: e('config', 2, 503, 'Kraken is used without API credentials'),
  OANDA_ACCOUNT_MISSING: e('config', 2, 503, 'Oanda is used without an account id'),
  OANDA_KEY_MISSING: e('config', 2, 503, 'Oanda is used without an API token'),

  // Trading refused by a rule or halted: the request conflicts with the state, or the gate said no.
  KILL_SWITCH_TRIPPED: e('risk', 1, 409, 'trading is halted by the kill switch (loss limit or emergency stop) until an operator clears it'),
  RISK_DENIED: e('risk', 1, 422, 'the risk gate refused the order'),
  AGENT_HALTED: e('runtime', 1, 409, 'the agent halted (kill switch, emergency stop, reconciliation, fatal error)'),
  LEASE_HELD: e('runtime', 1, 409, 'another process holds the trading lease on this data home'),
  NOT_LEADER: e('runtime', 1, 409, 'this server lost the leader lease: another instance runs the agent now'),
  RECONCILE_MISMATCH: e('runtime', 1, 409, 'trading halted: the journal does not match the venue'),
  RECONCILE_PENDING: e('runtime', 1, 409, 'trading halted: orders of unknown outcome wait to be settled'),
  // Audit log (area: audit): `ffe audit verify` found the chain broken (the API answers 200 with the finding instead).
  AUDIT_CHAIN_BROKEN: e('runtime', 1, 500, 'the audit log has an altered, missing or reordered entry'),
  // Backup and restore (area: backup): a damaged or altered archive is refused before anything is touched.
  BACKUP_NO_STORE: e('input', 2, 404, 'there is no store to back up at the configured path'),
  BACKUP_NOT_FOUND: e('input', 2, 404, 'the named backup file does not exist'),
  BACKUP_CORRUPT: e('runtime', 1, 422, 'the backup is damaged or was altered (checksum, manifest or database check failed)'),
  BACKUP_TARGET_IN_USE: e('runtime', 1, 409, 'a running instance uses the store a restore would replace (--force overrides)'),
  BACKUP_CONFIG_EXISTS: e('input', 2, 409, 'restoring the config would overwrite an existing file (--force overrides)'),
  CANCELLED: e('runtime', 130, 409, 'the job or command was cancelled (Ctrl-C, DELETE)'),

  // Venues.
  INSUFFICIENT_FUNDS: e('venue', 1, 422, 'the venue refused the order for lack of funds'),
  ORDER_NOT_CANCELLABLE: e('venue', 1, 409, 'the order is no longer open'),
  ORDER_NOT_FOUND: e('venue', 1, 404, 'the venue has no such order'),
  ORDER_OUTCOME_UNKNOWN: e('venue', 1, 502, 'the venue has not confirmed the order yet (reconcile settles it)'),
  ORDER_REJECTED: e('venue', 1, 422, 'the venue rejected the order'),
  VENUE_REJECTED: e('venue', 1, 422, 'the venue refused the request'),
  VENUE_UNSUPPORTED: e('venue', 1, 422, 'the venue does not support this pair, order type or feature'),
  VENUE_AUTH: e('venue', 1, 502, 'the venue refused the configured credentials'),
  VENUE_BAD_RESPONSE: e('venue', 1, 502, 'the venue answered something unreadable'),
  PRICE_UNAVAILABLE: e('venue', 1, 503, 'no current price for the pair'),
  VENUE_UNAVAILABLE: e('venue', 1, 503, 'the venue is unreachable, failing or rate limiting'),
  VENUE_TIMEOUT: e('venue', 1, 504, 'the venue did not answer in time (the outcome is unknown)'),
  CIRCUIT_OPEN: e('runtime', 1, 503, 'the circuit breaker refuses calls after repeated failures'),

  // Market data.
  DOWNLOAD_INVALID: e('data', 1, 502, 'an exchange answered history that fails the import checks (off grid, bad OHLC, out of order)'),
  NO_DATA: e('data', 1, 422, 'the data has no bar at or before the time asked'),
  RESAMPLE_INVALID: e('data', 1, 422, 'bars cannot be resampled into the timeframe asked'),
  TIMEFRAME_UNAVAILABLE: e('data', 1, 422, 'the data has no bars of the timeframe asked'),
  ALPHA_VANTAGE_BAD_PAYLOAD: e('data', 1, 502, 'Alpha Vantage answered something unreadable'),
  ALPHA_VANTAGE_ERROR: e('data', 1, 502, 'Alpha Vantage refused the request'),
  ALPHA_VANTAGE_HTTP: e('data', 1, 502, 'Alpha Vantage answered an HTTP error'),
  ALPHA_VANTAGE_PREMIUM: e('data', 1, 502, 'the Alpha Vantage function needs a premium plan'),
  BUNDLED_DATA_MISSING: e('data', 1, 503, 'the bundled sample data is not installed'),
  QUOTE_UNAVAILABLE: e('data', 1, 503, 'no recent bar to quote from'),
  RATE_LIMITED: e('data', 1, 503, 'the data source rate-limits us'),
  ALPHA_VANTAGE_TIMEOUT: e('data', 1, 504, 'Alpha Vantage did not answer in time'),

  // Model providers.
  PROVIDER_TEST_FAILED: e('provider', 1, 502, 'one or more providers failed their test call'),
  REPLAY_MISS: e('provider', 1, 503, 'a strict cassette has no recorded answer for the prompt'),

  // The store.
  STORE_BUSY: e('runtime', 1, 503, 'another writer kept the database locked'),
  STORE_UNREACHABLE: e('runtime', 1, 503, 'the database server named by database.url does not answer'),
  STORE_UNAVAILABLE: e('runtime', 1, 503, 'the connection to the database server was lost mid-run'),
  STORE_AUTH: e('config', 2, 500, 'the database server refused the credentials of database.url'),
  STORE_DB_MISSING: e('config', 2, 500, 'the database named by database.url does not exist'),
  STORE_COPY_TARGET_NOT_EMPTY: e('input', 2, 409, 'ffe db copy: the target database already holds rows (--force replaces them)'),
  STORE_COPY_MISMATCH: e('runtime', 1, 500, 'ffe db copy: a table has different row counts in source and target after the copy'),
  STORE_URL_INVALID: e('config', 2, 500, 'database.url is not a sqlite: path or a postgres:// URL'),
  STORE_CANTOPEN: e('runtime', 1, 503, 'the database file cannot be opened or created'),
  STORE_CORRUPT: e('runtime', 1, 503, 'the database file is damaged or not a database'),
  STORE_READONLY: e('runtime', 1, 503, 'the database is read-only'),
  STORE_FULL: e('runtime', 1, 507, 'the disk holding the database is full'),
  STORE_MIGRATION: e('runtime', 1, 500, 'a database migration failed'),
  STORE_TX_CLOSE: e('runtime', 1, 500, 'defect: the store was closed inside a transaction'),
  STORE_TX_CLOSED: e('runtime', 1, 500, 'defect: a transaction was used after it ended'),

  // Jobs and workers.
  DISTRIBUTED_JOB_FAILED: e('runtime', 1, 500, 'a distributed backtest job failed'),
  PROVIDER_FACTORY_MISSING: e('runtime', 1, 500, 'defect: a job runner cannot build the provider'),
  REDIS_UNREACHABLE: e('runtime', 1, 503, 'Redis cannot be reached'),
  WORKER_JOB_FAILED: e('runtime', 1, 500, 'a worker-thread job failed'),
  WORKER_NOT_BUILT: e('runtime', 1, 500, 'worker threads need the build (npm run build)'),
  // Backtest jobs (API: /api/v1/backtests).
  JOB_PARAMS_INVALID: e('input', 2, 400, 'backtest job parameters do not validate (the field is named)'),
  JOB_NOT_FOUND: e('input', 2, 404, 'no backtest job with that id'),
  JOB_FINISHED: e('input', 2, 409, 'the backtest job already ended; nothing to cancel'),
  JOB_INTERRUPTED: e('runtime', 1, 500, 'the process running the backtest job stopped before it finished'),
  JOB_FAILED: e('runtime', 1, 500, 'a backtest job failed with an unexpected error'),
  AGENT_ILLEGAL_TRANSITION: e('runtime', 1, 500, 'defect: an illegal agent state transition'),
  // The investor platform (watchlists, daily recommendations, consents: src/application/investor).
  WATCHLIST_INVALID: e('input', 2, 400, 'a watchlist name or pair list is empty, too long or repeats a pair (the field is named)'),
  WATCHLIST_NOT_FOUND: e('input', 2, 404, 'the caller has no watchlist with that id or name'),
  WATCHLIST_NAME_TAKEN: e('input', 2, 409, 'the caller already has a watchlist of that name'),
  RECOMMENDATION_NOT_FOUND: e('input', 2, 404, "no recommendation with that id among the caller's"),
  FEEDBACK_INVALID: e('input', 2, 400, 'recommendation feedback is missing a rating or its note is too long'),
  RECOMMENDATION_RUN_RUNNING: e('input', 2, 409, 'a daily recommendation run is already running in this process'),
  CONSENT_PURPOSE_UNKNOWN: e('input', 2, 400, 'no consent purpose of that name'),

  // Auth: users, API keys, login tokens, MFA (src/application/auth). 401: who you are is not established; 403: established but not allowed.
  AUTH_REQUIRED: e('input', 2, 401, 'no credentials: send an access token or API key as `Authorization: Bearer ...`'),
  AUTH_INVALID: e('input', 2, 401, 'the access token or API key is not valid (unknown, revoked, malformed or badly signed)'),
  AUTH_EXPIRED: e('input', 2, 401, 'the access token expired; refresh it or log in again'),
  AUTH_FORBIDDEN: e('input', 2, 403, 'the caller’s role does not allow this'),
  LOGIN_FAILED: e('input', 2, 401, 'wrong user name or password (the same answer for both)'),
  LOGIN_LOCKED: e('input', 2, 429, 'too many failed logins for the user name: wait the seconds given'),
  MFA_REQUIRED: e('input', 2, 401, 'the user has MFA enrolled: send the TOTP code'),
  MFA_INVALID: e('input', 2, 401, 'the TOTP code is wrong, outside its window or already used'),
  MFA_ENROLLMENT_REQUIRED: e('input', 2, 403, 'auth.require_mfa_for_admin is on and the admin has not enrolled MFA'),
  MFA_NOT_ENROLLED: e('input', 2, 409, 'MFA confirmation without a pending enrolment'),
  MFA_ALREADY_ENABLED: e('input', 2, 409, 'the user already has MFA enabled (disable it first to re-enrol)'),
  REFRESH_INVALID: e('input', 2, 401, 'the refresh token is unknown, expired or revoked'),
  REFRESH_REUSED: e('input', 2, 401, 'a retired refresh token was presented again: every token of its login was revoked'),
  USER_NAME_INVALID: e('input', 2, 400, 'a user or API key name is malformed'),
  ROLE_INVALID: e('input', 2, 400, 'unknown role'),
  PASSWORD_INVALID: e('input', 2, 400, 'a password is too short or too long'),
  USER_EXISTS: e('input', 2, 409, 'a user of that name exists'),
  LAST_ADMIN: e('input', 2, 409, 'the change would leave no enabled admin user: create or promote another admin first'),
  USER_NOT_FOUND: e('input', 2, 404, 'no user of that name'),
  API_KEY_NOT_FOUND: e('input', 2, 404, 'no API key with that id or prefix'),
  API_KEY_REVOKED: e('input', 2, 409, 'the API key was already revoked'),
  // The service (area: serve): `ffe serve` refuses to expose an API nobody can authenticate to.
  SERVE_UNPROTECTED_BIND: e('config', 2, 500, 'ffe serve was asked to bind a non-loopback address while no user or API key exists'),
  // The HTTP API's own answers (helper http: src/interfaces/http/errors.ts).
  REQUEST_INVALID: e('input', 2, 400, 'a request body, query, path parameter or header does not validate (fields name each)'),
  JSON_INVALID: e('input', 2, 400, 'a request body is not valid JSON'),
  UNAUTHENTICATED: e('input', 2, 401, 'no credentials, or credentials that are not valid'),
  FORBIDDEN: e('input', 2, 403, "the caller's role lacks the route's permission"),
  ROUTE_NOT_FOUND: e('input', 2, 404, 'no such API route'),
  METHOD_NOT_ALLOWED: e('input', 2, 405, 'the route exists for other methods'),
  BODY_TOO_LARGE: e('input', 2, 413, 'the request body exceeds server.body_limit_bytes'),
  MEDIA_TYPE_UNSUPPORTED: e('input', 2, 415, 'the request body has a content type the API does not read'),
  TOO_MANY_REQUESTS: e('input', 2, 429, 'the rate limit (server.rate_limit) was exceeded'),
  // Answered before routing (helper fuzz: server.ts clientErrorHandler).
  HEADERS_TOO_LARGE: e('input', 2, 431, 'the request line or headers exceed the server limit (16 KB): shorten the query'),
  // Encryption at rest and GDPR (area: gdpr: src/store/field-cipher.ts, src/application/gdpr).
  ENCRYPTION_KEY_INVALID: e('config', 2, 500, 'FFE_ENCRYPTION_KEY (or FFE_ENCRYPTION_KEY_PREVIOUS) is not a 32-byte key in hex or base64'),
  ENCRYPTION_KEY_MISSING: e('config', 2, 500, 'the store holds encrypted values but FFE_ENCRYPTION_KEY is not set (never read as plain text)'),
  ENCRYPTION_KEY_WRONG: e('config', 2, 500, 'the store holds values encrypted with a key other than FFE_ENCRYPTION_KEY (and FFE_ENCRYPTION_KEY_PREVIOUS)'),
  ENCRYPTED_VALUE_CORRUPT: e('data', 1, 500, 'an encrypted value fails authentication: altered, truncated or moved from another field'),
  GDPR_NOT_A_USER: e('input', 2, 400, 'a GDPR export or account deletion was asked for by an API key or the local operator, not a user'),
  GDPR_CONFIRM_MISMATCH: e('input', 2, 400, "delete-account: confirm is not the caller's own user name"),
  GDPR_REAUTH_FAILED: e('input', 2, 403, 'delete-account: the password given to re-authenticate is wrong'),
  GDPR_ALREADY_ERASED: e('input', 2, 409, 'the user was already erased'),
  INTERNAL: e('runtime', 1, 500, 'defect: an unexpected error (logged with the request id)'),
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The catalogue entry of a code; codes that reach us from elsewhere (a worker, a stored record) get their kind's default. */
export function catalogueEntry(code: string, kind: ErrorKind): ErrorEntry {
  const known = (ERROR_CATALOGUE as Record<string, ErrorEntry>)[code];
  if (known) return known;
  const input = kind === 'input' || kind === 'config';
  return { kind, exit: input ? 2 : 1, http: kind === 'input' ? 400 : kind === 'risk' ? 422 : kind === 'venue' || kind === 'provider' || kind === 'data' ? 503 : 500, about: 'not catalogued' };
}
