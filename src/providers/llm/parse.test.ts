import { describe, expect, it } from 'vitest';
import { coerceConfidence, jsonObjectSpans, parseDecision } from './parse.js';

const ok = (text: string) => {
  const r = parseDecision(text);
  if (!r.ok) throw new Error(`expected a decision, got failure: ${r.reason}`);
  return r;
};
const failure = (text: string) => {
  const r = parseDecision(text);
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.signal)}`);
  return r.reason;
};

describe('parseDecision', () => {
  it('reads bare JSON with hints', () => {
    const r = ok('{"action":"BUY","confidence":72,"reasoning":"trend up","stop_loss_fraction":0.03,"take_profit_fraction":null,"size_fraction":0.01}');
    expect(r.signal).toEqual({ action: 'BUY', confidence: 72, reasoning: 'trend up', stopLossFraction: 0.03, sizeFraction: 0.01 });
  });

  it('reads JSON inside a code fence surrounded by prose', () => {
    const r = ok('Here is my decision:\n```json\n{"action": "sell", "confidence": 64, "reasoning": "lower highs"}\n```\nGood luck!');
    expect(r.signal.action).toBe('SELL');
    expect(r.signal.confidence).toBe(64);
  });

  it('reads JSON after a think block, ignoring braces inside the thoughts', () => {
    const text = '<think>If I answer {"action":"BUY"} I would be wrong; the {trend} is down.</think>\n{"action":"HOLD","confidence":55,"reasoning":"mixed signals"}';
    expect(ok(text).signal).toMatchObject({ action: 'HOLD', confidence: 55 });
  });

  it('takes the last decision when the model restates it, and unwraps {"decision": {...}}', () => {
    expect(ok('draft {"action":"BUY","confidence":50,"reasoning":"a"} final {"action":"SELL","confidence":61,"reasoning":"b"}').signal.action).toBe('SELL');
    expect(ok('{"decision":{"action":"BUY","confidence":80,"reasoning":"nested"}}').signal.confidence).toBe(80);
  });

  it('handles braces and escaped quotes inside strings', () => {
    expect(ok('{"action":"BUY","confidence":70,"reasoning":"price broke the \\"{range}\\" top"}').signal.reasoning).toBe('price broke the "{range}" top');
  });

  it('coerces confidence words, numeric and percent strings; a number is taken as given on the 0–100 scale', () => {
    expect(ok('{"action":"BUY","confidence":"high","reasoning":"x"}').signal.confidence).toBe(75);
    expect(ok('{"action":"BUY","confidence":"very_low","reasoning":"x"}').signal.confidence).toBe(15);
    expect(ok('{"action":"BUY","confidence":"medium high","reasoning":"x"}').signal.confidence).toBe(65);
    expect(ok('{"action":"BUY","confidence":0.85,"reasoning":"x"}').signal.confidence).toBe(0.85);
    expect(ok('{"action":"BUY","confidence":"85%","reasoning":"x"}').signal.confidence).toBe(85);
    expect(ok('{"action":"BUY","confidence":"60","reasoning":"x"}').signal.confidence).toBe(60);
  });

  it('drops out-of-range hints with a note instead of failing, and reads "2%"', () => {
    const r = ok('{"action":"BUY","confidence":70,"reasoning":"x","stop_loss_fraction":"2%","take_profit_fraction":7,"size_fraction":"lots"}');
    expect(r.signal.stopLossFraction).toBeCloseTo(0.02);
    expect(r.signal.takeProfitFraction).toBeUndefined();
    expect(r.signal.sizeFraction).toBeUndefined();
    expect(r.ignoredHints).toEqual(['take_profit_fraction: 7 is outside (0, 1]', 'size_fraction: "lots" is not a number']);
  });

  it('turns every invalid answer into a failure with a reason, never a HOLD', () => {
    expect(failure('')).toBe('empty answer');
    expect(failure('I think you should buy.')).toMatch(/^no JSON object in the answer \("I think you should buy\."\)/);
    expect(failure('{"confidence": 70, "reasoning": "x"}')).toMatch(/without an "action" field/);
    expect(failure('{"action":"LONG","confidence":70,"reasoning":"x"}')).toMatch(/action "LONG" is not BUY, SELL or HOLD/);
    expect(failure('{"action":"BUY","confidence":"absolutely","reasoning":"x"}')).toMatch(/confidence "absolutely" is neither a number nor a confidence word/);
    expect(failure('{"action":"BUY","confidence":150,"reasoning":"x"}')).toMatch(/confidence 150 is outside 0–100/);
    expect(failure('{"action":"BUY","reasoning":"x"}')).toMatch(/confidence/);
    expect(failure('{"action":"BUY","confidence":70,"reasoning":"   "}')).toMatch(/reasoning is empty/);
    expect(failure('{"action":"BUY","confidence":70}')).toMatch(/reasoning is missing/);
    expect(failure('{action: BUY, confidence: 70}')).toMatch(/no JSON object/);
  });
});

describe('helpers', () => {
  it('coerceConfidence reports unusable values as text', () => {
    expect(coerceConfidence(1)).toBe(1);
    expect(coerceConfidence(0)).toBe(0);
    expect(coerceConfidence(-3)).toMatch(/outside/);
    expect(coerceConfidence(null)).toMatch(/not a number/);
  });

  it('jsonObjectSpans finds top-level objects only', () => {
    expect(jsonObjectSpans('a {"x":{"y":1}} b {"z":"}"} c')).toEqual(['{"x":{"y":1}}', '{"z":"}"}']);
  });
});

describe('parseDecision: defects found outside the project', () => {
  it('takes a confidence of 1 or "1" as given (0–100 scale), not as 100', () => {
    const one = parseDecision('{"action":"BUY","confidence":1,"reasoning":"barely"}');
    const text = parseDecision('{"action":"BUY","confidence":"1","reasoning":"barely"}');
    expect(one.ok && one.signal.confidence).toBe(1);
    expect(text.ok && text.signal.confidence).toBe(1);
    expect(coerceConfidence('1')).toBe(1);
  });

  it('reports a 5,000-deep nested object as an invalid answer instead of overflowing the stack', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    for (const answer of [deep, `{"decision":${deep}}`]) {
      const r = parseDecision(answer);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeLessThan(400);
    }
  });
});
