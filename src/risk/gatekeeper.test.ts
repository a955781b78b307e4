import { describe, expect, it } from 'vitest';
import { context, decision, exposure, limits } from '../../test/support/risk-context.js';
import type { Decision } from '../core/decision.js';
import { RiskGatekeeper } from './gatekeeper.js';
import type { PortfolioContext } from './types.js';

describe('RiskGatekeeper', () => {
  it('approves a healthy trade and reports every check', () => {
    const r = new RiskGatekeeper(limits()).evaluate(decision(), context());
    expect(r.denials).toEqual([]);
    expect(r.approved).toBe(true);
    expect(r.checks.map((c) => c.check)).toEqual(['market_hours', 'stale_data', 'drawdown', 'daily_loss', 'var', 'correlation', 'concentration', 'leverage', 'volatility']);
    expect(r.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('collects every denial with its code, value and limit', () => {
    const ctx = context({ equity: 9_000, dayStartEquity: 10_000, trade: { units: 0.06 } });
    const r = new RiskGatekeeper(limits()).evaluate(decision(), ctx);
    expect(r.approved).toBe(false);
    expect(r.denials.map((d) => d.code).sort()).toEqual(['CONCENTRATION_LIMIT', 'DAILY_LOSS_LIMIT', 'MAX_DRAWDOWN']);
    expect(r.denials.find((d) => d.code === 'CONCENTRATION_LIMIT')).toMatchObject({ check: 'concentration', limit: 0.25 });
  });

  it('writes results and denials with their keys in one order (check, status, code when denied, message, value, limit)', () => {
    const ctx = context({ equity: 9_000, dayStartEquity: 10_000, trade: { units: 0.06 } });
    const r = new RiskGatekeeper(limits({ checks: { ...limits().checks, leverage: false } })).evaluate(decision(), ctx);
    const keys = (o: object) => Object.keys(o).join(',');
    expect(keys(r.checks.find((c) => c.check === 'drawdown')!)).toBe('check,status,code,message,value,limit');
    expect(keys(r.checks.find((c) => c.check === 'var')!)).toBe('check,status,message,value,limit');
    expect(r.checks.find((c) => c.check === 'leverage')).toEqual({ check: 'leverage', status: 'disabled', message: 'disabled by risk.checks.leverage', value: null, limit: null });
    expect(r.denials.map(keys)).toEqual(['code,check,message,value,limit', 'code,check,message,value,limit', 'code,check,message,value,limit']);
    expect(r.denials.map((d) => d.check)).toEqual(['drawdown', 'daily_loss', 'concentration']);
  });

  it("refusal() is evaluate()'s denials on one line, and null when approved", () => {
    const gate = new RiskGatekeeper(limits());
    expect(gate.refusal(decision(), context())).toBeNull();
    const ctx = context({ equity: 9_000, dayStartEquity: 10_000, trade: { units: 0.06 } });
    const r = gate.evaluate(decision(), ctx);
    expect(gate.refusal(decision(), ctx)).toBe(r.denials.map((d) => `${d.code}: ${d.message}`).join('; '));
    expect(gate.refusal(decision(), ctx)).toMatch(/^MAX_DRAWDOWN: .*; DAILY_LOSS_LIMIT: .*; CONCENTRATION_LIMIT: /);
  });

  it("refusal() stays evaluate()'s line through a run of changing and repeated denials (its texts are kept from call to call)", () => {
    const gate = new RiskGatekeeper(limits());
    const volatile = decision({ confidence: 60 }, 0.08);
    const cases: [Decision, PortfolioContext][] = [
      [decision(), context({ equity: 9_000, dayStartEquity: 10_000, trade: { units: 0.06 } })],
      [decision(), context({ equity: 9_000, dayStartEquity: 10_000, trade: { units: 0.06 } })],
      [volatile, context({ equity: 9_000, dayStartEquity: 10_000, trade: { units: 0.06 } })],
      [volatile, context({ equity: 9_000, dayStartEquity: 10_000 })],
      [decision(), context()],
      [volatile, context({ equity: 9_000, dayStartEquity: 10_000 })],
      [decision({ confidence: 61 }, 0.08), context({ equity: 9_000, dayStartEquity: 10_000 })],
      [volatile, context({ equity: 8_500, dayStartEquity: 10_000 })],
      [volatile, context({ equity: 8_500, dayStartEquity: 10_000, trade: { units: 0.06 } })],
      [volatile, context({ equity: 8_500, dayStartEquity: 10_000 })],
    ];
    const lines = cases.map(([d, ctx]) => gate.refusal(d, ctx));
    const fresh = cases.map(([d, ctx]) => {
      const r = new RiskGatekeeper(limits()).evaluate(d, ctx);
      return r.approved ? null : r.denials.map((x) => `${x.code}: ${x.message}`).join('; ');
    });
    expect(lines).toEqual(fresh);
    expect(new Set(lines).size).toBeGreaterThan(5);
    expect(lines[1]).toBe(lines[0]);
    expect(lines[4]).toBeNull();
    expect(lines[6]).toMatch(/confidence 61\.00%/);
  });

  it('quiet: the same verdicts, statuses, values and denials; passing checks carry no message', () => {
    const gate = new RiskGatekeeper(limits());
    for (const ctx of [context(), context({ equity: 9_000, dayStartEquity: 10_000, trade: { units: 0.06 } })]) {
      const full = gate.evaluate(decision(), ctx);
      const quiet = gate.evaluate(decision(), ctx, { quiet: true });
      expect(quiet.approved).toBe(full.approved);
      expect(quiet.denials).toEqual(full.denials);
      expect(quiet.checks.map(({ message, ...rest }) => rest)).toEqual(full.checks.map(({ message, ...rest }) => rest));
      for (const c of quiet.checks) if (c.status !== 'deny') expect(c.message).toBe('');
    }
  });

  it('exempts trades that reduce exposure from entry-only checks, but not from market hours', () => {
    const closing = context({
      equity: 8_000,
      dayStartEquity: 10_000,
      positions: [exposure('BTCUSD', 1, 50_000)],
      trade: { side: 'sell', units: 1, reducesExposure: true },
      market: { ...context().market, status: { isOpen: false, session: 'Closed', reason: 'maintenance' } },
    });
    const r = new RiskGatekeeper(limits()).evaluate(null, closing);
    expect(r.denials.map((d) => d.code)).toEqual(['MARKET_CLOSED']);
    expect(r.checks.filter((c) => c.status === 'exempt').map((c) => c.check)).toEqual(['drawdown', 'daily_loss', 'var', 'correlation', 'concentration', 'leverage', 'volatility']);
  });

  it('skips checks switched off in risk.checks', () => {
    const l = limits();
    const r = new RiskGatekeeper({ ...l, checks: { ...l.checks, concentration: false, leverage: false } }).evaluate(decision(), context({ trade: { units: 0.06 } }));
    expect(r.approved).toBe(true);
    expect(r.checks.find((c) => c.check === 'concentration')?.status).toBe('disabled');
  });
});
