import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestData } from '../backtest/port.js';
import { runBacktest } from '../backtest/engine.js';
import { DEFAULT_FILL_MODEL } from '../backtest/fill-model.js';
import { ProviderSource } from '../backtest/provider-source.js';
import type { BacktestResult } from '../backtest/types.js';
import { openSqlite } from '../store/sqlite/database.js';
import { SqliteDecisionRepository } from '../store/sqlite/decision-repository.js';
import { SqliteOrderJournal } from '../store/sqlite/order-journal-repository.js';
import { backtest, prepareBacktest, type BacktestRequest } from './backtest.js';
import { backtestThroughExecution } from './backtest-venue.js';
import { createApp, type App } from './container.js';

const dir = mkdtempSync(join(tmpdir(), 'ffe-bt-exec-'));
const req: BacktestRequest = { pairs: ['BTCUSD'], start: Date.parse('2024-01-01'), end: Date.parse('2024-03-01'), provider: 'rules' };
let app: App;
let viaExecution: BacktestResult;
let fast: BacktestResult;
const db = join(dir, 'run.sqlite');

/** `path`: the run's journal and decisions in that SQLite database; none, in memory (as `ffe backtest` runs). */
async function throughExecution(r: BacktestRequest, path?: string, edit?: (d: BacktestData) => void): Promise<BacktestResult> {
  const run = await prepareBacktest(app, r);
  edit?.(run.data);
  return backtestThroughExecution(app, run.data, run.source as ProviderSource, run.settings, { dbPath: path });
}

/** Both engines on one request, each on its own prepared run with the same edit of its bars. */
async function bothEngines(r: BacktestRequest, edit?: (d: BacktestData) => void): Promise<{ x: BacktestResult; f: BacktestResult }> {
  const x = await throughExecution(r, undefined, edit);
  const run = await prepareBacktest(app, r);
  edit?.(run.data);
  const f = await runBacktest(run.data, run.source, run.settings, { risk: run.risk });
  return { x, f };
}

/**
 * Identical trades: pair, side, entry and exit times, exit reason; prices equal but for the
 * order path's decimal rounding of attached stop and target prices (1e-9 relative); P&L within 1e-6 relative.
 */
function expectSameTrades(x: BacktestResult, f: BacktestResult): void {
  const key = (t: BacktestResult['trades'][number]) => [t.pair, t.side, t.entryTime, t.exitTime, t.exitReason];
  expect(x.trades.map(key)).toEqual(f.trades.map(key));
  const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
  x.trades.forEach((t, k) => {
    const g = f.trades[k];
    expect(close(t.entryPrice, g.entryPrice, 1e-9) && close(t.exitPrice, g.exitPrice, 1e-9), `trade ${k} prices: ${t.entryPrice} ${t.exitPrice} vs ${g.entryPrice} ${g.exitPrice}`).toBe(true);
    expect(close(t.pnl, g.pnl, 1e-6), `trade ${k} P&L: ${t.pnl} vs ${g.pnl}`).toBe(true);
  });
  expect(x.rejections.map((r) => [r.pair, r.time])).toEqual(f.rejections.map((r) => [r.pair, r.time]));
}

/** A stop exit that filled past its stop: the bar opened through it (entry ± the 2 % stop, with room for slippage). */
const gappedStops = (r: BacktestResult) => r.trades.filter((t) => t.exitReason === 'stop_loss' && t.returnFraction < -0.03);

beforeAll(async () => {
  app = await createApp({ cwd: dir, env: { FFE_HOME: dir } });
  viaExecution = await throughExecution(req, db);
  fast = await backtest(app, { ...req, engine: 'fast' });
}, 60_000);
afterAll(() => app.close());

const shape = (r: BacktestResult) => r.trades.map((t) => [t.pair, t.side, t.entryTime, t.exitTime, t.exitReason].join(' '));

describe('provider backtest through the live ExecutionService', () => {
  it('is the default for a provider and trades; its in-memory journal and decisions give exactly the run the SQLite ones give', async () => {
    const d = await backtest(app, req, { recordFills: true });
    expect([d.engine, fast.engine]).toEqual(['execution', 'fast']);
    expect(viaExecution.trades.length).toBeGreaterThan(10);
    expect(viaExecution.rejections.length).toBeGreaterThan(0);
    // viaExecution journaled to a SQLite file; `ffe backtest` keeps the run's records in memory.
    expect([d.fills, d.rejections, [...d.equity]]).toEqual([viaExecution.fills, viaExecution.rejections, [...viaExecution.equity]]);
  });

  it('trades exactly as the fast engine does: same entries, exits and reasons; P&L equal to decimal rounding', () => {
    expect(shape(viaExecution)).toEqual(shape(fast));
    viaExecution.trades.forEach((t, k) => expect(Math.abs(t.pnl - fast.trades[k].pnl)).toBeLessThan(1e-3));
    expect(Math.abs(viaExecution.metrics.finalEquity - fast.metrics.finalEquity)).toBeLessThan(0.01);
  });

  it('with fills at the close too', async () => {
    const atClose: BacktestRequest = { ...req, settings: { fill: 'close' } };
    const x = await backtest(app, atClose);
    const f = await backtest(app, { ...atClose, engine: 'fast' });
    expect(x.trades.length).toBeGreaterThan(10);
    expect(shape(x)).toEqual(shape(f));
    expect(Math.abs(x.metrics.finalEquity - f.metrics.finalEquity)).toBeLessThan(0.01);
  });

  it('reconciles: cash is the initial balance plus every fill and fee, and the curve ends there', () => {
    const initial = viaExecution.settings.initialBalance;
    const flows = viaExecution.fills.reduce((s, f) => s - f.units * f.price - f.fee, 0);
    expect(viaExecution.cash).toBeCloseTo(initial + flows, 6);
    expect(viaExecution.equity[viaExecution.equity.length - 1]).toBeCloseTo(viaExecution.cash, 9);
    expect(viaExecution.trades.reduce((s, t) => s + t.pnl, 0)).toBeCloseTo(viaExecution.cash - initial, 6);
    expect(viaExecution.metrics.feesPaid).toBeCloseTo(
      viaExecution.fills.reduce((s, f) => s + f.fee, 0),
      6,
    );
  });

  it('journals every order it sends under a unique client order id, and marks its decision executed', async () => {
    const sqlite = await openSqlite(db);
    try {
      const intents = await new SqliteOrderJournal(sqlite).list({ account: 'paper', limit: 1e6 });
      // Venue-side exits (attached stop / target) are the venue's orders; everything else was sent.
      const sent = viaExecution.fills.filter((f) => f.reason !== 'stop_loss' && f.reason !== 'take_profit');
      expect(intents.length).toBe(sent.length);
      expect(intents.every((i) => i.state === 'FILLED')).toBe(true);
      expect(new Set(intents.map((i) => i.clientOrderId)).size).toBe(intents.length);
      const decisions = new SqliteDecisionRepository(sqlite);
      const byDecision = intents.filter((i) => i.decisionId !== null);
      expect(byDecision.length).toBe(sent.filter((f) => f.reason !== 'end').length);
      for (const i of byDecision.slice(0, 20)) expect((await decisions.get(i.decisionId!))?.executed).toBe(true);
    } finally {
      await sqlite.db.destroy();
    }
  });

  it('trades daily stock bars at the session: orders go at the 09:30 New York open, the run ends flat at the close', async () => {
    const spy = await backtest(app, { pairs: ['SPY'], start: Date.parse('2019-01-01'), end: Date.parse('2020-01-01'), timeframe: '1d', provider: 'rules' });
    expect(spy.trades.length).toBeGreaterThan(5);
    expect(spy.rejections.filter((r) => /MARKET_CLOSED|stale/i.test(r.reason))).toEqual([]);
    expect(spy.notes.filter((n) => /could not be closed/.test(n))).toEqual([]);
    // Entries fill at the open price of their day's bar, seen at the opening auction.
    const opens = spy.fills.filter((f) => f.reason === 'entry');
    for (const f of opens) expect(new Date(f.time).getUTCHours() === 13 || new Date(f.time).getUTCHours() === 14).toBe(true);
  });

  it("a crypto and a stock pair on daily bars: same trades as the fast engine, each closed at its own last session, and no order sees the other market's later open", async () => {
    const mixed: BacktestRequest = { pairs: ['BTCUSD', 'SPY'], start: Date.parse('2019-01-01'), end: Date.parse('2019-06-03'), timeframe: '1d', provider: 'rules' };
    const x = await throughExecution(mixed);
    const f = await backtest(app, { ...mixed, engine: 'fast' });
    // Same trades; prices equal to 1e-9 relative (the order path's decimal sizing moves the sqrt impact in the last digits).
    const sorted = (r: BacktestResult) => [...r.trades].sort((a, b) => a.pair.localeCompare(b.pair) || a.entryTime - b.entryTime);
    const key = (r: BacktestResult) => sorted(r).map((t) => `${t.pair} ${t.side} ${t.exitReason} ${t.entryTime} ${t.exitTime}`);
    expect(x.trades.length).toBeGreaterThan(10);
    expect(key(x)).toEqual(key(f));
    const fs = sorted(f);
    sorted(x).forEach((t, k) => {
      expect(Math.abs(t.entryPrice / fs[k].entryPrice - 1)).toBeLessThan(1e-9);
      expect(Math.abs(t.exitPrice / fs[k].exitPrice - 1)).toBeLessThan(1e-9);
    });
    // The run ends on a Monday: SPY's last bar is Friday's, and it is closed then, not refused at the weekend.
    expect(x.notes).toEqual([]);
    expect(x.metrics.exposure).toBeCloseTo(f.metrics.exposure, 12);
    // SPY's bars from the cut on are rewritten: BTC's orders at midnight of the cut day come before SPY's open.
    const cut = Date.parse('2019-02-01');
    const edited = await throughExecution(mixed, undefined, (d) => {
      const b = d.pairs[1].bars;
      const k = b.timestamp.findIndex((t) => t >= cut);
      const scale = (a: Float64Array) => a.map((v, i) => (i >= k ? v * 0.8 : v));
      d.pairs[1].bars = { ...b, open: scale(b.open), high: scale(b.high), low: scale(b.low), close: scale(b.close) };
    });
    const upTo = (r: BacktestResult) => [r.fills.filter((z) => z.time <= cut), r.rejections.filter((z) => z.time <= cut)];
    expect(upTo(edited)).toEqual(upTo(x));
  });

  it("forex daily bars: a Friday bar's decision waits for the Sunday reopening and trades as the fast engine does", async () => {
    const fx: BacktestRequest = { pairs: ['EURUSD'], start: Date.parse('2013-01-01'), end: Date.parse('2014-01-01'), timeframe: '1d', provider: 'rules' };
    const x = await backtest(app, fx);
    const f = await backtest(app, { ...fx, engine: 'fast' });
    const key = (r: BacktestResult) => r.trades.map((t) => `${t.side} ${t.exitReason} ${t.entryPrice.toFixed(8)} ${t.exitPrice.toFixed(8)}`);
    expect(x.trades.length).toBeGreaterThan(5);
    expect(key(x)).toEqual(key(f));
    expect(x.rejections.filter((r) => /stale|MARKET_CLOSED/i.test(r.reason))).toEqual([]);
  });

  it('gapped data, stocks overnight: SPY daily bars make identical trades in both engines, gap fills included', async () => {
    const { x, f } = await bothEngines({ pairs: ['SPY'], start: Date.parse('2018-01-01'), end: Date.parse('2021-01-01'), timeframe: '1d', provider: 'rules' });
    expect(x.trades.length).toBeGreaterThan(10);
    expectSameTrades(x, f);
    // Overnight gaps happen in this window (March 2020): the parity covers fills at the open.
    expect(x.trades.some((t) => t.exitReason === 'stop_loss')).toBe(true);
  }, 120_000);

  it('gapped data, forex weekends: EURUSD hourly bars make identical trades in both engines across the Sunday reopening', async () => {
    const { x, f } = await bothEngines({ pairs: ['EURUSD'], start: Date.parse('2013-01-01'), end: Date.parse('2013-07-01'), timeframe: '1h', provider: 'rules' });
    expect(x.trades.length).toBeGreaterThan(5);
    expectSameTrades(x, f);
    // Some position is held over a weekend (Friday close to Sunday reopening).
    const overWeekend = (t: BacktestResult['trades'][number]) => t.exitTime - t.entryTime > 40 * 3_600_000 && new Date(t.entryTime).getUTCDay() <= 5 && [0, 1].includes(new Date(t.exitTime).getUTCDay());
    expect(x.trades.some(overWeekend) || x.trades.some((t) => new Date(t.entryTime).getUTCDay() === 0)).toBe(true);
  }, 120_000);

  it('a deliberately gapped series: every 40 bars the price jumps 6 % down or up at the open; same trades, stops gapped through fill at the open', async () => {
    const gap = (d: BacktestData) => {
      const b = d.pairs[0].bars;
      const factor = new Float64Array(b.length);
      let f = 1;
      for (let i = 0; i < b.length; i++) {
        if (i > 0 && i % 40 === 0) f *= (i / 40) % 2 ? 0.94 : 1.06;
        factor[i] = f;
      }
      const scale = (a: Float64Array) => a.map((v, i) => v * factor[i]);
      d.pairs[0].bars = { ...b, open: scale(b.open), high: scale(b.high), low: scale(b.low), close: scale(b.close) };
    };
    const { x, f } = await bothEngines(req, gap);
    expect(x.trades.length).toBeGreaterThan(10);
    expectSameTrades(x, f);
    // The gaps bit: stops filled at the open, beyond their stop price, in both engines alike.
    expect(gappedStops(x).length).toBeGreaterThan(0);
    expect(gappedStops(f).map((t) => t.exitPrice)).toEqual(gappedStops(x).map((t) => t.exitPrice));
  }, 120_000);

  it.each(['carry', 'cancel'] as const)(
    'partial fills (remainder %s): with bars of 0.5 BTC an entry takes at most 0.05 a bar, the same in both engines',
    async (remainder) => {
      const thin = (d: BacktestData) => {
        d.pairs[0].bars = { ...d.pairs[0].bars, volume: new Float64Array(d.pairs[0].bars.length).fill(0.5) };
      };
      const { x, f } = await bothEngines({ ...req, settings: { fillModel: { ...DEFAULT_FILL_MODEL, remainder } } }, thin);
      expect(x.trades.length).toBeGreaterThan(10);
      expectSameTrades(x, f);
      const entries = (r: BacktestResult) => r.fills.filter((z) => z.reason === 'entry');
      // Entries were split (carry) or cut (cancel), and no fill took more than 10 % of its bar.
      expect(entries(f).some((z) => z.partial)).toBe(true);
      expect(entries(x).every((z) => Math.abs(z.units) <= 0.05 + 1e-12)).toBe(true);
      expect(entries(x).map((z) => [z.time, z.units])).toEqual(entries(f).map((z) => [z.time, z.units]));
      if (remainder === 'carry') expect(entries(x).length).toBeGreaterThan(x.trades.length);
      else expect(entries(x).length).toBe(x.trades.length);
    },
    120_000,
  );

  it('has no look-ahead: rewriting the bars after a moment changes no fill before it', async () => {
    const cut = Date.parse('2024-02-01');
    const edited = await throughExecution(req, undefined, (d) => {
      const b = d.pairs[0].bars;
      const k = b.timestamp.findIndex((t) => t >= cut);
      // Every price of a later bar moves by the same factor, so each bar stays consistent.
      const scale = (a: Float64Array) => {
        const c = a.slice();
        for (let i = k; i < c.length; i++) c[i] *= i % 2 ? 1.07 : 0.93;
        return c;
      };
      d.pairs[0].bars = { ...b, open: scale(b.open), high: scale(b.high), low: scale(b.low), close: scale(b.close) };
    });
    const before = (r: BacktestResult) => r.fills.filter((f) => f.time < cut);
    expect(before(viaExecution).length).toBeGreaterThan(5);
    expect(before(edited)).toEqual(before(viaExecution));
    expect(edited.fills.filter((f) => f.time >= cut)).not.toEqual(viaExecution.fills.filter((f) => f.time >= cut));
  });
});
