import { displayPair } from '../../core/pair.js';
import type { AnalysisContext } from '../port.js';

/** Bump when the prompt text changes meaningfully: it is part of every cassette key. */
export const PROMPT_VERSION = 1;

export interface LlmPrompt {
  system: string;
  user: string;
}

/**
 * JSON Schema of the answer, sent as the structured-output format (Ollama `format`, OpenAI
 * `response_format.json_schema`). Every property is required and optional hints are nullable,
 * because OpenAI's strict mode allows nothing else.
 */
export const DECISION_JSON_SCHEMA = {
  type: 'object',
  properties: {
    action: { type: 'string', enum: ['BUY', 'SELL', 'HOLD'] },
    confidence: { type: 'integer', minimum: 0, maximum: 100 },
    reasoning: { type: 'string' },
    stop_loss_fraction: { type: ['number', 'null'] },
    take_profit_fraction: { type: ['number', 'null'] },
    size_fraction: { type: ['number', 'null'] },
  },
  required: ['action', 'confidence', 'reasoning', 'stop_loss_fraction', 'take_profit_fraction', 'size_fraction'],
  additionalProperties: false,
} as const;

const SYSTEM = `You are the trading analyst of the Finance Feedback Engine. You get a point-in-time market snapshot and answer with exactly one JSON object and nothing else.

Answer format (JSON):
{"action": "BUY" | "SELL" | "HOLD", "confidence": integer 0-100, "reasoning": "2-4 sentences naming the evidence you used", "stop_loss_fraction": number or null, "take_profit_fraction": number or null, "size_fraction": number or null}

Rules:
1. Answer HOLD when the market is closed or the data is stale; the snapshot says when either is the case.
2. BUY means go long (or close a short), SELL means go short (or close a long), HOLD means do nothing.
3. confidence is how likely (0-100) you think the action is right; below 60 nothing is traded.
4. Fractions are of the entry price: 0.02 means 2 %. stop_loss_fraction in (0, 0.5], take_profit_fraction in (0, 1], size_fraction (share of equity to risk) in (0, 0.1]. Use null to leave them to the engine.
5. Use only the data given. Nothing after the decision time exists. Trade only when the edge beats the round-trip costs.`;

const n = (x: number | null | undefined, digits = 6): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : String(Number(x.toPrecision(digits))));
const pct = (fraction: number, digits = 2): string => `${(fraction * 100).toFixed(digits)}%`;
const iso = (ms: number): string => new Date(ms).toISOString();

function indicatorLines(ctx: AnalysisContext): string[] {
  const head = 'tf | trend | strength | close | RSI | MACD hist | %B | ADX | ATR% | SMA20 | SMA50';
  const rows = ctx.pulse.timeframes.map((f) => {
    const i = f.indicators;
    if (f.status !== 'ok' || !i) return `${f.timeframe} | ${f.status}: ${f.note}`;
    return [f.timeframe, f.trend ?? 'n/a', f.strength ?? 'n/a', n(i.close), n(i.rsi, 3), n(i.macd.histogram, 4), n(i.bollinger.percentB, 3), n(i.adx.adx, 3), pct(i.atrFraction), n(i.sma20), n(i.sma50)].join(' | ');
  });
  return [head, ...rows];
}

function positionLines(ctx: AnalysisContext): string[] {
  if (!ctx.positions.length) return ['none'];
  return ctx.positions.map((p) => `${p.pair} ${p.side} ${n(p.units)} units @ ${n(p.entryPrice)}, unrealised P&L ${n(p.unrealizedPnl, 4)}, opened ${iso(p.openedAt)}`);
}

function newsLines(ctx: AnalysisContext): string[] {
  // The engine already drops later items; this keeps the prompt honest whoever built the context.
  const items = ctx.news.filter((x) => x.publishedAt <= ctx.asOf).sort((a, b) => b.publishedAt - a.publishedAt);
  if (!items.length) return ['none'];
  return items.map((x) => {
    const score = x.sentimentScore === null ? 'no score' : `sentiment ${n(x.sentimentScore, 3)}${x.sentimentLabel ? ` ${x.sentimentLabel}` : ''}`;
    const rel = x.relevance === null ? '' : `, relevance ${n(x.relevance, 3)}`;
    return `- ${iso(x.publishedAt)} [${score}${rel}] ${x.title.replace(/\s+/g, ' ').slice(0, 200)} (${x.source})`;
  });
}

/** Stocks with stored fundamentals only; absent otherwise, so other prompts (and their cassette keys) are unchanged. */
function fundamentalsLines(ctx: AnalysisContext): string[] {
  const f = ctx.pulse.fundamentals;
  if (!f) return [];
  const ratio = (x: number | null) => n(x, 4);
  const change = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${pct(x, 1)}`);
  const v = f.valuation;
  const g = f.growth;
  const lines = [
    '',
    `Fundamentals (reports published at or before the decision time; newest ${f.latestReport ?? 'n/a'}):`,
    `Valuation at ${n(v.price)}: P/E ${ratio(v.pe)} (trailing 4-quarter EPS ${n(v.trailingEps, 4)}), PEG ${ratio(v.peg)}, P/B ${ratio(v.priceToBook)}`,
    `Growth YoY (quarter ending ${g.quarter ?? 'n/a'}): revenue ${change(g.revenueYoY)}, net income ${change(g.netIncomeYoY)}, EPS ${change(g.epsYoY)}`,
    'Earnings surprises (newest first):',
    ...(f.surprises.length
      ? f.surprises.map(
          (s) => `- ${s.fiscalDateEnding} reported ${s.reportedDate}: EPS ${n(s.reportedEps, 4)} vs estimate ${n(s.estimatedEps, 4)} (surprise ${s.surprisePercent === null ? 'n/a' : `${n(s.surprisePercent, 4)}%`})`,
        )
      : ['none']),
  ];
  if (f.overview)
    lines.push(
      `Company overview fetched ${iso(f.overview.fetchedAt)}: P/E ${ratio(f.overview.peRatio)}, PEG ${ratio(f.overview.pegRatio)}, P/B ${ratio(f.overview.priceToBook)}, market cap ${n(f.overview.marketCap, 4)}`,
    );
  return lines;
}

/**
 * The one prompt every LLM provider sends: a compact, deterministic rendering of the context
 * (the same context always gives the same text, so cassette keys are stable).
 */
export function buildPrompt(ctx: AnalysisContext): LlmPrompt {
  const { pair, pulse, regime, marketStatus, freshness } = ctx;
  const c = pulse.confluence;
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : '-');
  const user = [
    `Pair: ${pair.symbol} (${pair.assetClass}, ${displayPair(pair)})`,
    `Decision time: ${iso(ctx.asOf)}`,
    `Price: ${n(ctx.price)} ${pair.quote}`,
    `Market: ${marketStatus.isOpen ? 'OPEN' : 'CLOSED'} (session ${marketStatus.session}${marketStatus.reason ? `; ${marketStatus.reason}` : ''})`,
    `Data: ${freshness.isFresh ? 'fresh' : 'STALE'}, last price ${freshness.ageText} old${freshness.warning ? ` (${freshness.warning})` : ''}`,
    `Regime: ${regime.regime}${regime.timeframe ? ` on ${regime.timeframe}` : ''} (ADX ${n(regime.adx, 3)}, ATR ${regime.atrFraction === null ? 'n/a' : pct(regime.atrFraction)}): ${regime.reason}`,
    `Confluence: ${c.direction}, strength ${c.strength} (up ${n(c.upPercent, 3)}%, down ${n(c.downPercent, 3)}%); agreeing ${list(c.agreeing)}; opposing ${list(c.opposing)}; ranging ${list(c.ranging)}`,
    `Signal strength: ${pulse.signalStrength}/100`,
    `Summary: ${pulse.description}`,
    '',
    'Indicators:',
    ...indicatorLines(ctx),
    '',
    'Open positions:',
    ...positionLines(ctx),
    '',
    `Recent outcomes: ${ctx.memorySummary ?? 'none recorded'}`,
    '',
    'News (published at or before the decision time, newest first):',
    ...newsLines(ctx),
    ...fundamentalsLines(ctx),
    '',
    `Costs per fill: fee ${pct(ctx.costs.feeRate, 3)}, slippage ${pct(ctx.costs.slippageRate, 3)}.`,
    ...(ctx.sample ? [`Data note: ${ctx.sample.label}.`] : []),
    '',
    'Answer with the JSON object only.',
  ].join('\n');
  return { system: SYSTEM, user };
}

/** System and user parts as one text, for tools that take a single prompt (assistant CLIs). */
export const promptText = (p: LlmPrompt): string => `${p.system}\n\n---\n\n${p.user}`;
