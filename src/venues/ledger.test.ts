import { describe, expect, it } from 'vitest';
import { D, text } from './decimal.js';
import { applyFill, feeOf, figures, openingUnits, slipped, unrealized, type Holding } from './ledger.js';

const d = (s: string | number) => new D(s);
const long = (units: string, entry: string): Holding => ({ side: 'long', units: d(units), entryPrice: d(entry) });
const short = (units: string, entry: string): Holding => ({ side: 'short', units: d(units), entryPrice: d(entry) });

describe('paper ledger: exact decimal netting', () => {
  it('adds 0.1 and 0.2 to exactly 0.3 (no float drift)', () => {
    const a = applyFill(null, 'buy', d('0.1'), d('0.1'));
    const b = applyFill(a.after, 'buy', d('0.2'), d('0.2'));
    expect(text(b.after!.units)).toBe('0.3');
    // (0.1·0.1 + 0.2·0.2) / 0.3 = 0.05 / 0.3 = 0.1666…
    expect(b.after!.entryPrice.mul(3).toDecimalPlaces(30).toFixed()).toBe('0.5');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('volume-weights the entry when adding', () => {
    const r = applyFill(long('1', '100'), 'buy', d('3'), d('104'));
    expect(text(r.after!.entryPrice)).toBe('103');
    expect(text(r.after!.units)).toBe('4');
    expect(r.closedUnits.isZero()).toBe(true);
  });

  it('realises gross P&L of a long closed at a profit and of a short closed at a profit', () => {
    const l = applyFill(long('2', '100'), 'sell', d('2'), d('110'));
    expect(l.after).toBeNull();
    expect(text(l.grossPnl)).toBe('20');
    const s = applyFill(short('2', '50'), 'buy', d('2'), d('45'));
    expect(s.after).toBeNull();
    expect(text(s.grossPnl)).toBe('10');
  });

  it('reduces partially, keeping the entry', () => {
    const r = applyFill(long('5', '10'), 'sell', d('2'), d('9'));
    expect(r.after).toEqual({ side: 'long', units: d('3'), entryPrice: d('10') });
    expect(text(r.grossPnl)).toBe('-2');
  });

  it('flips a long into a short at the fill price', () => {
    const r = applyFill(long('1', '100'), 'sell', d('3'), d('110'));
    expect(text(r.closedUnits)).toBe('1');
    expect(text(r.openedUnits)).toBe('2');
    expect(text(r.grossPnl)).toBe('10');
    expect(r.after!.side).toBe('short');
    expect(text(r.after!.units)).toBe('2');
    expect(text(r.after!.entryPrice)).toBe('110');
    expect(text(openingUnits(long('1', '100'), 'sell', d('3')))).toBe('2');
    expect(text(openingUnits(long('5', '100'), 'sell', d('3')))).toBe('0');
  });

  it('slips against the trader and charges the fee on notional', () => {
    expect(text(slipped(d('100'), 'buy', d('0.001')))).toBe('100.1');
    expect(text(slipped(d('100'), 'sell', d('0.001')))).toBe('99.9');
    expect(text(feeOf(d('2'), d('100.1'), d('0.001')))).toBe('0.2002');
  });

  it('values positions: unrealised at mark, equity = cash + unrealised, available net of notional used', () => {
    expect(text(unrealized(long('2', '100'), d('120')))).toBe('40');
    expect(text(unrealized(short('2', '100'), d('120')))).toBe('-40');
    const f = figures(d('1000'), [{ holding: long('2', '100'), mark: d('120') }], d('50'));
    expect(text(f.equity)).toBe('1040');
    expect(text(f.used)).toBe('200');
    expect(text(f.available)).toBe('790');
  });
});
