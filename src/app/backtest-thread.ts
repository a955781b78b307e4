import { serveJobs } from '../backtest/thread-host.js';
import { pureProviders } from './pure-providers.js';

/** worker_threads entry of the app's pools: strategy and pure-provider runs. */
serveJobs(pureProviders);
