import { alphaVantage } from '../data/alpha-vantage/index.js';
import { bundled } from '../data/bundled/index.js';
import { anthropic } from '../providers/anthropic/index.js';
import { cli, command } from '../providers/cli/index.js';
import { gemini } from '../providers/gemini/index.js';
import { ollama } from '../providers/ollama/index.js';
import { openai } from '../providers/openai/index.js';
import { ml } from '../providers/ml/index.js';
import { rules } from '../providers/rules/index.js';
import { binance } from '../venues/binance/index.js';
import { coinbase } from '../venues/coinbase/index.js';
import { kraken } from '../venues/kraken/index.js';
import { oanda } from '../venues/oanda/index.js';

/**
 * Adapter registration. Each adapter folder exports its config schema and factory
 * (src/<venues|providers|data>/<kind>/index.ts); adding one is that folder plus one line in the
 * list of its kind below. The `venues.*`, `providers.*` and `data.*` config sections, live
 * routing and the factories in the composition root are all derived from these lists.
 */
// One adapter a line (kept by prettier-ignore), so registering one is one added line.
// prettier-ignore
export const venueAdapters = [
  coinbase,
  oanda,
  kraken,
  binance,
] as const;

// prettier-ignore
export const providerAdapters = [
  rules,
  ollama,
  openai,
  cli,
  command,
  anthropic,
  gemini,
  ml,
] as const;

// prettier-ignore
export const dataAdapters = [
  bundled,
  alphaVantage,
] as const;
