import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { FfeError } from '../../core/errors.js';
import { loadFixtureCandles, startFakeAlphaVantage, type FakeAlphaVantage } from '../../../test/fakes/alpha-vantage-server.js';
import { AlphaVantageClient, cacheKeyOf, classifyReply, type AlphaVantageOptions } from './client.js';

const KEY = 'SECRET-KEY-8Q2Z';
const SPY = { function: 'TIME_SERIES_DAILY', symbol: 'SPY', outputsize: 'compact' };
const raw = (j: unknown) => j;

let fake: FakeAlphaVantage;
beforeAll(async () => {
  fake = await startFakeAlphaVantage({ apiKey: KEY, stocks: { SPY: { daily: loadFixtureCandles('SPY_1d.csv') } }, slowMs: 300 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.setMode('normal');
  fake.requests.length = 0;
});

const client = (o: Partial<AlphaVantageOptions> = {}) =>
  new AlphaVantageClient({ apiKey: KEY, baseUrl: fake.url, requestsPerMinute: 60_000, burst: 100, ...o });

async function failureOf(p: Promise<unknown>): Promise<FfeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FfeError);
    return e as FfeError;
  }
  throw new Error('expected a failure');
}

/** The key must appear nowhere a person or a log could read it. */
function expectNoKey(e: FfeError) {
  expect(e.message).not.toContain(KEY);
  expect(JSON.stringify(e.details ?? {})).not.toContain(KEY);
  expect(String(e.stack)).not.toContain(KEY);
}

describe('AlphaVantageClient configuration', () => {
  it('refuses a missing or blank key with a config error naming ALPHA_VANTAGE_API_KEY', () => {
    for (const apiKey of ['', '   ', undefined as unknown as string]) {
      let err: unknown;
      try {
        new AlphaVantageClient({ apiKey });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FfeError);
      expect(err).toMatchObject({ kind: 'config', code: 'ALPHA_VANTAGE_KEY_MISSING' });
      expect((err as Error).message).toContain('ALPHA_VANTAGE_API_KEY');
    }
  });

  it('refuses nonsensical limits', () => {
    expect(() => client({ requestsPerMinute: 0 })).toThrow(/requestsPerMinute/);
    expect(() => client({ timeoutMs: -5 })).toThrow(/timeoutMs/);
    expect(() => client({ cacheTtlMs: Number.NaN })).toThrow(/cacheTtlMs/);
  });
});

describe('AlphaVantageClient requests', () => {
  it('sends the function, its parameters and the API key to /query', async () => {
    const json = (await client().get(SPY, raw)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['Meta Data', 'Time Series (Daily)']);
    expect(fake.requests).toEqual([{ method: 'GET', path: '/query', params: { ...SPY, apikey: KEY } }]);
  });

  it('answers a repeated query from the cache within the TTL and asks again after it', async () => {
    let now = 1_000_000;
    const c = client({ now: () => now, cacheTtlMs: 60_000 });
    await c.get(SPY, raw);
    await c.get({ outputsize: 'compact', symbol: 'SPY', function: 'TIME_SERIES_DAILY' }, raw); // same query, other order
    expect(fake.requests).toHaveLength(1);
    await c.get({ ...SPY, outputsize: 'full' }, raw);
    expect(fake.requests).toHaveLength(2);
    now += 60_000;
    await c.get(SPY, raw);
    expect(fake.requests).toHaveLength(3);
    expect(c.requestCount).toBe(3);
  });

  it('shares one request between concurrent identical queries', async () => {
    const c = client();
    const [a, b] = await Promise.all([c.get(SPY, raw), c.get(SPY, raw)]);
    expect(a).toEqual(b);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not cache failures: the next call asks again', async () => {
    const c = client();
    fake.setMode('rate-limited-note');
    expect((await failureOf(c.get(SPY, raw))).code).toBe('RATE_LIMITED');
    fake.setMode('normal');
    await expect(c.get(SPY, raw)).resolves.toHaveProperty('Meta Data');
    expect(fake.requests).toHaveLength(2);
  });

  it('keys the cache by the query without the API key', () => {
    expect(cacheKeyOf({ symbol: 'SPY', apikey: KEY, function: 'X' })).toBe('function=X&symbol=SPY');
  });
});

describe('AlphaVantageClient error replies', () => {
  it('"Note" (HTTP 200) is RATE_LIMITED with the server’s message', async () => {
    fake.setMode('rate-limited-note');
    const e = await failureOf(client().get(SPY, raw));
    expect(e).toMatchObject({ kind: 'data', code: 'RATE_LIMITED' });
    expect(e.message).toContain('Our standard API call frequency is 5 calls per minute and 500 calls per day');
  });

  it('"Information" (HTTP 200) is RATE_LIMITED, and the key the server echoes is scrubbed', async () => {
    fake.setMode('rate-limited-information');
    const e = await failureOf(client().get(SPY, raw));
    expect(e).toMatchObject({ kind: 'data', code: 'RATE_LIMITED' });
    expect(e.message).toContain('We have detected your API key as *** and our standard API rate limit is 25 requests per day');
    expectNoKey(e);
  });

  it('"Error Message" is ALPHA_VANTAGE_ERROR with the message: bad symbol, bad key', async () => {
    const badSymbol = await failureOf(client().get({ ...SPY, symbol: 'NOPE' }, raw));
    expect(badSymbol).toMatchObject({ kind: 'data', code: 'ALPHA_VANTAGE_ERROR' });
    expect(badSymbol.message).toContain('Invalid API call. Please retry or visit the documentation');
    const badKey = await failureOf(client({ apiKey: 'WRONG-KEY' }).get(SPY, raw));
    expect(badKey.code).toBe('ALPHA_VANTAGE_ERROR');
    expect(badKey.message).toContain('the parameter apikey is invalid or missing');
    fake.setMode('error-message');
    expect((await failureOf(client().get(SPY, raw))).code).toBe('ALPHA_VANTAGE_ERROR');
  });

  it('a premium-endpoint "Information" is ALPHA_VANTAGE_PREMIUM, not a rate limit', async () => {
    fake.setMode('premium');
    const e = await failureOf(client().get(SPY, raw));
    expect(e.code).toBe('ALPHA_VANTAGE_PREMIUM');
    expect(e.message).toContain('This is a premium endpoint');
  });

  it('HTTP 500 is ALPHA_VANTAGE_HTTP with the status, and the echoed URL loses its key', async () => {
    fake.setMode('http-500');
    const e = await failureOf(client().get(SPY, raw));
    expect(e).toMatchObject({ kind: 'data', code: 'ALPHA_VANTAGE_HTTP', details: { status: 500 } });
    expect(e.message).toContain('HTTP 500');
    expect(e.message).toContain('apikey=***');
    expectNoKey(e);
  });

  it('a reply that is not JSON is ALPHA_VANTAGE_BAD_PAYLOAD', async () => {
    fake.setMode('not-json');
    const e = await failureOf(client().get(SPY, raw));
    expect(e.code).toBe('ALPHA_VANTAGE_BAD_PAYLOAD');
    expect(e.message).toContain('scheduled maintenance');
  });

  it('a server that never answers is ALPHA_VANTAGE_TIMEOUT after timeoutMs', async () => {
    fake.setMode('hang');
    const t0 = Date.now();
    const e = await failureOf(client({ timeoutMs: 150 }).get(SPY, raw));
    expect(e.code).toBe('ALPHA_VANTAGE_TIMEOUT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expectNoKey(e);
  });

  it('a slow answer inside the deadline is data; outside it, a timeout', async () => {
    fake.setMode('slow');
    await expect(client({ timeoutMs: 5_000 }).get(SPY, raw)).resolves.toHaveProperty('Meta Data');
    expect((await failureOf(client({ timeoutMs: 100 }).get(SPY, raw))).code).toBe('ALPHA_VANTAGE_TIMEOUT');
  });

  it('a refused connection is ALPHA_VANTAGE_HTTP without the key', async () => {
    const gone = await startFakeAlphaVantage();
    const url = gone.url;
    await gone.close();
    const e = await failureOf(new AlphaVantageClient({ apiKey: KEY, baseUrl: url }).get(SPY, raw));
    expect(e.code).toBe('ALPHA_VANTAGE_HTTP');
    expectNoKey(e);
  });

  it('classifyReply leaves data alone and tells rate limits from refusals', () => {
    expect(classifyReply({ 'Meta Data': {} }, 'F')).toBeNull();
    expect(classifyReply([], 'F')?.code).toBe('ALPHA_VANTAGE_BAD_PAYLOAD');
    expect(classifyReply({ Information: 'The **demo** API key is for demo purposes only.' }, 'F')?.code).toBe('ALPHA_VANTAGE_ERROR');
    expect(classifyReply({ Information: 'Something new we have not seen' }, 'F')?.code).toBe('RATE_LIMITED');
  });
});

describe('AlphaVantageClient rate limiting', () => {
  it('spaces network calls by the refill interval on the injected clock and skips it for cache hits', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1));
    const t0 = clock.now();
    const c = new AlphaVantageClient({ apiKey: KEY, baseUrl: fake.url, requestsPerMinute: 5, clock });
    await c.get(SPY, raw);
    expect(clock.now() - t0).toBe(0);
    await c.get({ ...SPY, outputsize: 'full' }, raw);
    expect(clock.now() - t0).toBe(12_000);
    await c.get(SPY, raw); // cached: no token needed
    expect(clock.now() - t0).toBe(12_000);
    await c.get({ ...SPY, datatype: 'json' }, raw);
    expect(clock.now() - t0).toBe(24_000);
    expect(fake.requests).toHaveLength(3);
  });

  it('after a rate-limit reply, the next call waits a full interval even with burst left', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1));
    const t0 = clock.now();
    const c = new AlphaVantageClient({ apiKey: KEY, baseUrl: fake.url, requestsPerMinute: 5, burst: 5, clock });
    fake.setMode('rate-limited-note');
    await failureOf(c.get(SPY, raw));
    fake.setMode('normal');
    await c.get(SPY, raw);
    expect(clock.now() - t0).toBe(12_000);
  });

  it('a caller waiting for a token can give up through its AbortSignal', async () => {
    const c = new AlphaVantageClient({ apiKey: KEY, baseUrl: fake.url, requestsPerMinute: 1 });
    await c.get(SPY, raw);
    const ac = new AbortController();
    const waiting = c.get({ ...SPY, outputsize: 'full' }, raw, ac.signal);
    setTimeout(() => ac.abort(new Error('no longer needed')), 20);
    await expect(waiting).rejects.toThrow('no longer needed');
    expect(fake.requests).toHaveLength(1);
  });

  it('abandons a request in flight when its only caller aborts, without calling it a timeout', async () => {
    fake.setMode('hang');
    const ac = new AbortController();
    const pending = client({ timeoutMs: 10_000 }).get(SPY, raw, ac.signal);
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});
