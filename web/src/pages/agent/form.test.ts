import { describe, expect, it } from 'vitest';
import { configPatch, parseAssets, parseFraction, settingsForm, startBody } from './form';

describe('parseAssets', () => {
  it('splits on commas and spaces, upper-cases, drops duplicates, names the first bad pair', () => {
    expect(parseAssets(' btcusd, ETH-USD  eur_usd;BTCUSD ')).toEqual({ pairs: ['BTCUSD', 'ETH-USD', 'EUR_USD'], error: null });
    expect(parseAssets('')).toEqual({ pairs: [], error: null });
    expect(parseAssets('BTCUSD, BTC USD!').error).toBe('Assets: "USD!" is not a pair (e.g. BTCUSD, ETH-USD)');
    expect(parseAssets('x').error).toMatch(/^Assets: "x"/);
  });
});

describe('parseFraction', () => {
  it('takes 0.05 or 5 %, empty as not given, refuses out of range or not a number naming the field', () => {
    expect(parseFraction('0.05', 'Take-profit', 0.001, 1)).toEqual({ value: 0.05, error: null });
    expect(parseFraction(' 5% ', 'Take-profit', 0.001, 1)).toEqual({ value: 0.05, error: null });
    expect(parseFraction('', 'Take-profit', 0.001, 1)).toEqual({ value: null, error: null });
    expect(parseFraction('5', 'Stop-loss', 0.001, 1).error).toBe('Stop-loss: must be from 0.1 % to 100 % (got 500 %)');
    expect(parseFraction('abc', 'Stop-loss', 0.001, 1).error).toBe('Stop-loss: not a number (e.g. 0.05 or 5%)');
  });
});

describe('startBody', () => {
  const base = { assets: '', takeProfit: '', stopLoss: '', manualApproval: false, dryRun: false };
  it('maps the form to the start request: manual approval = not autonomous, empty assets = configured ones', () => {
    expect(startBody(base)).toEqual({ body: { autonomous: true, dry_run: false }, errors: [] });
    expect(startBody({ assets: 'btcusd,ethusd', takeProfit: '4%', stopLoss: '0.02', manualApproval: true, dryRun: true })).toEqual({
      body: { asset_pairs: ['BTCUSD', 'ETHUSD'], autonomous: false, take_profit: 0.04, stop_loss: 0.02, dry_run: true },
      errors: [],
    });
  });
  it('collects every error and sends nothing', () => {
    const r = startBody({ ...base, assets: 'B@D', stopLoss: '2' });
    expect(r.body).toBeNull();
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toMatch(/^Assets/);
    expect(r.errors[1]).toMatch(/^Stop-loss/);
  });
});

describe('configPatch', () => {
  const current = { stop_loss_pct: 0.02, position_size_pct: 0.01, confidence_threshold: 0.7, max_concurrent_trades: 3, provider_weights: null };
  it('sends only what changed', () => {
    expect(configPatch(settingsForm(current), current)).toEqual({ patch: {}, errors: [] });
    expect(configPatch({ ...settingsForm(current), stop_loss_pct: '3%', max_concurrent_trades: '5' }, current)).toEqual({ patch: { stop_loss_pct: 0.03, max_concurrent_trades: 5 }, errors: [] });
  });
  it("checks the server's ranges", () => {
    const r = configPatch({ stop_loss_pct: '0', position_size_pct: '0.2', confidence_threshold: '0.4', max_concurrent_trades: '1.5' }, current);
    expect(r.patch).toEqual({});
    expect(r.errors).toEqual([
      'Stop-loss: must be above 0',
      'Position size: must be from 0 % to 5 % (got 20 %)',
      'Confidence threshold: must be from 50 % to 100 % (got 40 %)',
      'Max concurrent trades: a whole number from 1 to 10',
    ]);
  });
});
