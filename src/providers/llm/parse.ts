import { z } from 'zod';
import type { ProviderSignal } from '../../core/decision.js';
import { excerpt } from './call-error.js';

export type ParsedAnswer = { ok: true; signal: ProviderSignal; ignoredHints: string[] } | { ok: false; reason: string };

const REASONING_MAX = 2000;

/** Words models use instead of numbers; an unknown word is an invalid answer, never a default. */
const CONFIDENCE_WORDS: Record<string, number> = {
  'very low': 15,
  low: 25,
  'low-medium': 35,
  'medium-low': 35,
  medium: 50,
  moderate: 50,
  'medium-high': 65,
  'moderately high': 65,
  high: 75,
  'very high': 90,
};

/** 0–100 as given (the answer schema asks for 0–100: 1 is 1, not 100); numeric strings, `85%` and confidence words are accepted. */
export function coerceConfidence(v: unknown): number | string {
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string') {
    const t = v
      .trim()
      .toLowerCase()
      .replace(/[_\s]+/g, ' ');
    const word = CONFIDENCE_WORDS[t] ?? CONFIDENCE_WORDS[t.replace(' ', '-')];
    if (word !== undefined) return word;
    const m = /^(-?\d+(?:\.\d+)?)\s*(%?)$/.exec(t);
    if (!m) return `"${excerpt(v, 30)}" is neither a number nor a confidence word`;
    x = Number(m[1]);
    if (m[2]) return x >= 0 && x <= 100 ? x : `${v} is outside 0–100%`;
  } else return `${JSON.stringify(v) ?? 'nothing'} is not a number`;
  if (!Number.isFinite(x) || x < 0 || x > 100) return `${x} is outside 0–100`;
  return x;
}

/** A fraction hint; `2%` reads as 0.02. Out-of-range hints are dropped (and reported), not fatal. */
function coerceFraction(v: unknown, max: number): number | null | string {
  if (v === null || v === undefined) return null;
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(v)) x = Number.parseFloat(v) / 100;
  else if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) x = Number(v);
  else return `${JSON.stringify(v)} is not a number`;
  return Number.isFinite(x) && x > 0 && x <= max ? x : `${x} is outside (0, ${max}]`;
}

const pick = (o: Record<string, unknown>, ...keys: string[]): unknown => keys.map((k) => o[k]).find((v) => v !== undefined);

const answerSchema = z.looseObject({
  action: z
    .string({ error: 'action is missing' })
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(['BUY', 'SELL', 'HOLD'], { error: (i) => `action ${JSON.stringify(i.input)} is not BUY, SELL or HOLD` })),
  confidence: z.unknown().transform((v, ctx) => {
    const c = coerceConfidence(v);
    if (typeof c === 'string') {
      ctx.addIssue({ code: 'custom', message: `confidence ${c}` });
      return z.NEVER;
    }
    return Math.round(c * 100) / 100;
  }),
  reasoning: z
    .string({ error: 'reasoning is missing' })
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, 'reasoning is empty'),
});

/** Removes reasoning-model preambles: `<think>…</think>` and the like, closed or cut off. */
function stripThinking(text: string): string {
  return text.replace(/<(think|thinking|reasoning)>[\s\S]*?(<\/\1>|$)/gi, ' ');
}

/** Top-level `{…}` spans, string- and escape-aware, in order of appearance. */
export function jsonObjectSpans(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  return spans;
}

/** Candidate JSON objects: fenced blocks first, then bare objects; later ones win (final answers come last). */
function candidates(text: string): Record<string, unknown>[] {
  const body = stripThinking(text);
  const fenced = [...body.matchAll(/```(?:json|JSON)?\s*([\s\S]*?)```/g)].flatMap((m) => jsonObjectSpans(m[1]));
  const out: Record<string, unknown>[] = [];
  for (const span of [...fenced, ...jsonObjectSpans(body)]) {
    try {
      const v = JSON.parse(span) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      // Not JSON (e.g. a brace in prose): try the next candidate.
    }
  }
  return out;
}

/** A JSON object that nests the decision (`{"decision": {...}}`) is unwrapped one level. */
function withAction(objs: Record<string, unknown>[]): Record<string, unknown> | undefined {
  const flat = objs.flatMap((o) => [o, ...Object.values(o).filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v))]);
  return [...flat].reverse().find((o) => 'action' in o);
}

/** JSON for a failure reason; an object nested too deeply to serialise is quoted from the answer instead. */
function preview(obj: unknown, answer: string): string {
  try {
    return JSON.stringify(obj);
  } catch {
    return answer;
  }
}

/**
 * Reads a decision from model output: bare JSON, JSON in code fences, or JSON after a
 * `<think>` block. Anything that is not a valid decision is a failure with a reason, also an
 * answer built to exhaust the stack (thousands of nested objects).
 */
export function parseDecision(text: string): ParsedAnswer {
  try {
    return readDecision(text);
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, reason: `the answer nests too deeply to read ("${excerpt(text, 60)}")` };
    throw e;
  }
}

function readDecision(text: string): ParsedAnswer {
  if (!text.trim()) return { ok: false, reason: 'empty answer' };
  const objs = candidates(text);
  if (!objs.length) return { ok: false, reason: `no JSON object in the answer ("${excerpt(text, 120)}")` };
  const obj = withAction(objs);
  if (!obj) return { ok: false, reason: `JSON without an "action" field ("${excerpt(preview(objs[objs.length - 1], text), 120)}")` };
  const parsed = answerSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, reason: `invalid decision: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
  const a = parsed.data;
  const ignoredHints: string[] = [];
  const hint = (name: string, max: number, ...keys: string[]): number | undefined => {
    const v = coerceFraction(pick(obj, ...keys), max);
    if (typeof v === 'string') ignoredHints.push(`${name}: ${v}`);
    return typeof v === 'number' ? v : undefined;
  };
  const signal: ProviderSignal = {
    action: a.action,
    confidence: a.confidence,
    reasoning: a.reasoning.length > REASONING_MAX ? `${a.reasoning.slice(0, REASONING_MAX)}…` : a.reasoning,
  };
  const sl = hint('stop_loss_fraction', 0.5, 'stop_loss_fraction', 'stopLossFraction');
  const tp = hint('take_profit_fraction', 1, 'take_profit_fraction', 'takeProfitFraction');
  const size = hint('size_fraction', 0.1, 'size_fraction', 'sizeFraction');
  if (sl !== undefined) signal.stopLossFraction = sl;
  if (tp !== undefined) signal.takeProfitFraction = tp;
  if (size !== undefined) signal.sizeFraction = size;
  return { ok: true, signal, ignoredHints };
}
