import { InvalidArgumentError } from 'commander';
import { standardizeAssetPair } from '../../core/pair.js';

/**
 * Option parsers: a bad value fails in commander with one line naming the flag (exit 2), before
 * any request is sent.
 */
const number = (raw: string): number => {
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('not a number.');
  return n;
};

export const positive = (raw: string): number => {
  const n = number(raw);
  if (n <= 0) throw new InvalidArgumentError('must be greater than 0.');
  return n;
};

/** A fraction of 1 (0.02 is 2 %), strictly between 0 and 1. */
export const fraction = (raw: string): number => {
  const n = number(raw);
  if (n <= 0 || n >= 1) throw new InvalidArgumentError('must be a fraction between 0 and 1 (0.02 is 2%).');
  return n;
};

/** 0..1 inclusive (a confidence threshold). */
export const unitInterval = (raw: string): number => {
  const n = number(raw);
  if (n < 0 || n > 1) throw new InvalidArgumentError('must be between 0 and 1.');
  return n;
};

export const wholeCount = (raw: string): number => {
  const n = number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1.');
  return n;
};

export const pair = (raw: string): string => {
  try {
    return standardizeAssetPair(raw);
  } catch (e) {
    throw new InvalidArgumentError(`${(e as Error).message}.`);
  }
};

export const pairList = (raw: string): string[] => {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new InvalidArgumentError('a comma-separated list of pairs, e.g. BTCUSD,ETHUSD.');
  return [...new Set(parts.map(pair))];
};

/** `rules=0.6,ollama=0.4` → `{rules: 0.6, ollama: 0.4}`. */
export const weights = (raw: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const m = /^\s*([A-Za-z0-9_.:-]+)\s*=\s*([^=]+)$/.exec(part);
    if (!m) throw new InvalidArgumentError(`"${part}" is not NAME=WEIGHT (e.g. rules=0.6,ollama=0.4).`);
    const w = Number(m[2]);
    if (!Number.isFinite(w) || w < 0) throw new InvalidArgumentError(`weight of ${m[1]} must be a number ≥ 0.`);
    out[m[1]] = w;
  }
  return out;
};

/** A date the server can parse: ISO 8601 (2024-03-01 or 2024-03-01T12:00:00Z). */
export const isoDate = (raw: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) || Number.isNaN(Date.parse(raw))) throw new InvalidArgumentError('must be an ISO date such as 2024-03-01 or 2024-03-01T12:00:00Z.');
  return raw;
};

/** `key=value` pairs collected from a repeated option; values that read as numbers or booleans become them. */
export const keyValue = (raw: string, prev: Record<string, unknown> = {}): Record<string, unknown> => {
  const m = /^([A-Za-z0-9_.-]+)=(.*)$/.exec(raw);
  if (!m) throw new InvalidArgumentError(`"${raw}" is not KEY=VALUE.`);
  const v = m[2];
  const parsed = v === 'true' ? true : v === 'false' ? false : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  return { ...prev, [m[1]]: parsed };
};

/** A path segment: ids go into URLs, so nothing may escape the segment. */
export const segment = (id: string): string => encodeURIComponent(id);
