/**
 * Defaults that `--help` texts quote, copied from the config schema so that printing help does
 * not load zod and the whole schema (most of `ffe --help`'s start-up before). The schema stays
 * the one source: help-defaults.test.ts fails when a value here differs from the schema's.
 */
export const HELP_DEFAULTS = {
  'decision_engine.ai_provider': 'rules',
} as const;
