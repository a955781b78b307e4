import type { z } from 'zod';
import { configLeaves, type ConfigLeaf } from './introspect.js';
import { MOVED_KEYS } from './moved.js';
import { configSchema } from './schema.js';

type Def = { type: string; checks?: { _zod: { def: CheckDef } }[]; element?: z.ZodType; valueType?: z.ZodType; entries?: Record<string, string> };
type CheckDef = { check: string; format?: string; value?: number | bigint; inclusive?: boolean; minimum?: number; maximum?: number; length?: number; pattern?: RegExp };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (s: z.ZodType): CheckDef[] => (defOf(s).checks ?? []).map((c) => c._zod.def);

/** `value` as inline code, with a fence longer than any backtick run inside it. */
function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${value} ${fence}` : `${fence}${value}${fence}`;
}

/**
 * Table cells cannot hold a pipe or a line break; outside code spans a `<name>` would render as an
 * HTML tag and vanish, so `<` is escaped there.
 */
const cell = (text: string): string =>
  text
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;')))
    .join('')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');

/** The bounds a schema's checks put on a number, a string's length or a list's size, in words. */
function bounds(s: z.ZodType, unit: string): string[] {
  const out: string[] = [];
  let lo: string | undefined;
  let hi: string | undefined;
  for (const c of checksOf(s)) {
    if (c.check === 'greater_than') lo = `${c.inclusive ? '≥' : '>'} ${String(c.value)}`;
    else if (c.check === 'less_than') hi = `${c.inclusive ? '≤' : '<'} ${String(c.value)}`;
    else if (c.check === 'min_length') lo = c.minimum === 1 && unit === ' chars' ? 'non-empty' : `≥ ${c.minimum}${unit}`;
    else if (c.check === 'max_length') hi = `≤ ${c.maximum}${unit}`;
    else if (c.check === 'length_equals') out.push(`exactly ${c.length}${unit}`);
    else if (c.check === 'string_format' && c.pattern) out.push(`matching ${code(String(c.pattern))}`);
  }
  if (lo?.startsWith('≥') && hi?.startsWith('≤')) out.unshift(`${lo.slice(2)} to ${hi.slice(2)}`);
  else out.unshift(...[lo, hi].filter((x): x is string => x !== undefined));
  return out;
}

/** A schema's type with its allowed values or range, e.g. `integer, 0 to 65535`. */
function typeText(s: z.ZodType): string {
  const d = defOf(s);
  switch (d.type) {
    case 'number': {
      const int = checksOf(s).some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
      return [int ? 'integer' : 'number', ...bounds(s, '')].join(', ');
    }
    case 'string':
      return ['string', ...bounds(s, ' chars')].join(', ');
    case 'boolean':
      return 'boolean';
    case 'enum':
      return `one of ${Object.values(d.entries!)
        .map((v) => code(v))
        .join(', ')}`;
    case 'array':
      return [`list of ${typeText(unwrapped(d.element!))}`, ...bounds(s, ' items')].join(', ');
    case 'record':
      return `map of name → ${defOf(unwrapped(d.valueType!)).type === 'object' ? 'entry (fields below)' : typeText(unwrapped(d.valueType!))}`;
    default:
      return d.type;
  }
}

/** Strips defaults, nullables and optionals (a list's element or a map's value may carry them). */
function unwrapped(s: z.ZodType): z.ZodType {
  let x = s;
  for (let d = defOf(x); ['default', 'prefault', 'nullable', 'optional'].includes(d.type); d = defOf(x)) x = (d as unknown as { innerType: z.ZodType }).innerType;
  return x;
}

function defaultText(leaf: ConfigLeaf): string {
  if (leaf.defaultValue === undefined) return leaf.nullable ? '`null`' : '(required)';
  if (leaf.meta.secret) return leaf.defaultValue === '' || leaf.defaultValue === null ? '(unset)' : '(set)';
  return code(JSON.stringify(leaf.defaultValue));
}

function row(leaf: ConfigLeaf, key: string, env: boolean): string {
  const type = `${typeText(leaf.schema)}${leaf.nullable ? ', or `null`' : ''}${leaf.meta.secret ? ' (**secret**)' : ''}`;
  const envText = env && leaf.kind !== 'record' && leaf.kind !== 'other' ? leaf.envNames.map(code).join(', ') : '—';
  return `| ${[code(key), type, defaultText(leaf), envText, leaf.meta.description ?? ''].map(cell).join(' | ')} |`;
}

const HEADER = ['| Key | Type and allowed values | Default | Environment | Description |', '| --- | --- | --- | --- | --- |'];

/**
 * The configuration reference (docs/configuration.md) in Markdown, generated from the schema so
 * it cannot drift from what the loader accepts: one table per top-level section, every key with
 * its type and range, default, environment variables, whether it is a secret, and its description.
 * `ffe config docs --markdown > docs/configuration.md` regenerates the file.
 */
export function referenceMarkdown(): string {
  const leaves = configLeaves(configSchema);
  const sections = [...new Set(leaves.map((l) => l.path[0]))];
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from the config schema by `ffe config docs --markdown > docs/configuration.md`; do not edit by hand (a test fails when it differs). -->',
    '',
    'Every key the loader accepts, generated from the schema (`src/config/schema.ts`, `src/config/sections/*.ts`). The same content in other forms: `ffe config docs` (text or `--json`) and `config/config.example.yaml` (`ffe config docs --yaml`).',
    '',
    '- **Sources**, highest precedence first: environment variables, the file given with `--config <file>`, `config/config.local.yaml`, `config/config.yaml` (both relative to the working directory), then the defaults below. `ffe config show` prints the effective configuration (secrets redacted) and where each overridden key came from; `ffe config validate` lists every problem at once (exit 2).',
    '- **Environment variables**: each key has one derived from its path (`server.rate_limit.max` → `SERVER_RATE_LIMIT_MAX`); some also have a conventional alias, listed first, which wins. Booleans accept `true/false/1/0/yes/no/on/off`; lists accept `a,b,c` or a JSON array; `null` or an empty value sets a nullable key to `null`.',
    '- **Interpolation**: any YAML string may use `${VAR}` or `${VAR:-default}`; an unset variable without a default is a configuration error naming the key. Use it for secrets inside named entries (`providers.<name>.api_key: ${OPENAI_API_KEY}`), which have no environment variable of their own.',
    '- **Secrets** (marked below) are redacted by `ffe config show` and scrubbed from logs, errors and command output; set them through the environment or a file outside version control, never in a committed `config.yaml`.',
    '- **Ratios** are fractions: `0.02` is 2 %. Unknown keys are refused with their path; a key that moved is refused with its new name (see [Moved keys](#moved-keys)).',
    '',
    `Sections: ${sections.map((s) => `[\`${s}\`](#${s})`).join(', ')}.`,
  ];
  for (const section of sections) {
    out.push('', `## ${section}`, '', ...HEADER);
    const own = leaves.filter((l) => l.path[0] === section);
    for (const leaf of own) out.push(row(leaf, leaf.path.join('.'), true));
    for (const leaf of own.filter((l) => l.entryLeaves?.length)) {
      const base = `${leaf.path.join('.')}.<name>`;
      out.push('', `Fields of each ${code(base)} entry (no environment variable of their own: use \`\${VAR}\` interpolation):`, '', ...HEADER);
      for (const inner of leaf.entryLeaves!) out.push(row(inner, `${base}.${inner.path.join('.')}`, false));
    }
  }
  out.push('', '## Moved keys', '', 'These keys are refused (error `CONFIG_KEY_MOVED`, exit 2) with their new name, in a file or as an environment variable:', '', '| Old key | Now |', '| --- | --- |');
  for (const [old, now] of Object.entries(MOVED_KEYS)) out.push(`| ${code(old)} | ${code(now)} |`);
  return `${out.join('\n')}\n`;
}
