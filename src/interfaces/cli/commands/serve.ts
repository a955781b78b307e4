import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { inputError } from '../../../core/errors.js';
import { print, scrub, withApi } from '../run.js';

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

function parsePort(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(/^\d+$/.test(v) && n >= 0 && n <= 65535)) throw inputError('FLAG_INVALID', `--port must be an integer from 0 to 65535, got "${v}"`);
  return n;
}

/** Resolves on the first SIGTERM/SIGINT; a second one while draining gives up at once (exit 1). */
function firstSignal(app: FastifyInstance): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const on = (sig: NodeJS.Signals) => {
      if (seen) {
        app.log.warn({ signal: sig }, 'second signal while draining: exiting now');
        process.exit(1);
      }
      seen = true;
      resolve(sig);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * `ffe serve`: the runtime as a long-lived service (API, OpenAPI docs, probes, WebSocket, the
 * agent under its supervisor). Transport only: the bind check, start-up and the agent's drain are
 * application calls (src/application/serve.ts).
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run FFE as a service: REST API with OpenAPI at /docs, probes, WebSocket events, the agent as last requested')
    .option('--host <address>', 'address to listen on (default server.host; a non-loopback address needs a user or API key first)')
    .option('--port <n>', 'port to listen on, 0 for any free port (default server.port)')
    .option('--log-level <level>', `request and service log level on stderr: ${LOG_LEVELS.join(', ')}`, 'info')
    .action(async (o: { host?: string; port?: string; logLevel: string }, cmd: Command) => {
      const port = parsePort(o.port);
      if (!(LOG_LEVELS as readonly string[]).includes(o.logLevel)) throw inputError('FLAG_INVALID', `--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${o.logLevel}"`);
      await withApi(cmd, async (api) => {
        const { checkBind, listenAddress, startService, stopService } = await import('../../../application/serve.js');
        const addr = listenAddress(api, { host: o.host, port });
        const { hasCredentials } = await checkBind(api, addr.host);
        // pino to stderr (stdout carries the one line a user or script reads); URLs are masked, secrets scrubbed.
        // Loaded here, not at start-up: Fastify and its plugins, the Telegram bot and their clients
        // cost every other command (most are short-lived processes) a second of CPU to import.
        const [{ buildServer }, { productionOptions }, { startNotifications }] = await Promise.all([import('../../http/server.js'), import('../../http/wiring.js'), import('../../notify/start.js')]);
        const app = buildServer(api, productionOptions(api, { logger: { level: o.logLevel, stream: { write: (line: string) => process.stderr.write(scrub(line)) } } }));
        const signal = firstSignal(app);
        await app.listen({ host: addr.host, port: addr.port });
        const bound = app.server.address();
        const url = urlOf(addr.host, typeof bound === 'object' && bound ? bound.port : addr.port);
        // A start-up that fails must not leave the listener holding the process open.
        const started = await startService(api, { log: (m) => app.log.info(m) }).catch(async (e: unknown) => {
          await app.close();
          throw e;
        });
        app.log.info(
          { jobs: started.jobs, agent: started.bot.state, requested: started.bot.requested_state, instance: started.cluster.instance, role: started.cluster.role, leader: started.cluster.leader },
          'service started',
        );
        // Telegram, webhooks and the daily summary: after the service (they act through it), stopped before it.
        const notifiers = await startNotifications(api, (m) => app.log.info(m)).catch(async (e: unknown) => {
          await stopService(api);
          await app.close();
          throw e;
        });
        // One write: a reader that acts on the URL line also has the hint (pipes may split two writes).
        const hint = hasCredentials ? '' : '\nno users or API keys yet: create the first admin with `ffe user create NAME --role admin`, and a key with `ffe apikey create --name N --role R`';
        print(`ffe serve: listening on ${url} (dashboard: ${url}/, API docs: ${url}/docs)${hint}`);

        const sig = await signal;
        const t0 = Date.now();
        app.log.info({ signal: sig }, 'draining: /ready answers 503, no new connections, waiting for requests in flight');
        app.ffe.drain();
        await app.close();
        await notifiers.stop();
        await stopService(api);
        app.log.info({ drain_ms: Date.now() - t0 }, 'drained; closing the runtime');
      });
    });
}
