export const CLI_PRESETS = ['codex', 'copilot', 'qwen', 'gemini'] as const;
export type CliPresetName = (typeof CLI_PRESETS)[number];
export type PromptVia = 'stdin' | 'arg';

export interface CliPreset {
  command: string;
  /** Arguments before the model flag and the prompt. */
  args: string[];
  modelArgs: (model: string) => string[];
  /** The default way the prompt is passed. */
  promptVia: PromptVia;
  /** Prompt arguments per way; `{prompt}` stands for the prompt text. Missing: the way is not supported. */
  promptArgs: Partial<Record<PromptVia, string[]>>;
}

/**
 * Non-interactive invocations, from each tool's documentation:
 * - codex: `codex exec [-m MODEL] --skip-git-repo-check -` reads the prompt from stdin (`-`) and
 *   prints only the final message on stdout (progress goes to stderr). Stdin keeps long prompts
 *   out of the process list. `--skip-git-repo-check` because FFE's working directory need not
 *   be a git repository.
 * - gemini: `gemini [-m MODEL] -p PROMPT` runs headless and prints the answer; with piped stdin
 *   and no `-p` it is headless too (non-TTY), so `prompt_via: stdin` also works.
 * - qwen (Qwen Code, a Gemini CLI fork): the same `-p PROMPT` / stdin behaviour.
 * - copilot: `copilot -p PROMPT -s [--model MODEL]`: `-p` runs one prompt and exits, `-s` prints
 *   only the agent's answer. No documented stdin prompt, so arg only.
 * All four print plain text; the decision JSON is parsed out of it like any LLM answer.
 */
export const CLI_PRESET_TABLE: Record<CliPresetName, CliPreset> = {
  codex: { command: 'codex', args: ['exec', '--skip-git-repo-check'], modelArgs: (m) => ['-m', m], promptVia: 'stdin', promptArgs: { stdin: ['-'], arg: ['{prompt}'] } },
  gemini: { command: 'gemini', args: [], modelArgs: (m) => ['-m', m], promptVia: 'arg', promptArgs: { stdin: [], arg: ['-p', '{prompt}'] } },
  qwen: { command: 'qwen', args: [], modelArgs: (m) => ['-m', m], promptVia: 'arg', promptArgs: { stdin: [], arg: ['-p', '{prompt}'] } },
  copilot: { command: 'copilot', args: ['-s'], modelArgs: (m) => ['--model', m], promptVia: 'arg', promptArgs: { arg: ['-p', '{prompt}'] } },
};
