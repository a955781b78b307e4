import { randomBase62, sha256 } from './random.js';

/** `ffe_<8 char prefix>_<40 random base62>`: the prefix is visible (lists, logs), the rest is the secret. */
export const API_KEY_PATTERN = /^ffe_([A-Za-z0-9]{8})_[A-Za-z0-9]{32,}$/;

export interface NewApiKey {
  key: string;
  /** `ffe_ab12cd34`. */
  prefix: string;
  hash: string;
}

export function newApiKey(): NewApiKey {
  const prefix = `ffe_${randomBase62(8)}`;
  const key = `${prefix}_${randomBase62(40)}`;
  return { key, prefix, hash: sha256(key) };
}

export const isApiKeyShaped = (s: string): boolean => API_KEY_PATTERN.test(s);

/** `ffe_ab12cd34`, or a bare `ab12cd34`, as the visible prefix. */
export const normalizePrefix = (s: string): string => (/^[A-Za-z0-9]{8}$/.test(s) ? `ffe_${s}` : s);
