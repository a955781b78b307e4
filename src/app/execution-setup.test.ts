import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { BreakerTransition } from '../lib/circuit-breaker.js';
import { FAKE_COINBASE_KEY_NAME, startFakeCoinbase } from '../../test/fakes/coinbase-server.js';
import { startFakeOanda } from '../../test/fakes/oanda-server.js';
import { decision } from '../../test/support/risk-context.js';
import { createApp, type App } from './container.js';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const TOKEN = 'breaker-oanda-token';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/**
 * A live account as the CLI builds it (createApp, real SQLite file): crypto on the Coinbase fake,
 * forex on the Oanda fake. `command` runs one CLI command's worth: a fresh app, closed after.
 */
async function liveHome() {
  const oanda = await startFakeOanda({ token: TOKEN });
  const coinbase = await startFakeCoinbase({ privateKeyPem: pem });
  const home = mkdtempSync(join(tmpdir(), 'ffe-breakers-'));
  cleanup.push(
    () => oanda.close(),
    () => coinbase.close(),
    () => rmSync(home, { recursive: true, force: true }),
  );
  const file = join(home, 'ffe.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      trading: { mode: 'live' },
      persistence: { sqlite_path: join(home, 'ffe.db') },
      circuit_breaker: { failure_threshold: 2, open_seconds: 60 },
      venues: {
        routing: { crypto: 'coinbase', forex: 'oanda' },
        // Generous: a loopback 500 slower than the timeout reads as VENUE_TIMEOUT, and the machine may be busy.
        oanda: { base_url: oanda.url, timeout_ms: 15_000 },
        coinbase: { base_url: coinbase.url, sandbox: true, timeout_ms: 15_000 },
      },
    }),
  );
  const env = { OANDA_API_KEY: TOKEN, OANDA_ACCOUNT_ID: oanda.state.accountId, COINBASE_API_KEY: FAKE_COINBASE_KEY_NAME, COINBASE_API_SECRET: pem };
  // The bundled sample's "now", so the gate finds fresh market data.
  const probe = await createApp({ cwd: home, env, file });
  const clock = new ManualClock((await probe.marketData.sampleInfo('BTCUSD'))!.asOf);
  await probe.close();
  const command = async <T>(fn: (app: App) => Promise<T>): Promise<T> => {
    const app = await createApp({ cwd: home, env, file, clock });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  };
  return { oanda, coinbase, clock, command };
}

const breaker = (app: App, name: string) => app.breakers.list().then((l) => l.find((b) => b.name === name));

describe('one circuit breaker per venue (live mode, loopback Oanda and Coinbase, SQLite on disk)', () => {
  it('Oanda down opens only its breaker; Coinbase orders still go; after the cool-down `balance` closes it and CLOSED is stored', async () => {
    const { oanda, clock, command } = await liveHome();
    oanda.setMode('http-500');
    const seen: BreakerTransition[] = [];
    await command(async (app) => {
      app.breakers.onTransition((t) => seen.push(t));
      await expect(app.account.snapshot({ live: true }, 'balance')).rejects.toMatchObject({ kind: 'venue' });
      await expect(app.account.snapshot({ live: true }, 'balance')).rejects.toThrow();
      expect(await breaker(app, 'venue:live:oanda')).toMatchObject({ venue: 'oanda', state: 'OPEN', openedAt: clock.now(), nextProbeAt: clock.now() + 60_000 });

      // A Coinbase order: reconciled, risk-checked and sent on Coinbase alone.
      const d = decision({
        id: 'D-btc',
        assetPair: 'BTCUSD',
        entryPrice: 40_000,
        suggestedSizeUnits: 0.001,
        suggestedSizeQuote: 40,
        stopLossPrice: 39_000,
        takeProfitPrice: 42_000,
        timestamp: new Date(clock.now()).toISOString(),
        createdAt: new Date(clock.now()).toISOString(),
        executed: false,
      });
      await app.store.decisions.save(d);
      const r = await app.execution.execute(d.id, { live: true });
      expect(r.gate?.denials ?? []).toEqual([]);
      expect(r).toMatchObject({ status: 'filled', venue: 'coinbase', orders: [{ pair: 'BTCUSD', state: 'FILLED', venue: 'coinbase' }] });
      expect(await breaker(app, 'venue:live:coinbase')).toMatchObject({ state: 'CLOSED', totalFailures: 0 });
    });
    expect(seen.map((t) => [t.breaker, t.venue, t.from, t.to])).toEqual([['venue:live:oanda', 'oanda', 'CLOSED', 'OPEN']]);

    // Another command, still within the cool-down: `ffe status` data shows the stored OPEN breaker.
    oanda.setMode('normal');
    await command(async (app) => {
      const stored = await breaker(app, 'venue:live:oanda');
      expect(stored).toMatchObject({ state: 'OPEN', consecutiveFailures: 2, secondsUntilHalfOpen: 60 });
      expect(stored?.lastError).toMatch(/500/);
      await expect(app.account.snapshot({ live: true }, 'balance')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    });

    clock.set(clock.now() + 60_000);
    // The healthy venue after the cool-down: one command's three concurrent reads all pass.
    const s = await command((app) => app.account.snapshot({ live: true }, 'balance'));
    expect(s).toMatchObject({ mode: 'live', venue: 'unified' });
    expect(Number(s.equity)).toBeGreaterThan(0);
    await command(async (app) => {
      expect(await breaker(app, 'venue:live:oanda')).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, openedAt: null, nextProbeAt: null, opens: 1 });
      await expect(app.account.snapshot({ live: true }, 'positions')).resolves.toMatchObject({ venue: 'unified' });
    });
  });

  it('a Coinbase key the exchange refuses does not stop analysing or trading EURUSD on Oanda', async () => {
    const { coinbase, clock, command } = await liveHome();
    coinbase.setMode('unauthorized');
    await command(async (app) => {
      const analysed = await app.engine.analyze('EURUSD', { provider: 'rules', persist: false });
      expect(analysed.assetPair).toBe('EURUSD');
      const d = decision({
        id: 'D-fx',
        assetPair: 'EURUSD',
        assetClass: 'forex',
        entryPrice: 1.1,
        suggestedSizeUnits: 100,
        suggestedSizeQuote: 110,
        stopLossPrice: 1.08,
        takeProfitPrice: 1.15,
        timestamp: new Date(clock.now()).toISOString(),
        createdAt: new Date(clock.now()).toISOString(),
        executed: false,
      });
      await app.store.decisions.save(d);
      const r = await app.execution.execute(d.id, { live: true });
      expect(r.gate?.denials ?? []).toEqual([]);
      expect(r).toMatchObject({ status: 'filled', venue: 'oanda' });
      await expect(app.account.snapshot({ live: true }, 'balance')).rejects.toMatchObject({ code: 'VENUE_AUTH' });
    });
  });
});
