import { z } from 'zod';
import { field } from '../../config/meta.js';
import { defineProvider } from '../adapter.js';
import { commandProvider } from './cli-provider.js';
import { CLI_PRESETS } from './presets.js';

// Both kinds read the same fields (the same schema objects, so the merged entry schema has each once).
const commandFields = z.object({
  preset: field(z.enum(CLI_PRESETS).nullable().default(null), { description: 'assistant CLI preset (kind cli): codex, copilot, qwen or gemini' }),
  command: field(z.string().min(1).nullable().default(null), { description: 'executable (required for kind command; overrides the preset executable for kind cli)' }),
  args: field(z.array(z.string()).default([]), { description: 'arguments (kind command), or extra arguments appended to the preset; `{prompt}` is replaced by the prompt when prompt_via is arg' }),
  prompt_via: field(z.enum(['stdin', 'arg']).nullable().default(null), { description: 'how the prompt reaches the executable (null: the preset choice; stdin for command)' }),
});

export const cli = defineProvider({
  kind: 'cli',
  summary: 'an assistant CLI preset (codex, copilot, qwen, gemini)',
  configSchema: commandFields,
  defaultBaseUrl: null,
  locality: 'remote',
  check: (p, need) => need(p.preset !== null, 'preset', `one of ${CLI_PRESETS.join(', ')} (required for kind cli)`),
  create: commandProvider,
});

export const command = defineProvider({
  kind: 'command',
  summary: 'any executable reading the prompt and printing the decision',
  configSchema: commandFields,
  defaultBaseUrl: null,
  locality: 'remote',
  check: (p, need) => need(p.command !== null, 'command', 'an executable (required for kind command)'),
  create: commandProvider,
});
