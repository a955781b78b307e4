import { existsSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { COMMAND_MODULES } from './command-index.js';
import { reportError } from './run.js';

/** Thrown by a placeholder command when it is invoked: main then loads the real one and parses again. */
class LoadCommand {
  constructor(readonly name: string) {}
}

/**
 * The program with every command module in `load` registered for real ('all': every one) and the
 * others as placeholders that `ffe --help` lists (name, term, description from command-index.ts).
 * A placeholder accepts any arguments and, when invoked (its command or its help was asked
 * for), throws LoadCommand. `version` is only printed by -V/--version; main reads it only then.
 */
export async function buildProgram(version = '', load: 'all' | string | null = 'all'): Promise<Command> {
  const terms = new Map<Command, string>();
  const program = new Command('ffe')
    .description('Finance Feedback Engine: multi-timeframe analysis, decision providers, risk-gated execution and a feedback loop')
    .version(version)
    .option('-c, --config <file>', 'extra YAML config file, read after config/config.yaml and config/config.local.yaml')
    .option('-v, --verbose', 'print stack traces on errors (and every event of a replay)')
    .option('--sandbox <name>', 'use the replay sandbox NAME (<data home>/sandboxes/NAME.db) instead of the account: run-agent --replay creates it, other commands read it')
    .configureHelp({ subcommandTerm: (c: Command): string => terms.get(c) ?? new Help().subcommandTerm(c) })
    .exitOverride();
  // Each capability registers its commands with one line in command-index.ts.
  for (const m of COMMAND_MODULES) {
    if (load === 'all' || m.commands.some(([name]) => name === load)) {
      (await m.load())(program);
      continue;
    }
    for (const [name, term, description] of m.commands) {
      const stub = program
        .command(name)
        .description(description)
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(() => {
          throw new LoadCommand(name);
        });
      // `ffe help NAME` prints the command's help directly, without parsing a help flag.
      stub.on('beforeHelp', () => {
        throw new LoadCommand(name);
      });
      terms.set(stub, term);
    }
  }
  oneLineErrors(program, 'ffe');
  return program;
}

/**
 * Usage mistakes print one line and where to read more, not the whole help text (which buried
 * the one line that mattered under 11–69 lines of usage). Applies to every (sub)command.
 */
function oneLineErrors(cmd: Command, path: string): void {
  cmd.exitOverride();
  cmd.configureOutput({
    outputError: (text, write) =>
      write(
        `ffe: ${text
          .replace(/^error: /, '')
          .replace(/\s+/g, ' ')
          .trim()} (see ${path} --help)\n`,
      ),
  });
  for (const c of cmd.commands) oneLineErrors(c, `${path} ${c.name()}`);
}

export async function main(argv: string[]): Promise<number> {
  // `ffe ... | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  if (existsSync('.env')) process.loadEnvFile('.env');
  const wantsVersion = argv.includes('-V') || argv.includes('--version');
  const version = wantsVersion ? (await import('../../application/vocabulary.js')).packageVersion() : '';
  try {
    // First with placeholders only: commander finds the command (past global options, `help X`),
    // then with that one command's module loaded.
    try {
      await (await buildProgram(version, null)).parseAsync(argv);
    } catch (e) {
      if (!(e instanceof LoadCommand)) throw e;
      await (await buildProgram(version, e.name)).parseAsync(argv);
    }
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other commander error is bad usage.
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    return reportError(e, argv.includes('-v') || argv.includes('--verbose'));
  }
}
