/**
 * The HTTP plumbing the loopback fakes share: a server on 127.0.0.1 (port 0 unless told), each
 * request's body collected before the handler sees it, waiters re-checked after every request, and
 * a close that does not wait for kept-alive or hanging connections.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** Answers one request; `body` is everything the client sent, as sent (see `decoded`). */
export type LoopbackHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /**
   * Resolves with the first truthy value of `probe`, which is tried now and after every request the
   * server handles; rejects with `timeoutMessage()` after `timeoutMs`.
   */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs: number, timeoutMessage: () => string): Promise<T>;
  /** Destroys open connections and stops listening. */
  close(): Promise<void>;
}

/** A request body as its sender meant it: gunzipped when it came with `Content-Encoding: gzip` (throws on a bad stream). */
export const decoded = (req: IncomingMessage, body: Buffer): Buffer => (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);

export async function startLoopbackServer(handle: LoopbackHandler, opts: { port?: number } = {}): Promise<LoopbackServer> {
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks), res);
      for (const w of waiters) w();
    });
  });
  server.on('connection', (sock: Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    waitFor(probe, timeoutMs, timeoutMessage) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = probe();
          if (!hit) return;
          cleanup();
          resolve(hit);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(timeoutMessage()));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const sock of sockets) sock.destroy();
        server.close(() => resolve());
      }),
  };
}
