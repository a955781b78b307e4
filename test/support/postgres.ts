import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dyingWithParent, freePort } from './redis.js';

export interface PostgresHandle {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Debian installs the server outside PATH, one directory per major version: the newest one. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  } catch {
    // Reported below with the install command.
  }
  if (versions.length === 0) throw new Error(`no PostgreSQL server under ${root}: apt-get install -y --no-install-recommends postgresql`);
  return join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, the server runs as Debian's `postgres` system user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function waitForPort(port: number, deadline: number, exited: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (exited() || Date.now() > deadline) reject(new Error(`postgres on ${port} did not start`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts Debian's PostgreSQL on 127.0.0.1 with a random free port, in a throw-away directory
 * (initdb with trust authentication, no fsync: test data need not survive a crash); `stop()`
 * ends it and removes the directory. `npm test` starts one for the whole run; a test that needs
 * to kill a server mid-run starts its own.
 */
export async function startPostgres(): Promise<PostgresHandle> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ffe-pg-'));
  const data = join(dir, 'data');
  const user = runAs();
  if (user) chownSync(dir, user.uid, user.gid);
  const opts = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C'], { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'];
  // SIGINT if the spawning process dies: the fast shutdown stop() asks for too.
  const child: ChildProcess = spawn(...dyingWithParent(join(bin, 'postgres'), args, 'INT'), { ...opts, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, Date.now() + 20_000, () => child.exitCode !== null);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      // SIGINT: fast shutdown (clients are disconnected, no waiting on them).
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connects to the admin URL; "the database system is starting up" (57P03: the port opens before the server accepts sessions) is retried. */
async function adminClient(url: string): Promise<import('pg').Client> {
  const { default: pg } = await import('pg');
  let client = new pg.Client({ connectionString: url });
  for (const deadline = Date.now() + 20_000; ;) {
    try {
      await client.connect();
      return client;
    } catch (e) {
      if ((e as { code?: string }).code !== '57P03' || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
      client = new pg.Client({ connectionString: url });
    }
  }
}

/**
 * A fresh database of its own on the server at `url` (the admin URL); returns its URL. Empty, or a
 * copy of `template` (a database no session is connected to).
 */
export async function freshDatabase(url: string, prefix = 'ffe_t', template?: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = await adminClient(url);
  try {
    for (const deadline = Date.now() + 10_000; ;) {
      try {
        await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
        break;
      } catch (e) {
        // "source database is being accessed by other users" (55006): the sessions of a store closed
        // just before may still be ending on the server.
        if ((e as { code?: string }).code !== '55006' || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Fresh databases that all start as the same prepared one: `prepare` runs once, on the first call,
 * in a database of its own (the template: e.g. a store opened, so migrated, and closed), and each
 * call returns a new copy of it (CREATE DATABASE ... TEMPLATE: the server copies the files instead of
 * the store running every migration again in each new database). `prepare` must leave no session
 * connected to it.
 */
export function databaseCopies(url: string, prepare: (url: string) => Promise<void>, prefix = 'ffe_t'): () => Promise<string> {
  let template: Promise<string> | null = null;
  const make = async () => {
    const t = await freshDatabase(url, `${prefix}_tpl`);
    await prepare(t);
    return new URL(t).pathname.slice(1);
  };
  return async () => freshDatabase(url, prefix, await (template ??= make()));
}
