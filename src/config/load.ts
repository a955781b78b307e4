import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { FfeError } from '../core/errors.js';
import { MASK, redact, redactDeep } from '../core/redact.js';
import { coerceForLeaf, configLeaves, type ConfigLeaf } from './introspect.js';
import { movedKeysIn } from './moved.js';
import { FieldCipher, isSealed } from '../store/field-cipher.js';
import { configSchema, type Config } from './schema.js';

export interface ConfigProblem {
  path: string;
  value: unknown;
  expected: string;
  source: string;
}

export interface LoadOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Extra YAML file (e.g. `--config`), read after config.yaml and config.local.yaml. */
  file?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Files and env variables that contributed, lowest precedence first. */
  sources: string[];
  /** Where each overridden key path came from (`config/config.yaml`, `env ALPHA_VANTAGE_API_KEY`...). */
  origins: Record<string, string>;
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

const INTERP = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g;

interface Interpolation {
  env: Record<string, string | undefined>;
  marks: Set<string>;
  problems: ConfigProblem[];
  source: string;
}

/**
 * Replaces `${VAR}` and `${VAR:-default}`. An unset variable without a default is a problem
 * naming the variable and the key: silently using '' turned a forgotten API key into an
 * empty one that failed much later (`${VAR:-}` still asks for an empty default explicitly).
 */
function interpolate(node: unknown, ctx: Interpolation, path: string[]): unknown {
  if (typeof node === 'string') {
    if (!node.includes('${')) return node;
    ctx.marks.add(path.join('.'));
    return node.replace(INTERP, (_m, name: string, def: string | undefined) => {
      const v = ctx.env[name] ?? def;
      if (v === undefined) {
        ctx.problems.push({ path: path.join('.'), value: node, expected: `environment variable ${name} to be set (or a default: \${${name}:-value})`, source: ctx.source });
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolate(v, ctx, [...path, String(i)]));
  if (isTree(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolate(v, ctx, [...path, k])]));
  return node;
}

function deepMerge(base: Tree, over: Tree, origin: string, origins: Record<string, string>, path: string[] = []): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const p = [...path, k];
    if (isTree(v)) out[k] = deepMerge(isTree(out[k]) ? (out[k] as Tree) : {}, v, origin, origins, p);
    else {
      out[k] = v;
      origins[p.join('.')] = origin;
    }
  }
  return out;
}

function setPath(tree: Tree, path: string[], value: unknown): void {
  let t = tree;
  for (const k of path.slice(0, -1)) {
    if (!isTree(t[k])) t[k] = {};
    t = t[k] as Tree;
  }
  t[path[path.length - 1]] = value;
}

function getPath(tree: unknown, path: (string | number)[]): unknown {
  let t: unknown = tree;
  for (const k of path) {
    if (t === null || typeof t !== 'object') return undefined;
    t = (t as Record<string | number, unknown>)[k];
  }
  return t;
}

function readYaml(file: string, problems: ConfigProblem[]): Tree | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ path: '(file)', value: file, expected: `a readable file (${(e as Error).message})`, source: file });
    return null;
  }
  try {
    const doc = parseYaml(text) as unknown;
    if (doc === null || doc === undefined) return {};
    if (!isTree(doc)) {
      problems.push({ path: '(root)', value: typeof doc, expected: 'a YAML mapping of sections', source: file });
      return null;
    }
    return doc;
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    problems.push({ path: '(yaml)', value: file, expected: `valid YAML${where}: ${(e as Error).message.split('\n')[0]}`, source: file });
    return null;
  }
}

const leafKey = (l: ConfigLeaf) => l.path.join('.');

export function describeProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const v = p.value === undefined ? '(missing)' : JSON.stringify(p.value);
    return `  - ${p.path}: got ${v}${p.source ? ` (from ${p.source})` : ''}; expected ${p.expected}`;
  });
  // One problem fits on one line (the CLI's rule for bad input); several are listed.
  if (lines.length === 1) return `invalid configuration: ${lines[0].replace(/^ {2}- /, '')}`;
  return `invalid configuration (${problems.length} problems):\n${lines.join('\n')}`;
}

/**
 * Loads the configuration. Precedence, highest first: environment variables,
 * `config/config.local.yaml`, `config/config.yaml`, schema defaults. Every problem is reported
 * at once, with its key path, value, source and what was expected (FfeError kind `config`).
 */
export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const problems: ConfigProblem[] = [];
  const origins: Record<string, string> = {};
  const sources: string[] = ['defaults'];
  const interpolated = new Set<string>();
  let tree: Tree = {};

  const files = [resolve(cwd, 'config/config.yaml'), resolve(cwd, 'config/config.local.yaml')];
  if (opts.file) files.push(resolve(cwd, opts.file));
  for (const f of files) {
    const explicit = f === files[2];
    if (!existsSync(f)) {
      if (explicit) problems.push({ path: '(file)', value: opts.file, expected: 'an existing config file', source: '--config' });
      continue;
    }
    const doc = readYaml(f, problems);
    if (!doc) continue;
    const rel = f.startsWith(cwd) ? f.slice(cwd.length + 1) : f;
    tree = deepMerge(tree, interpolate(doc, { env, marks: interpolated, problems, source: rel }, []) as Tree, rel, origins);
    sources.push(rel);
  }

  // An old home of a moved setting is refused before anything else: one line naming the new key.
  const moved = problems.length === 0 ? movedKeysIn(tree, env, origins) : [];
  if (moved.length) {
    const text = moved.map((m) => `${m.old} has moved to ${m.now}${m.source && !m.source.startsWith('env ') ? ` (in ${m.source})` : ''}`).join('; ');
    throw new FfeError('config', 'CONFIG_KEY_MOVED', `configuration key ${text}: rename it`, { moved });
  }

  const leaves = configLeaves(configSchema);
  for (const leaf of leaves) {
    const key = leafKey(leaf);
    if (interpolated.has(key)) {
      const v = getPath(tree, leaf.path);
      if (typeof v === 'string') setPath(tree, leaf.path, coerceForLeaf(leaf, v));
    }
    for (const name of [...leaf.envNames].reverse()) {
      // Reverse so that the explicit alias (first) wins over the path-derived name.
      const raw = env[name];
      if (raw === undefined) continue;
      setPath(tree, leaf.path, coerceForLeaf(leaf, raw));
      origins[key] = `env ${name}`;
      if (!sources.includes(`env ${name}`)) sources.push(`env ${name}`);
    }
  }

  // Secrets written sealed (`ffe keys seal PATH`) are opened with FFE_ENCRYPTION_KEY here, so a
  // config file or secret store holds venue keys and tokens encrypted at rest; a sealed value
  // with no key or the wrong key is an error naming the key, never used as plain text.
  if (problems.length === 0) openSealedSecrets(tree, env, leaves);

  if (problems.length === 0) {
    // jitless: the config is parsed once per process, and zod's compiled fast path costs ~30 ms
    // to generate and compile for this schema (a tenth of `ffe analyze`, issue 17) against ~4 ms
    // for the plain parse. Same result either way.
    const parsed = configSchema.safeParse(tree, { jitless: true });
    if (parsed.success) return { config: parsed.data, sources, origins };
    for (const issue of parsed.error.issues) problems.push(...problemsFromIssue(issue, tree, origins));
  }
  // A key that fails validation (or a URL that embeds one) must not be echoed in the report.
  const secrets = rawSecretValues(tree);
  const shown = secrets.length ? problems.map((p) => ({ ...p, value: redactDeep(p.value, secrets), expected: redact(p.expected, secrets) })) : problems;
  throw new FfeError('config', 'CONFIG_INVALID', describeProblems(shown), { problems: shown });
}

function problemsFromIssue(issue: z.core.$ZodIssue, tree: Tree, origins: Record<string, string>): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => {
      const path = [...issue.path.map(String), k];
      const key = path.join('.');
      return { path: key, value: getPath(tree, path), expected: 'no such key (check the spelling; `ffe config docs` lists every key)', source: originOf(key, origins) };
    });
  }
  const key = issue.path.map(String).join('.') || '(root)';
  return [{ path: key, value: getPath(tree, issue.path as (string | number)[]), expected: expectedText(issue), source: originOf(key, origins) }];
}

function originOf(key: string, origins: Record<string, string>): string {
  for (let k = key; k; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') if (origins[k]) return origins[k];
  return '';
}

function expectedText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `a value ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}`;
    case 'too_big':
      return `a value ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/**
 * A copy of the config with every secret replaced by `***` (or left empty when unset), and every
 * other value that embeds one (a key inside a `base_url` query string) masked too.
 */
export function redactConfig(config: Config): Config {
  const copy = structuredClone(config) as unknown as Tree;
  for (const path of secretPaths(config)) {
    const v = getPath(copy, path);
    if (typeof v === 'string' && v !== '') setPath(copy, path, MASK);
  }
  return redactDeep(copy, secretValues(config)) as unknown as Config;
}

/** Paths of every secret, including those inside records of named entries (`providers.<name>.api_key`). */
const secretPaths = (config: Config): string[][] => secretPathsIn(config as unknown as Tree);

/** Every secret value currently set, so loggers and error printers can scrub them. */
export function secretValues(config: Config): string[] {
  return secretPaths(config)
    .map((p) => getPath(config, p))
    .filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

/** Where a sealed config secret is bound (the cipher's additional data): a value sealed for one key cannot be moved to another. */
export const configPlace = (path: readonly string[]): string => `config.${path.join('.')}`;

/** Paths of every secret a tree holds (named entries included), present or not. */
function secretPathsIn(tree: Tree, leaves: readonly ConfigLeaf[] = configLeaves(configSchema)): string[][] {
  return leaves.flatMap((leaf) => {
    if (leaf.meta.secret) return [leaf.path];
    const inner = leaf.entryLeaves?.filter((l) => l.meta.secret) ?? [];
    const entries = getPath(tree, leaf.path);
    return inner.length && isTree(entries) ? Object.keys(entries).flatMap((k) => inner.map((l) => [...leaf.path, k, ...l.path])) : [];
  });
}

/** Is `path` (dotted, e.g. `venues.coinbase.api_secret` or `providers.gpt.api_key`) a secret setting? */
export function isSecretPath(path: string): boolean {
  const parts = path.split('.');
  return configLeaves(configSchema).some((leaf) => {
    if (leaf.meta.secret) return leaf.path.join('.') === path;
    const inner = leaf.entryLeaves?.filter((l) => l.meta.secret) ?? [];
    const n = leaf.path.length;
    return inner.some((l) => parts.length === n + 1 + l.path.length && parts.slice(0, n).join('.') === leaf.path.join('.') && parts.slice(n + 1).join('.') === l.path.join('.'));
  });
}

function openSealedSecrets(tree: Tree, env: Record<string, string | undefined>, leaves: readonly ConfigLeaf[]): void {
  let cipher: FieldCipher | null = null;
  for (const path of secretPathsIn(tree, leaves)) {
    const v = getPath(tree, path);
    if (typeof v !== 'string' || !isSealed(v)) continue;
    cipher ??= FieldCipher.fromEnv(env);
    setPath(tree, path, cipher.open(v, configPlace(path)));
  }
}

/** Secrets in a tree that failed validation, so the problem report does not print them either. */
function rawSecretValues(tree: Tree): string[] {
  return configLeaves(configSchema).flatMap((leaf) => {
    if (leaf.meta.secret) {
      const v = getPath(tree, leaf.path);
      return typeof v === 'string' ? [v] : [];
    }
    const inner = leaf.entryLeaves?.filter((l) => l.meta.secret) ?? [];
    const entries = getPath(tree, leaf.path);
    if (!inner.length || !isTree(entries)) return [];
    return Object.keys(entries).flatMap((k) => inner.map((l) => getPath(tree, [...leaf.path, k, ...l.path])).filter((v): v is string => typeof v === 'string'));
  });
}
