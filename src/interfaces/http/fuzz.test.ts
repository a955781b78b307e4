import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { configHome } from '../../../test/support/config-home.js';
import { testAuthenticate, tokenFor } from '../../../test/support/http-auth.js';
import { buildServer } from './server.js';

/**
 * Fuzz over every registered route, as /docs/json (generated from the routes' zod schemas) lists
 * them: valid-ish requests and hostile ones (wrong types, missing and extra fields, 100 KB strings,
 * lone surrogates and NUL, huge and negative numbers, bad path params, bad JSON, wrong content
 * types) sent with admin credentials over real HTTP to the real handlers (paper venue, embedded
 * data, a temp FFE_HOME). No answer may be a 5xx; every 4xx has the one error shape; every 2xx is JSON.
 */

type Json = Record<string, unknown>;
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  default?: unknown;
}
interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; required: boolean; schema: Schema }[];
  body: Schema | null;
}
interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
/** Routes that start long work: fuzzed with fewer (still hundreds of) requests, mostly invalid ones. */
const LONG_WORK = [/^POST \/api\/v1\/backtests$/, /^POST \/api\/v1\/bot\/start$/];
const PER_ROUTE_MIN = 200;
/** Routes with no input at all (probes, status) need few requests: there is nothing to vary but the query. */
const NO_INPUT_RUNS = 60;
const TOTAL_TARGET = 6000;
const LONG_WORK_RUNS = 300;
const CONCURRENCY = 8;

const ADMIN = { authorization: `Bearer ${tokenFor('admin')}` };
/** Regressions: requests that once broke the contract (sent whatever the generator draws). */
const REGRESSIONS: Req[] = [
  // Node's parser refused a 20 KB URL (431) with Fastify's default body, not the error shape.
  { method: 'GET', path: `/api/v1/decisions?cursor=${'x'.repeat(20_000)}`, headers: ADMIN },
  // The router's bad-percent-encoding and over-long-parameter refusals skipped the error handler.
  { method: 'GET', path: '/api/v1/decisions/%ed%a0%80', headers: ADMIN },
  { method: 'GET', path: '/api/v1/decisions/%zz', headers: ADMIN },
  { method: 'GET', path: `/api/v1/decisions/${'x'.repeat(300)}`, headers: ADMIN },
];

const PAIRS = ['BTCUSD', 'ETHUSD', 'EURUSD', 'btc-usd', 'EUR_USD', 'XYZ'];
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '😀',
  '\u202e',
  '../../etc/passwd',
  '%00',
  '%',
  "'; DROP TABLE x;--",
  '{"a":1}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  'true',
  'null',
];
const NASTY_NUMBERS = [-1, -0, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 0.1, 1e-320, 2 ** 53, 123456789.12345679];

const huge = fc.tuple(fc.constantFrom('x', 'é', '😀', '\u0000', '\ud800'), fc.integer({ min: 1_000, max: 100_000 })).map(([c, n]) => c.repeat(Math.ceil(n / c.length)));
const unicode = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(...NASTY_STRINGS));
/** A value of any JSON type, mostly not the one expected. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: unicode },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { a: { b: [1] } }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

function types(s: Schema): string[] {
  const t = s.type === undefined ? [] : [s.type].flat();
  if (s.nullable && !t.includes('null')) t.push('null');
  return t;
}

/** Values the schema (roughly) accepts: enums, in-range numbers, realistic pairs and ids. */
function valid(s: Schema | undefined, name = ''): fc.Arbitrary<unknown> {
  if (!s) return fc.jsonValue({ maxDepth: 2 });
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => valid(a, name)));
  if (s.allOf?.length) return valid(s.allOf[0], name);
  const t = types(s);
  const arbs: fc.Arbitrary<unknown>[] = [];
  if (t.includes('null')) arbs.push(fc.constant(null));
  if (t.includes('string')) {
    const max = Math.min(s.maxLength ?? 40, 40);
    const min = Math.min(s.minLength ?? 0, max);
    if (/pair|asset/.test(name)) arbs.push(fc.constantFrom(...PAIRS));
    if (s.format === 'date-time' || /^(from|to|at|since|until)$/.test(name)) arbs.push(fc.date({ min: new Date('2020-01-01'), max: new Date('2026-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    arbs.push(s.pattern ? fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= (s.maxLength ?? 1e9)) : fc.string({ minLength: min, maxLength: max }));
  }
  if (t.includes('integer') || t.includes('number')) {
    const lo = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : (s.minimum ?? -1e6);
    const hi = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : (s.maximum ?? 1e6);
    const [a, b] = [Math.max(lo, -1e9), Math.min(hi, 1e9)];
    arbs.push(t.includes('integer') ? fc.integer({ min: Math.ceil(a), max: Math.max(Math.ceil(a), Math.floor(b)) }) : fc.double({ min: a, max: b, noNaN: true, noDefaultInfinity: true }));
  }
  if (t.includes('boolean')) arbs.push(fc.boolean());
  if (t.includes('array')) arbs.push(fc.array(valid(s.items, name), { maxLength: 4 }));
  if (t.includes('object') || s.properties) {
    const props = s.properties ?? {};
    const keys = Object.keys(props);
    arbs.push(
      keys.length
        ? fc.record(Object.fromEntries(keys.map((k) => [k, valid(props[k], k)])), { requiredKeys: (s.required ?? []).filter((k) => keys.includes(k)) })
        : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    );
  }
  return arbs.length ? fc.oneof(...arbs) : fc.jsonValue({ maxDepth: 2 });
}

/** A valid-ish object, then damaged: one field hostile, one required field missing, an extra field, or nested damage. */
function mutatedObject(s: Schema): fc.Arbitrary<unknown> {
  return fc.tuple(valid(s), fc.nat(), hostile, fc.constantFrom('valid', 'field', 'missing', 'extra', 'nested')).map(([v, i, h, how]) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return how === 'valid' ? v : h;
    const o = structuredClone(v) as Json;
    const keys = Object.keys(o);
    const k = keys.length ? keys[i % keys.length] : 'x';
    if (how === 'field') o[k] = h;
    else if (how === 'missing') delete o[(s.required ?? keys)[i % Math.max(1, (s.required ?? keys).length)]];
    else if (how === 'extra') o[`extra_${i % 7}`] = h;
    else if (how === 'nested' && o[k] && typeof o[k] === 'object') {
      const inner = o[k] as Json;
      const ik = Object.keys(inner);
      if (ik.length) inner[ik[i % ik.length]] = h;
      else o[k] = h;
    }
    return o;
  });
}

function bodyArb(op: Operation): fc.Arbitrary<{ body?: string; type?: string }> {
  const json = (v: unknown) => ({ body: JSON.stringify(v), type: 'application/json' });
  const s = op.body ?? { type: 'object', properties: {} };
  const structured = fc.oneof({ weight: 6, arbitrary: mutatedObject(s).map(json) }, { weight: 2, arbitrary: hostile.map(json) });
  const raw = fc.oneof(
    fc.constantFrom('{bad', '{"a":', '[1,2', '{"a":1}}', 'nul', '\u0000', '{"__proto__":{"x":1}}', '{"a":"\\ud800"}', '{"a":1e999}').map((b) => ({ body: b, type: 'application/json' })),
    fc.constant({ body: '', type: 'application/json' }),
    fc
      .tuple(
        fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonx'),
        fc.string({ maxLength: 40 }),
      )
      .map(([type, b]) => ({ body: b || 'x', type })),
    fc.constant({}),
  );
  return op.body || op.method !== 'GET' ? fc.oneof({ weight: 8, arbitrary: structured }, { weight: 2, arbitrary: raw }) : fc.constant({});
}

// Objects as JSON (a generated `{toString: …}` has no usable String()); lone surrogates cannot be percent-encoded.
const encode = (v: unknown) => encodeURIComponent((v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/[\ud800-\udfff]/g, '\ufffd'));
const RAW_PATH = ['%', '%zz', '%00', '%c0%af', '..%2f..%2fetc', '%ed%a0%80', 'a%20b', '%F0%9F%98%80'];

function pathArb(op: Operation): fc.Arbitrary<string> {
  const names = op.params.filter((p) => p.in === 'path');
  if (!names.length) return fc.constant(op.path);
  return fc
    .tuple(...names.map((p) => fc.oneof({ weight: 4, arbitrary: valid(p.schema, p.name).map(encode) }, { weight: 3, arbitrary: hostile.map(encode) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_PATH) })))
    .map((vals) => names.reduce((path, p, i) => path.replace(`{${p.name}}`, vals[i] || 'x'), op.path));
}

function queryArb(op: Operation): fc.Arbitrary<string> {
  const qs = op.params.filter((p) => p.in === 'query');
  const one = (p: Operation['params'][number]) =>
    fc.option(
      fc.oneof({ weight: 4, arbitrary: valid(p.schema, p.name) }, { weight: 3, arbitrary: hostile }).map((v) => `${encode(p.name)}=${encode(v)}`),
      { freq: 3 },
    );
  const extra = fc.oneof(fc.constant(''), fc.constantFrom('&extra=1', '&limit=1&limit=2', '&%zz=1', '&a[b]=c', `&${'q'.repeat(5000)}=1`, '&=', '&&&'));
  return fc.tuple(fc.tuple(...qs.map(one)), extra).map(([parts, x]) => {
    const q = (parts as (string | null)[]).filter((p): p is string => p !== null).join('&') + x;
    return q ? `?${q.replace(/^&/, '')}` : '';
  });
}

function requestArb(op: Operation): fc.Arbitrary<Req> {
  // Idempotency-Key: valid, empty-ish, too long, or with spaces (header values must stay Latin-1 to be sendable at all).
  const idem = fc.option(fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme-ascii', minLength: 256, maxLength: 300 }), fc.constantFrom(' ', 'a b', '\t', 'é')), {
    freq: 4,
  });
  return fc.tuple(pathArb(op), queryArb(op), bodyArb(op), idem).map(([path, q, b, key]) => {
    const headers: Record<string, string> = { authorization: `Bearer ${tokenFor('admin')}` };
    if (b.type) headers['content-type'] = b.type;
    if (key !== null && op.method !== 'GET') headers['idempotency-key'] = key;
    return { method: op.method, path: path + q, headers, ...(b.body !== undefined && op.method !== 'GET' ? { body: b.body } : {}) };
  });
}

function operationsOf(doc: { paths: Record<string, Record<string, { parameters?: Operation['params']; requestBody?: { content?: Record<string, { schema: Schema }> } }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (path.startsWith('/docs')) continue;
    for (const [m, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
      ops.push({ method: m.toUpperCase(), path, params: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'), body: op.requestBody?.content?.['application/json']?.schema ?? null });
    }
  }
  return ops;
}

interface Outcome {
  status: number;
  problem: string | null;
}

async function send(base: string, r: Req): Promise<Outcome> {
  const res = await fetch(base + r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  const ctype = res.headers.get('content-type') ?? '';
  const s = res.status;
  if (s >= 500) return { status: s, problem: `5xx: ${text.slice(0, 300)}` };
  if (s === 204) return { status: s, problem: null };
  if (r.path.startsWith('/metrics') && s < 300) return { status: s, problem: ctype.startsWith('text/plain') ? null : `metrics not text: ${ctype}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: s, problem: `not JSON (${ctype}): ${text.slice(0, 200)}` };
  }
  if (!ctype.includes('application/json')) return { status: s, problem: `content-type ${ctype}` };
  if (s >= 400) {
    const e = (body as { error?: Json })?.error;
    const ok =
      e &&
      typeof e.code === 'string' &&
      typeof e.message === 'string' &&
      typeof e.request_id === 'string' &&
      (e.fields === undefined || (Array.isArray(e.fields) && e.fields.every((f: Json) => typeof f.path === 'string' && typeof f.message === 'string')));
    const extraKeys = e ? Object.keys(e).filter((k) => !['code', 'message', 'fields', 'request_id'].includes(k)) : [];
    if (!ok || extraKeys.length || Object.keys(body as Json).length !== 1) return { status: s, problem: `bad error shape: ${text.slice(0, 300)}` };
  }
  return { status: s, problem: null };
}

/** Sends every request, CONCURRENCY at a time. */
async function sendAll(base: string, reqs: { op: string; req: Req }[]): Promise<{ op: string; req: Req; out: Outcome }[]> {
  const results: { op: string; req: Req; out: Outcome }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < reqs.length) {
      const item = reqs[next++];
      let out: Outcome;
      try {
        out = await send(base, item.req);
      } catch (e) {
        out = { status: 0, problem: `transport: ${(e as Error).message}` };
      }
      results.push({ ...item, out });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

let api: FfeApi;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  app = buildServer(api, { authenticate: testAuthenticate, settings: { ...api.system.serverSettings(), rateLimit: { max: 1_000_000, windowSeconds: 60 } } });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

describe('HTTP fuzz over every registered route', () => {
  it('≥ 5,000 generated requests: no 5xx, every 4xx in the error shape, every 2xx JSON', async () => {
    const started = Date.now();
    const doc = (await (await fetch(`${base}/docs/json`)).json()) as Parameters<typeof operationsOf>[0];
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThanOrEqual(10);
    const long = (o: Operation) => LONG_WORK.some((re) => re.test(`${o.method} ${o.path}`));
    const noInput = (o: Operation) => !o.params.length && !o.body && o.method === 'GET';
    const deep = ops.filter((o) => !long(o) && !noInput(o));
    const fixed = ops.filter(long).length * LONG_WORK_RUNS + ops.filter(noInput).length * NO_INPUT_RUNS;
    const perRoute = Math.max(PER_ROUTE_MIN, Math.ceil((TOTAL_TARGET - fixed) / Math.max(1, deep.length)));
    const reqs: { op: string; req: Req }[] = REGRESSIONS.map((req) => ({ op: `${req.method} regression`, req }));
    ops.forEach((op, i) => {
      const runs = long(op) ? LONG_WORK_RUNS : noInput(op) ? NO_INPUT_RUNS : perRoute;
      for (const req of fc.sample(requestArb(op), { numRuns: runs, seed: SEED + i })) reqs.push({ op: `${op.method} ${op.path}`, req });
    });
    const results = await sendAll(base, reqs);

    const byClass: Record<string, number> = {};
    const byRoute = new Map<string, Record<string, number>>();
    for (const { op, out } of results) {
      const cls = out.status ? `${Math.floor(out.status / 100)}xx` : 'error';
      byClass[cls] = (byClass[cls] ?? 0) + 1;
      const r = byRoute.get(op) ?? {};
      r[out.status] = (r[out.status] ?? 0) + 1;
      byRoute.set(op, r);
    }
    const problems = results.filter((r) => r.out.problem);
    const regressions = results.filter((r) => r.op.endsWith('regression'));
    expect(regressions.map((r) => r.out.status).sort()).toEqual([400, 400, 400, 431]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz (seed ${SEED}): ${results.length} requests over ${ops.length} routes in ${seconds}s; by class ${JSON.stringify(byClass)}`);
    for (const [op, counts] of byRoute) console.log(`  ${op}: ${JSON.stringify(counts)}`);
    for (const p of problems.slice(0, 15)) console.log(`PROBLEM ${p.op}: ${p.out.problem}\n  request: ${JSON.stringify({ ...p.req, path: p.req.path.slice(0, 300), body: p.req.body?.slice(0, 300) })}`);

    expect(results.length).toBeGreaterThanOrEqual(5000);
    // Every documented route was exercised.
    expect(byRoute.size).toBe(ops.length + (REGRESSIONS.length ? 1 : 0));
    expect(problems.map((p) => `${p.op}: ${p.out.problem}`)).toEqual([]);
    expect(byClass['5xx'] ?? 0).toBe(0);
  }, 300_000);
});
