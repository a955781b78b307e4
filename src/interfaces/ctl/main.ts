import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { packageVersion } from '../../application/vocabulary.js';
import { isFfeError } from '../../core/errors.js';
import { registerAudit } from './commands/audit.js';
import { registerBacktest } from './commands/backtest.js';
import { registerBot } from './commands/bot.js';
import { registerDecisions } from './commands/decisions.js';
import { registerLogin } from './commands/login.js';
import { registerProbes } from './commands/probes.js';
import { registerTrade } from './commands/trade.js';
import { Ctl } from './context.js';
import { CtlError } from './errors.js';
import type { CtlIo } from './io.js';
import { readAllStdin, terminalPrompt } from './prompt.js';

const seconds = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number of seconds greater than 0.');
  return Math.round(n * 1000);
};

export function buildProgram(ctl: Ctl): Command {
  const program = new Command('ffe-ctl')
    .description('Remote control of a running `ffe serve` over its REST API')
    .version(packageVersion())
    .option('--api-url <url>', 'the server (default: FFE_API_URL, the saved login’s, or http://127.0.0.1:8000)')
    .option('--api-key <key>', 'an API key (default: FFE_API_KEY, or the saved login’s tokens)')
    .option('--json', 'print the server’s answer as JSON')
    .option('--timeout <seconds>', 'how long to wait for each answer (default 30)', seconds);
  registerLogin(program, ctl);
  registerBot(program, ctl);
  registerTrade(program, ctl);
  registerDecisions(program, ctl);
  registerBacktest(program, ctl);
  registerAudit(program, ctl);
  registerProbes(program, ctl);
  oneLineErrors(program, 'ffe-ctl', ctl);
  return program;
}

/** Usage mistakes: one line naming the flag and where to read more (as `ffe` does). */
function oneLineErrors(cmd: Command, path: string, ctl: Ctl): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (t) => ctl.io.stdout(t),
    writeErr: (t) => ctl.io.stderr(t),
    outputError: (text, write) =>
      write(
        `ffe-ctl: ${ctl.secrets.scrub(
          text
            .replace(/^error: /, '')
            .replace(/\s+/g, ' ')
            .trim(),
        )} (see ${path} --help)\n`,
      ),
  });
  for (const c of cmd.commands) oneLineErrors(c, `${path} ${c.name()}`, ctl);
}

/** The process's own io: real env, streams, and prompts only when a person sits at a terminal. */
export const processIo = (): CtlIo => ({
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: readAllStdin,
  prompt: process.stdin.isTTY && process.stderr.isTTY ? terminalPrompt : null,
});

/** Runs one invocation and returns its exit code: 0, 2 for usage, the server error's code as `ffe` maps it, 1 otherwise. */
export async function main(argv: string[], io: CtlIo = processIo()): Promise<number> {
  const ctl = new Ctl(io);
  try {
    await buildProgram(ctl).parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    if (e instanceof CtlError) {
      if (e.message) io.stderr(`ffe-ctl: ${ctl.secrets.scrub(e.message)}\n`);
      return e.exitCode;
    }
    if (isFfeError(e)) {
      io.stderr(`ffe-ctl: ${ctl.secrets.scrub(e.message)}\n`);
      return e.exitCode;
    }
    io.stderr(`ffe-ctl: unexpected error: ${ctl.secrets.scrub((e as Error)?.message ?? String(e))}\n`);
    return 1;
  }
}
