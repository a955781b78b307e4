import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as indicators from './index.js';

describe('indicators entry point', () => {
  it('exports the documented batch functions and streaming classes', () => {
    const batch = ['sma', 'ema', 'rsi', 'macd', 'bollinger', 'trueRange', 'atr', 'adx'] as const;
    const streaming = ['SMA', 'EMA', 'RSI', 'MACD', 'BollingerBands', 'ATR', 'ADX'] as const;
    for (const name of [...batch, ...streaming]) expect(typeof indicators[name]).toBe('function');
    expect(Object.keys(indicators).sort()).toEqual([...batch, ...streaming].sort());
  });

  it('gives every batch output the input length, NaN-padded at the front', () => {
    const n = 100;
    const close = Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 3) * 5 + i / 10);
    const high = close.map((c) => c + 1);
    const low = close.map((c) => c - 1);
    const outputs = [
      indicators.sma(close, 10),
      indicators.ema(close, 10),
      indicators.rsi(close),
      indicators.trueRange(high, low, close),
      indicators.atr(high, low, close),
      ...Object.values(indicators.macd(close)),
      ...Object.values(indicators.bollinger(close)),
      ...Object.values(indicators.adx(high, low, close)),
    ];
    for (const out of outputs) {
      expect(out).toBeInstanceOf(Float64Array);
      expect(out.length).toBe(n);
      expect(Number.isNaN(out[0])).toBe(true);
      expect(Number.isFinite(out[n - 1])).toBe(true);
    }
  });

  it('imports nothing from outside src/indicators (it is published as its own entry point)', () => {
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources).toContain('index.ts');
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[\w.-]+\.js$/);
      }
    }
  });
});
