import { describe, expect, it } from 'vitest';
import { rec } from './fixtures';
import { applyOutcome, correctLabel, feedbackBody, isOutcomeEvent, outcomeTone, replaceRec } from './model';

describe('recommendation list updates', () => {
  it('a measured outcome lands on its recommendation only, keeping an exit price it had', () => {
    const list = [rec('a'), rec('b')];
    const out = applyOutcome(list, { id: 'b', status: 'target', return_after_costs: 0.05, correct: true }, '2026-12-07T00:00:00Z');
    expect(out[0]).toBe(list[0]);
    expect(out[1].outcome).toEqual({ status: 'target', exit_price: null, return_after_costs: 0.05, correct: true, measured_at: '2026-12-07T00:00:00Z' });
  });
  it('a rating answer replaces its recommendation in place', () => {
    expect(replaceRec([rec('b'), rec('a')], rec('a', { pair: 'ETHUSD' })).map((r) => r.pair)).toEqual(['BTCUSD', 'ETHUSD']);
  });
  it('only a well-formed outcome payload is applied', () => {
    expect(isOutcomeEvent({ id: 'a', status: 'stop' })).toBe(true);
    expect(isOutcomeEvent({ id: 'a', status: 'exploded' })).toBe(false);
    expect(isOutcomeEvent({ status: 'stop' })).toBe(false);
  });
  it('feedback body: the note only when written, trimmed and capped at 1000 characters', () => {
    expect(feedbackBody(true, false, '   ')).toEqual({ useful: true, acted: false });
    expect(feedbackBody(false, true, ` ${'x'.repeat(1200)} `).note).toHaveLength(1000);
  });
  it('labels and tones', () => {
    expect(correctLabel(null)).toBe('not judged');
    expect(outcomeTone('pending', null)).toBe('muted');
    expect(outcomeTone('stop', false)).toBe('bad');
    expect(outcomeTone('horizon', null)).toBe('info');
  });
});
