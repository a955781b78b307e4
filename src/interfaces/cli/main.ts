import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerConfig } from './commands/config.js';
import { registerData } from './commands/data.js';
import { registerHistory } from './commands/history.js';
import { registerStatus } from './commands/status.js';
import { registerDb } from './commands/db.js';
import { registerProviders } from './commands/providers.js';
import { registerBacktest } from './commands/backtest.js';
import { registerWalkForward } from './commands/walk-forward.js';
import { registerMonteCarlo } from './commands/monte-carlo.js';
import { registerOptimize } from './commands/optimize.js';
import { registerWorker } from './commands/worker.js';
import { registerExecute } from './commands/execute.js';
import { registerBalance } from './commands/balance.js';
import { registerPositions } from './commands/positions.js';
import { registerClose } from './commands/close.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerRunAgent } from './commands/run-agent.js';
import { registerApprovals } from './commands/approvals.js';
import { registerMonitor } from './commands/monitor.js';
import { registerMemory } from './commands/memory.js';
import { registerAgent } from './commands/agent.js';
import { registerUser } from './commands/user.js';
import { registerApiKey } from './commands/apikey.js';
import { registerAudit } from './commands/audit.js';
import { registerKeys } from './commands/keys.js';
import { registerServe } from './commands/serve.js';
import { registerBackup } from './commands/backup.js';
import { registerWatchlist } from './commands/watchlist.js';
import { registerRecommendations } from './commands/recommendations.js';
import { registerFundamentals } from './commands/fundamentals.js';
import { registerMl } from './commands/ml.js';
import { reportError } from './run.js';

/**
 * `version` is only printed by -V/--version; main reads it then and only then, because the
 * application vocabulary it comes from is not needed by anything else on the `--help` path.
 */
export function buildProgram(version = ''): Command {
  const program = new Command('ffe')
    .description('Finance Feedback Engine: multi-timeframe analysis, decision providers, risk-gated execution and a feedback loop')
    .version(version)
    .option('-c, --config <file>', 'extra YAML config file, read after config/config.yaml and config/config.local.yaml')
    .option('-v, --verbose', 'print stack traces on errors (and every event of a replay)')
    .option('--sandbox <name>', 'use the replay sandbox NAME (<data home>/sandboxes/NAME.db) instead of the account: run-agent --replay creates it, other commands read it')
    .exitOverride();
  // Each capability registers its commands with one line.
  registerAnalyze(program);
  registerHistory(program);
  registerStatus(program);
  registerDb(program);
  registerData(program);
  registerConfig(program);
  registerProviders(program);
  registerBacktest(program);
  registerWalkForward(program);
  registerMonteCarlo(program);
  registerOptimize(program);
  registerWorker(program);
  registerExecute(program);
  registerBalance(program);
  registerPositions(program);
  registerClose(program);
  registerDashboard(program);
  registerReconcile(program);
  registerRunAgent(program);
  registerApprovals(program);
  registerMonitor(program);
  registerMemory(program);
  registerAgent(program);
  registerUser(program);
  registerApiKey(program);
  registerAudit(program);
  registerKeys(program);
  registerServe(program);
  registerBackup(program);
  registerWatchlist(program);
  registerRecommendations(program);
  registerFundamentals(program);
  registerMl(program);
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
  const program = buildProgram(wantsVersion ? (await import('../../application/vocabulary.js')).packageVersion() : '');
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
