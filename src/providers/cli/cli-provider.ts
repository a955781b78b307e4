import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ProviderCommon } from '../config.js';
import { FfeError } from '../../core/errors.js';
import { excerpt, ProviderCallError } from '../llm/call-error.js';
import { DEFAULT_MAX_REPLY_BYTES } from '../llm/http.js';
import { LlmProvider, type Completion, type LlmTransport } from '../llm/llm-provider.js';
import { promptText, type LlmPrompt } from '../llm/prompt.js';
import { CLI_PRESET_TABLE, type CliPresetName, type PromptVia } from './presets.js';

export const PROMPT_PLACEHOLDER = '{prompt}';
/** Time between SIGTERM and SIGKILL for a child that outlived its deadline. */
const KILL_GRACE_MS = 2000;

export interface CommandSpec {
  /** `cli` for presets, `command` for a generic executable. */
  kind: 'cli' | 'command';
  command: string;
  /** May contain `{prompt}` when promptVia is `arg`. */
  args: string[];
  promptVia: PromptVia;
  model: string | null;
  /** For error messages: which config entry to fix. */
  configName: string;
  /** Largest stdout read; more is INVALID_OUTPUT. */
  maxBytes: number;
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Where the executable is, or null: what `providers list` reports before anything is run. */
export function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates =
    isAbsolute(command) || command.includes('/')
      ? [command]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, command));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // Not here.
    }
  }
  return null;
}

function killTree(pid: number | undefined): void {
  if (!pid) return;
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      // The child leads its own process group (detached), so helpers it spawned die with it.
      process.kill(process.platform === 'win32' ? pid : -pid, sig);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS).unref();
}

/**
 * Runs an assistant CLI (or any executable) once per decision: the prompt goes to stdin or into
 * the arguments, the answer is read from stdout. A missing executable is NOT_INSTALLED, a non-zero
 * exit an ERROR with stderr, and at the deadline the whole process group is killed.
 */
export class CommandTransport implements LlmTransport {
  readonly kind: string;
  readonly model: string | null;
  readonly parameters: Record<string, unknown>;
  readonly secrets: readonly string[] = [];

  constructor(private readonly spec: CommandSpec) {
    this.kind = spec.kind;
    this.model = spec.model;
    this.parameters = { command: spec.command, args: spec.args, prompt_via: spec.promptVia };
  }

  private argv(prompt: string): string[] {
    const { args, promptVia } = this.spec;
    if (promptVia === 'stdin') return args;
    return args.includes(PROMPT_PLACEHOLDER) ? args.map((a) => (a === PROMPT_PLACEHOLDER ? prompt : a)) : [...args, prompt];
  }

  complete(prompt: LlmPrompt, signal: AbortSignal): Promise<Completion> {
    const text = promptText(prompt);
    const { command, configName } = this.spec;
    return new Promise<Completion>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const child = spawn(command, this.argv(text), { stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', env: { ...process.env, NO_COLOR: '1' } });
      const onAbort = () => {
        killTree(child.pid);
        settle(() => reject(signal.reason));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e: NodeJS.ErrnoException) => {
        const missing = e.code === 'ENOENT' || e.code === 'EACCES';
        const why = e.code === 'EACCES' ? 'is not executable' : 'was not found';
        settle(() =>
          reject(
            missing
              ? new ProviderCallError('NOT_INSTALLED', `executable "${command}" ${why} (install it, or set providers.${configName}.command to its path)`)
              : new ProviderCallError('ERROR', `cannot run "${command}": ${e.message}`),
          ),
        );
      });
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (stdout.length > this.spec.maxBytes) {
          killTree(child.pid);
          settle(() => reject(new ProviderCallError('INVALID_OUTPUT', `"${command}" wrote more than ${this.spec.maxBytes} bytes to stdout (providers.<name>.max_reply_bytes)`)));
        }
      });
      child.stderr.on('data', (d: string) => {
        if (stderr.length < 16_384) stderr += d;
      });
      child.on('close', (code, sig) => {
        if (code === 0) return settle(() => resolve({ text: stdout.replace(ANSI, '') }));
        const how = code === null ? `was killed by ${sig}` : `exited with code ${code}`;
        settle(() => reject(new ProviderCallError('ERROR', `"${command}" ${how}: ${excerpt(stderr.replace(ANSI, '')) || '(no stderr)'}`)));
      });
      // A child that exits without reading stdin closes the pipe: that is its exit status's business.
      child.stdin.on('error', () => {});
      child.stdin.end(this.spec.promptVia === 'stdin' ? text : undefined);
    });
  }

  async probe(): Promise<string> {
    const found = findExecutable(this.spec.command);
    if (!found) throw new ProviderCallError('NOT_INSTALLED', `executable "${this.spec.command}" not found on PATH`);
    return `executable ${found}`;
  }
}

/** A `cli` or `command` entry: the common fields plus those in ./index.ts. */
export type CommandEntry = Pick<ProviderCommon, 'kind' | 'model' | 'timeout_ms'> &
  Partial<Pick<ProviderCommon, 'max_reply_bytes'>> & { preset: CliPresetName | null; command: string | null; args: string[]; prompt_via: PromptVia | null };

/** The command line of a `cli` (preset) or `command` config entry. */
export function commandSpec(name: string, p: CommandEntry): CommandSpec {
  if (p.kind === 'command') {
    return { kind: 'command', command: p.command!, args: p.args, promptVia: p.prompt_via ?? 'stdin', model: p.model, configName: name, maxBytes: p.max_reply_bytes ?? DEFAULT_MAX_REPLY_BYTES };
  }
  const preset = CLI_PRESET_TABLE[p.preset!];
  const via = p.prompt_via ?? preset.promptVia;
  const promptArgs = preset.promptArgs[via];
  if (!promptArgs) {
    throw new FfeError('config', 'PROVIDER_PROMPT_VIA', `providers.${name}.prompt_via: preset ${p.preset} takes the prompt as ${Object.keys(preset.promptArgs).join(' or ')}, not ${via}`);
  }
  const args = [...preset.args, ...(p.model ? preset.modelArgs(p.model) : []), ...p.args, ...promptArgs];
  return { kind: 'cli', command: p.command ?? preset.command, args, promptVia: via, model: p.model, configName: name, maxBytes: p.max_reply_bytes ?? DEFAULT_MAX_REPLY_BYTES };
}

export const commandProvider = (name: string, p: CommandEntry): LlmProvider => new LlmProvider(name, new CommandTransport(commandSpec(name, p)), p.timeout_ms);
