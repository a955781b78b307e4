import { inputError } from '../core/errors.js';
import type { ParamSpec, Params, StrategyDefinition } from './port.js';
import { RISK_PARAMS, riskGrid, riskParam } from './risk-params.js';
import { rng } from './synthetic.js';
import type { BacktestSettings } from './types.js';

/** What a search varies: a strategy's own parameters (none for a provider), plus the risk ones of every source. */
export type SearchDef = Pick<StrategyDefinition, 'name' | 'params' | 'validate'>;

/** Candidate values per parameter: a list (`10,20,30`) or a range (`5:50:5`, `5:50` for random search). */
export interface ParamSpace {
  [name: string]: { values: number[] } | { min: number; max: number; step: number | null };
}

function specOf(def: SearchDef, name: string): ParamSpec {
  const s = def.params.find((p) => p.name === name) ?? riskParam(name);
  if (!s) {
    const own = def.params.length ? `${def.name}'s parameters: ${def.params.map((p) => p.name).join(', ')}` : `${def.name} has no parameters of its own`;
    throw inputError('PARAM_UNKNOWN', `no parameter "${name}" to search: ${own}; risk parameters: ${RISK_PARAMS.map((p) => p.name).join(', ')}`);
  }
  return s;
}

/**
 * `name=a,b,c` or `name=min:max[:step]`; strategy parameters not mentioned keep their default,
 * risk parameters not mentioned their configured value.
 */
export function parseSpace(def: SearchDef, flags: readonly string[]): ParamSpace {
  const space: ParamSpace = {};
  for (const f of flags) {
    const m = /^([A-Za-z_][\w-]*)=(.+)$/.exec(f.trim());
    if (!m) throw inputError('PARAM_INVALID', `bad --param "${f}": expected name=a,b,c or name=min:max[:step]`);
    const spec = specOf(def, m[1]);
    const bad = () => inputError('PARAM_INVALID', `bad --param "${f}": values must be numbers`);
    // Said at once: a value out of range would otherwise be dropped from the grid without a word
    // (a stop of 2 meant as 2 % is the likely slip).
    const outside = (...xs: number[]) => {
      const x = xs.find((v) => !(v >= spec.min && v <= spec.max));
      if (x !== undefined) throw inputError('PARAM_INVALID', `bad --param "${f}": ${m[1]} must lie in [${spec.min}, ${spec.max}], got ${x}`);
    };
    if (m[2].includes(':')) {
      const [min, max, step] = m[2].split(':').map(Number);
      if (![min, max].every(Number.isFinite) || min > max || (step !== undefined && !(step > 0))) throw bad();
      outside(min, max);
      space[m[1]] = { min, max, step: step ?? null };
    } else {
      const values = m[2].split(',').map(Number);
      if (!values.every(Number.isFinite)) throw bad();
      outside(...values);
      space[m[1]] = { values };
    }
  }
  return space;
}

/**
 * The default space: each of the strategy's parameters over its full declared range; for a
 * source without parameters of its own (a provider), the risk grid around `settings`.
 */
export function defaultSpace(def: SearchDef, settings: BacktestSettings): ParamSpace {
  if (!def.params.length) return riskGrid(settings);
  return Object.fromEntries(def.params.map((p) => [p.name, { min: p.min, max: p.max, step: p.integer ? Math.max(1, Math.round((p.max - p.min) / 10)) : (p.max - p.min) / 10 }]));
}

const valuesOf = (d: ParamSpace[string]): number[] => {
  if ('values' in d) return d.values;
  const step = d.step ?? (d.max - d.min) / 10;
  const out: number[] = [];
  for (let v = d.min; v <= d.max + 1e-9 * Math.abs(step); v += step) out.push(Number(v.toPrecision(12)));
  return out;
};

const inRange = (s: ParamSpec, v: number) => v >= s.min && v <= s.max && (!s.integer || Number.isInteger(v));

const isValid = (def: SearchDef, p: Params) => {
  for (const s of def.params) if (!inRange(s, p[s.name])) return false;
  for (const r of RISK_PARAMS) if (r.name in p && !inRange(r, p[r.name])) return false;
  return !def.validate?.(p);
};

const withDefaults = (def: SearchDef, p: Params): Params => ({ ...Object.fromEntries(def.params.map((s) => [s.name, s.default])), ...p });

/** The full cartesian grid, keeping only combinations the strategy accepts (e.g. fast < slow). */
export function gridSearch(def: SearchDef, space: ParamSpace, limit = 100_000): Params[] {
  let combos: Params[] = [{}];
  for (const [k, d] of Object.entries(space)) {
    combos = combos.flatMap((c) => valuesOf(d).map((v) => ({ ...c, [k]: v })));
    if (combos.length > limit) throw inputError('GRID_TOO_LARGE', `the grid has over ${limit} combinations; coarsen the steps or use --method random`);
  }
  return combos.map((c) => withDefaults(def, c)).filter((p) => isValid(def, p));
}

function draw(def: SearchDef, d: ParamSpace[string], name: string, u: () => number): number {
  if ('values' in d) return d.values[Math.floor(u() * d.values.length)];
  const v = d.min + u() * (d.max - d.min);
  return specOf(def, name).integer ? Math.round(v) : v;
}

/** `n` distinct valid random points of the space (seeded). */
export function randomSearch(def: SearchDef, space: ParamSpace, n: number, seed = 1): Params[] {
  const u = rng(seed);
  const seen = new Set<string>();
  const out: Params[] = [];
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const p = withDefaults(def, Object.fromEntries(Object.entries(space).map(([k, d]) => [k, draw(def, d, k, u)])));
    const key = JSON.stringify(p);
    if (!isValid(def, p) || seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * Refinement around the best points so far: each new point moves every parameter of one of the
 * `top` points by a Gaussian step of `scale` × its range (clamped, rounded for integers).
 */
export function refineAround(def: SearchDef, space: ParamSpace, top: Params[], n: number, scale: number, seed: number, seen: Set<string>): Params[] {
  const u = rng(seed);
  const out: Params[] = [];
  for (let tries = 0; out.length < n && tries < n * 50 && top.length; tries++) {
    const base = top[tries % top.length];
    const p: Params = { ...base };
    for (const [k, d] of Object.entries(space)) {
      if ('values' in d) {
        if (u() < 0.5) p[k] = d.values[Math.floor(u() * d.values.length)];
        continue;
      }
      const g = Math.sqrt(-2 * Math.log(u() || 1e-300)) * Math.cos(2 * Math.PI * u());
      let v = Math.min(d.max, Math.max(d.min, base[k] + g * scale * (d.max - d.min)));
      if (specOf(def, k).integer) v = Math.round(v);
      p[k] = v;
    }
    const key = JSON.stringify(p);
    if (!isValid(def, p) || seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
