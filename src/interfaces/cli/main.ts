import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerConfig } from './commands/config.js';
import { registerData } from './commands/data.js';
import { registerHistory } from './commands/history.js';
import { registerStatus } from './commands/status.js';
import { packageVersion } from '../../lib/package-root.js';
import { reportError } from './run.js';


export function buildProgram(): Command {
  const program = new Command('ffe')
    .description('Finance Feedback Engine: multi-timeframe analysis, decision providers, risk-gated execution and a feedback loop')
    .version(packageVersion())
    .option('-c, --config <file>', 'extra YAML config file, read after config/config.yaml and config/config.local.yaml')
    .option('-v, --verbose', 'print stack traces on errors')
    .showHelpAfterError()
    .exitOverride();
  // Each capability registers its commands with one line.
  registerAnalyze(program);
  registerHistory(program);
  registerStatus(program);
  registerData(program);
  registerConfig(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other commander error is bad usage.
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    return reportError(e, argv.includes('-v') || argv.includes('--verbose'));
  }
}
