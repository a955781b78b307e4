import { serveJobs } from './thread-host.js';

/** worker_threads entry for strategy runs (provider runs use the app's entry, which can make providers). */
serveJobs();
