import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * The command line that runs `command` so that it gets `signal` when the process that spawned it
 * dies, however it dies: util-linux's setpriv sets the parent-death signal (prctl PR_SET_PDEATHSIG)
 * and execs the command in place (same pid, so kill() and exit codes are the command's own). A
 * vitest run killed before its teardown (SIGKILL, a crash) left its redis-server running for good;
 * `stop()` stays the normal way. Without setpriv (not Linux): the command alone, as before.
 */
export function dyingWithParent(command: string, args: string[], signal: 'TERM' | 'INT', setpriv = SETPRIV): [string, string[]] {
  try {
    accessSync(setpriv, constants.X_OK);
  } catch {
    return [command, args];
  }
  return [setpriv, ['--pdeathsig', signal, '--', command, ...args]];
}

/** Resolves once the server answers PING with PONG. */
function waitForPong(port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => sock.write('PING\r\n'));
      sock.once('data', (d) => {
        sock.destroy();
        if (d.toString().startsWith('+PONG')) resolve();
        else retry();
      });
      sock.once('error', () => {
        sock.destroy();
        retry();
      });
    };
    const retry = () => (Date.now() > deadline ? reject(new Error(`redis-server on ${port} did not answer`)) : setTimeout(attempt, 50));
    attempt();
  });
}

/**
 * Starts Debian's redis-server on 127.0.0.1 with a random free port and a throw-away directory,
 * without persistence; `stop()` kills it and removes the directory. `npm test` starts one for the
 * whole run (test/support/services.ts); tests take a database of their own with `redisDatabase`.
 */
export async function startRedis(opts: { databases?: number } = {}): Promise<RedisHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ffe-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--databases', String(opts.databases ?? 16)];
  const child: ChildProcess = spawn(...dyingWithParent('redis-server', args, 'TERM'), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failed: Error | null = null;
  child.once('error', (e) => (failed = e));
  try {
    await waitForPong(port, Date.now() + 10_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw failed ?? e;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A database of its own on the shared server at `url` (`redis://host:port/N`), so the queues of
 * test files running side by side never meet. The server hands out the numbers (INCR), so no two
 * callers in any process get the same one; database 0 holds only the counter.
 */
export function redisDatabase(url: string, databases = 256): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname);
    let reply = '';
    sock.once('connect', () => sock.write('INCR ffe-test:next-db\r\n'));
    sock.on('data', (d) => {
      reply += d.toString();
      if (!reply.endsWith('\r\n')) return;
      sock.destroy();
      const n = /^:(\d+)\r\n$/.exec(reply);
      if (!n) return reject(new Error(`redis at ${url} answered INCR with ${JSON.stringify(reply)}`));
      resolve(`redis://${hostname}:${port}/${1 + ((Number(n[1]) - 1) % (databases - 1))}`);
    });
    sock.once('error', (e) => {
      sock.destroy();
      reject(e);
    });
  });
}
