import { z } from 'zod';
import type { FieldMeta } from './meta.js';

/** A leaf of the config schema: a value a user can set (scalar or list). */
export interface ConfigLeaf {
  path: string[];
  kind: 'string' | 'number' | 'boolean' | 'enum' | 'array' | 'record' | 'other';
  nullable: boolean;
  defaultValue: unknown;
  enumValues?: readonly string[];
  meta: FieldMeta;
  /** Environment variables that set this leaf, highest priority first. */
  envNames: string[];
  /** For a record of objects (e.g. `providers`): the leaves of one entry, relative to it. */
  entryLeaves?: ConfigLeaf[];
  /** The unwrapped schema (no default/nullable), whose checks give ranges (`config docs --markdown`). */
  schema: z.ZodType;
}

type AnyDef = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; defaultValue?: unknown; entries?: Record<string, string>; in?: z.ZodType; valueType?: z.ZodType };
const defOf = (s: z.ZodType): AnyDef => (s as unknown as { _zod: { def: AnyDef } })._zod.def;

function unwrap(schema: z.ZodType): { core: z.ZodType; nullable: boolean; defaultValue: unknown; meta: FieldMeta } {
  let s = schema;
  let nullable = false;
  let defaultValue: unknown;
  let meta: FieldMeta = {};
  for (;;) {
    const m = z.globalRegistry.get(s) as FieldMeta | undefined;
    if (m) meta = { ...m, ...meta };
    const d = defOf(s);
    if (d.type === 'default' || d.type === 'prefault') {
      if (defaultValue === undefined) defaultValue = d.defaultValue;
      s = d.innerType!;
    } else if (d.type === 'nullable') {
      nullable = true;
      s = d.innerType!;
    } else if (d.type === 'optional') {
      s = d.innerType!;
    } else if (d.type === 'pipe') {
      s = d.in!;
    } else {
      return { core: s, nullable, defaultValue, meta };
    }
  }
}

export const envNameFor = (path: string[]): string => path.join('_').toUpperCase();

/** Every settable leaf of an object schema, depth first in declaration order. */
export function configLeaves(schema: z.ZodType, prefix: string[] = []): ConfigLeaf[] {
  const { core, nullable, defaultValue, meta } = unwrap(schema);
  const d = defOf(core);
  if (d.type === 'object') {
    return Object.entries(d.shape!).flatMap(([k, v]) => configLeaves(v, [...prefix, k]));
  }
  const kind: ConfigLeaf['kind'] = d.type === 'string' || d.type === 'number' || d.type === 'boolean' || d.type === 'enum' || d.type === 'array' || d.type === 'record' ? d.type : 'other';
  const envNames = [...(meta.env ? [meta.env] : []), envNameFor(prefix)];
  return [
    {
      path: prefix,
      kind,
      nullable,
      defaultValue,
      enumValues: d.type === 'enum' ? Object.values(d.entries!) : undefined,
      meta,
      envNames,
      entryLeaves: d.type === 'record' && defOf(unwrap(d.valueType!).core).type === 'object' ? configLeaves(d.valueType!) : undefined,
      schema: core,
    },
  ];
}

/** Converts a string (from the environment or YAML interpolation) into the leaf's type when it clearly is one. */
export function coerceForLeaf(leaf: ConfigLeaf, raw: string): unknown {
  const t = raw.trim();
  if (leaf.nullable && (t === 'null' || t === '')) return null;
  switch (leaf.kind) {
    case 'number':
      return t !== '' && Number.isFinite(Number(t)) ? Number(t) : raw;
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(t)) return true;
      if (/^(false|0|no|off)$/i.test(t)) return false;
      return raw;
    case 'array':
      if (t.startsWith('[')) {
        try {
          return JSON.parse(t);
        } catch {
          return raw;
        }
      }
      return t === '' ? [] : t.split(',').map((x) => x.trim());
    default:
      return raw;
  }
}
