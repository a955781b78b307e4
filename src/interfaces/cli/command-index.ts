import type { Command } from 'commander';

type Register = (program: Command) => void;

/** One command module: how to load its register function, and the top-level commands it adds (name, help term, description). */
export interface CommandModule {
  load(): Promise<Register>;
  commands: readonly (readonly [name: string, term: string, description: string])[];
}

/**
 * Every command module in help order, with what `ffe --help` lists for it. main.ts loads a module
 * only when its command runs (or its own --help is asked), so the top-level help and a command's
 * start-up do not import every command and what they import. The names, terms and descriptions
 * are the modules' own, copied: command-index.test.ts fails when they differ from what the
 * modules register.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { load: async () => (await import('./commands/analyze.js')).registerAnalyze, commands: [['analyze', 'analyze [options] <pair>', 'analyse a pair on six timeframes and print a decision (stored in the database)']] },
  { load: async () => (await import('./commands/history.js')).registerHistory, commands: [['history', 'history [options]', 'list stored decisions, newest first']] },
  { load: async () => (await import('./commands/status.js')).registerStatus, commands: [['status', 'status [options]', 'engine status: configuration sources, store, data source, providers']] },
  { load: async () => (await import('./commands/db.js')).registerDb, commands: [['db', 'db', 'the store: engine, migrations, copying between SQLite and PostgreSQL']] },
  { load: async () => (await import('./commands/data.js')).registerData, commands: [['data', 'data', 'market data: import your own candles, list what is available']] },
  { load: async () => (await import('./commands/config.js')).registerConfig, commands: [['config', 'config', 'show, validate and document the configuration']] },
  { load: async () => (await import('./commands/providers.js')).registerProviders, commands: [['providers', 'providers', 'list the configured decision providers and test them with a real round trip']] },
  {
    load: async () => (await import('./commands/backtest.js')).registerBacktest,
    commands: [['backtest', 'backtest [options] <pairs>', 'backtest a provider or a reference strategy on historical bars through the live pipeline']],
  },
  {
    load: async () => (await import('./commands/walk-forward.js')).registerWalkForward,
    commands: [['walk-forward', 'walk-forward [options] <pairs>', 'optimise on rolling (or anchored) training windows, evaluate out of sample, grade overfitting']],
  },
  {
    load: async () => (await import('./commands/monte-carlo.js')).registerMonteCarlo,
    commands: [['monte-carlo', 'monte-carlo [options] <pairs>', 'Monte Carlo: price-path perturbation (--strategy or --provider rules) and bootstrap of the trade sequence (any source)']],
  },
  {
    load: async () => (await import('./commands/optimize.js')).registerOptimize,
    commands: [['optimize', 'optimize [options] <pairs>', 'search strategy and risk parameters (--param name=a,b,c or name=min:max[:step]) for the best objective']],
  },
  {
    load: async () => (await import('./commands/worker.js')).registerWorker,
    commands: [['worker', 'worker [options]', 'consume backtest jobs (walk-forward, Monte Carlo, optimisation) from Redis and store their results; with jobs.redis_url, API backtest jobs too']],
  },
  {
    load: async () => (await import('./commands/execute.js')).registerExecute,
    commands: [['execute', 'execute [options] <decision_id>', 'send the order of a stored decision through the risk gate to the venue (paper unless trading.mode is live AND --live)']],
  },
  { load: async () => (await import('./commands/balance.js')).registerBalance, commands: [['balance', 'balance [options]', 'account equity and balances (paper unless trading.mode is live AND --live)']] },
  { load: async () => (await import('./commands/positions.js')).registerPositions, commands: [['positions', 'positions [options]', 'open positions (paper unless trading.mode is live AND --live)']] },
  {
    load: async () => (await import('./commands/close.js')).registerClose,
    commands: [['close', 'close [options] <position_id>', 'close an open position with a market order, through the risk gate (only market-hours and stale-data checks apply to exits)']],
  },
  {
    load: async () => (await import('./commands/dashboard.js')).registerDashboard,
    commands: [['dashboard', 'dashboard [options]', 'portfolio overview: total value across venues, holdings (shorts as negative units and value), net and gross exposure, allocation per venue and asset']],
  },
  {
    load: async () => (await import('./commands/reconcile.js')).registerReconcile,
    commands: [['reconcile', 'reconcile [options]', "settle unfinished orders by client order id and compare the journal's positions with the venue's"]],
  },
  {
    load: async () => (await import('./commands/run-agent.js')).registerRunAgent,
    commands: [['run-agent', 'run-agent [options]', 'run the autonomous trading agent (OODA loop: learn, perceive, reason, risk-check, execute) live or over replayed history']],
  },
  {
    load: async () => (await import('./commands/approvals.js')).registerApprovals,
    commands: [
      ['approvals', 'approvals', 'the agent’s manual approval queue'],
      ['approve', 'approve [options] <id>', 'approve a pending decision and execute it now through the risk gate and order path'],
      ['reject', 'reject [options] <id>', 'reject a pending decision; it will never be executed'],
    ],
  },
  { load: async () => (await import('./commands/monitor.js')).registerMonitor, commands: [['monitor', 'monitor', 'the trade monitor: tracked positions and closed-trade metrics']] },
  { load: async () => (await import('./commands/memory.js')).registerMemory, commands: [['memory', 'memory', 'portfolio memory: outcomes, statistics and the adaptive ensemble weights']] },
  { load: async () => (await import('./commands/agent.js')).registerAgent, commands: [['agent', 'agent', 'the trading agent: stored run state, kill switch']] },
  { load: async () => (await import('./commands/user.js')).registerUser, commands: [['user', 'user', 'users of `ffe serve` (log in with a password, and a TOTP code once MFA is enrolled)']] },
  { load: async () => (await import('./commands/apikey.js')).registerApiKey, commands: [['apikey', 'apikey', 'API keys of `ffe serve` (send as `Authorization: Bearer <key>`)']] },
  { load: async () => (await import('./commands/audit.js')).registerAudit, commands: [['audit', 'audit', 'the audit log: who did what, when, with what result (append-only, hash-chained)']] },
  { load: async () => (await import('./commands/keys.js')).registerKeys, commands: [['keys', 'keys', 'the encryption key of personal fields and stored credentials at rest (FFE_ENCRYPTION_KEY)']] },
  {
    load: async () => (await import('./commands/serve.js')).registerServe,
    commands: [['serve', 'serve [options]', 'run FFE as a service: REST API with OpenAPI at /docs, probes, WebSocket events, the agent as last requested']],
  },
  { load: async () => (await import('./commands/backup.js')).registerBackup, commands: [['backup', 'backup', 'back up, verify and restore the store and config (docs/backup.md)']] },
  { load: async () => (await import('./commands/watchlist.js')).registerWatchlist, commands: [['watchlist', 'watchlist', 'per-user watchlists of pairs (crypto, forex, stocks) the daily recommendation run analyses']] },
  {
    load: async () => (await import('./commands/recommendations.js')).registerRecommendations,
    commands: [
      ['recommendations', 'recommendations', 'daily recommendations for the pairs on your watchlists (not investment advice: see docs/recommendations.md)'],
      ['consent', 'consent', 'your consents (telegram_recommendations, feedback_learning); every change is kept'],
    ],
  },
  {
    load: async () => (await import('./commands/fundamentals.js')).registerFundamentals,
    commands: [['fundamentals', 'fundamentals', 'stock fundamentals (earnings, income statements, overview) from Alpha Vantage, stored point in time (docs/fundamentals.md)']],
  },
  {
    load: async () => (await import('./commands/ml.js')).registerMl,
    commands: [['ml', 'ml', 'the ml decision provider: train its model walk-forward, evaluate it out of sample against the rules, describe it']],
  },
];
