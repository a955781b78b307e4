import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataAdapters } from '../../src/app/registry.js';
import { resample } from '../../src/core/candle.js';
import type { AnyDataAdapter } from '../../src/data/adapter.js';
import { BundledMarketData } from '../../src/data/bundled/adapter.js';
import { ImportedMarketData } from '../../src/data/imported/adapter.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { loadFixtureCandles, startFakeAlphaVantage } from '../fakes/alpha-vantage-server.js';
import { dataSourceContract, type DataSourceHarness } from './data-source.contract.js';

const t = (iso: string) => Date.parse(iso);

/** A harness per registered data adapter kind, built through the registry's factory (config schema defaults plus what the test needs). */
const REGISTERED: Record<string, () => Promise<DataSourceHarness>> = {
  bundled: async () => ({
    source: create('bundled', {}),
    pair: 'BTCUSD',
    // 4h and 1d of BTCUSD: 4h resampled from the 1h file.
    timeframes: { '1m': t('2024-12-15T00:00:00Z'), '5m': t('2024-12-15T00:00:00Z'), '1h': t('2024-06-01T00:00:00Z'), '4h': t('2024-06-01T00:00:00Z'), '1d': t('2024-06-01T00:00:00Z') },
    beforeData: t('2010-01-01T00:00:00Z'),
    unknownPair: 'XAUUSD',
  }),

  alpha_vantage: async () => {
    const btc1m = loadFixtureCandles('BTCUSD_1m.csv');
    const fake = await startFakeAlphaVantage({
      apiKey: 'CONTRACT-KEY',
      crypto: {
        BTCUSD: {
          intraday: { '1min': btc1m, '5min': resample(btc1m, '1m', '5m'), '15min': resample(btc1m, '1m', '15m'), '60min': loadFixtureCandles('BTCUSDT_1h.csv') },
          daily: loadFixtureCandles('BTCUSD_1d.csv'),
        },
      },
    });
    return {
      source: create('alpha_vantage', { api_key: 'CONTRACT-KEY', base_url: fake.url, requests_per_minute: 60_000 }),
      pair: 'BTCUSD',
      timeframes: {
        '1m': t('2018-04-05T01:00:00Z'),
        '5m': t('2018-04-05T01:30:00Z'),
        '15m': t('2018-04-05T02:00:00Z'),
        '1h': t('2024-11-03T00:00:00Z'),
        '4h': t('2024-11-04T00:00:00Z'),
        '1d': t('2024-12-20T00:00:00Z'),
      },
      beforeData: t('2010-01-01T00:00:00Z'),
      // Well formed (a crypto pair), but the service has no such series.
      unknownPair: 'DOGEUSD',
      close: () => fake.close(),
    };
  },
};

function create(kind: string, cfg: Record<string, unknown>) {
  const a = (dataAdapters as readonly AnyDataAdapter[]).find((x) => x.kind === kind)!;
  return a.create(a.configSchema.parse(cfg));
}

describe('data source contract coverage', () => {
  it('every registered data adapter has a harness here', () => {
    expect((dataAdapters as readonly AnyDataAdapter[]).map((a) => a.kind).sort()).toEqual(Object.keys(REGISTERED).sort());
  });
});

for (const [kind, make] of Object.entries(REGISTERED)) dataSourceContract(kind, make);

// Not in the registry (it is what `ffe data import` fills, always consulted first), but a source all the same.
dataSourceContract('imported (SQLite store)', async () => {
  const store = await SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'ffe-ds-')), 'ffe.db'));
  const eth1h = await new BundledMarketData().candles({ pair: 'ETHUSD', timeframe: '1h', end: t('2024-03-01T00:00:00Z'), limit: 500 });
  await store.candles.importSeries('ETHUSD', '1h', eth1h, 'eth.csv');
  return {
    source: new ImportedMarketData(store.candles),
    pair: 'ETHUSD',
    timeframes: { '1h': t('2024-02-20T00:00:00Z'), '4h': t('2024-02-25T00:00:00Z'), '1d': t('2024-02-28T00:00:00Z') },
    unavailable: '1m',
    beforeData: t('2020-01-01T00:00:00Z'),
    unknownPair: 'SOLUSD',
    close: () => store.close(),
  };
});
