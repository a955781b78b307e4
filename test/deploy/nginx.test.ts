import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { freePort } from '../support/redis.js';
import { DEPLOY, run } from './support.js';

const SHIPPED = join(DEPLOY, 'nginx/ffe.conf');

/**
 * The shipped config in a temporary prefix: a self-signed certificate instead of Let's Encrypt's,
 * loopback ports instead of 80/443, the test's backend instead of :8000. Everything else as shipped.
 */
function stage(ports: { http: number; https: number; backend: number }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-nginx-'));
  chmodSync(dir, 0o755);
  const cert = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=ffe.example.com', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  expect(cert.code, cert.stderr).toBe(0);
  const shipped = readFileSync(SHIPPED, 'utf8');
  const swaps: [string, string][] = [
    ['/etc/letsencrypt/live/ffe.example.com/fullchain.pem', join(dir, 'cert.pem')],
    ['/etc/letsencrypt/live/ffe.example.com/privkey.pem', join(dir, 'key.pem')],
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['listen [::]:80;', ''],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`],
    ['listen [::]:443 ssl http2;', ''],
    ['server 127.0.0.1:8000;', `server 127.0.0.1:${ports.backend};`],
  ];
  let conf = shipped;
  for (const [from, to] of swaps) {
    expect(conf, from).toContain(from);
    conf = conf.replace(from, to);
  }
  writeFileSync(join(dir, 'ffe.conf'), conf);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join(' ');
  writeFileSync(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log ${dir}/access.log;\n  ${temp}\n  include ${dir}/ffe.conf;\n}\n`);
  return dir;
}

function get(port: number, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, servername: 'ffe.example.com', headers: { host: 'ffe.example.com' }, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('deploy/nginx/ffe.conf', () => {
  it('nginx -t accepts it (temporary prefix, self-signed certificate)', async () => {
    const dir = stage({ http: await freePort(), https: await freePort(), backend: 8000 });
    const r = run('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('test is successful');
  });

  describe('in front of a real backend', () => {
    let backend: Server;
    let nginx: ChildProcess;
    let ports: { http: number; https: number; backend: number };
    let seenHeaders: Record<string, string | string[] | undefined> = {};

    beforeAll(async () => {
      backend = createServer((req, res) => {
        seenHeaders = req.headers;
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`backend ${req.url}`);
      });
      const wss = new WebSocketServer({ server: backend, path: '/ws' });
      wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo ${String(m)}`)));
      await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
      ports = { http: await freePort(), https: await freePort(), backend: (backend.address() as { port: number }).port };
      const dir = stage(ports);
      nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: 'ignore' });
      for (let i = 0; i < 100; i++) {
        if (
          await get(ports.https, '/live').then(
            () => true,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`nginx did not answer: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    }, 30_000);
    afterAll(async () => {
      nginx?.kill('SIGTERM');
      await new Promise<void>((r) => backend.close(() => r()));
    });

    it('terminates TLS, proxies with the forwarding headers and adds the security headers', async () => {
      const r = await get(ports.https, '/live');
      expect([r.status, r.body]).toEqual([200, 'backend /live']);
      expect(r.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers.server).toBe('nginx');
      expect(seenHeaders['x-forwarded-proto']).toBe('https');
      expect(seenHeaders['x-forwarded-for']).toBe('127.0.0.1');
      expect(seenHeaders.host).toBe('ffe.example.com');
    });

    it('keeps /metrics off the public side', async () => {
      expect((await get(ports.https, '/metrics')).status).toBe(404);
    });

    it('redirects plain HTTP to HTTPS', async () => {
      // node:http, not fetch: fetch will not send another Host header.
      const res = await new Promise<{ status?: number; location?: string }>((resolve, reject) =>
        httpRequest({ host: '127.0.0.1', port: ports.http, path: '/api/v1/status', headers: { host: 'ffe.example.com' } }, (r) => {
          r.resume();
          resolve({ status: r.statusCode, location: r.headers.location });
        })
          .on('error', reject)
          .end(),
      );
      expect(res).toEqual({ status: 301, location: 'https://ffe.example.com/api/v1/status' });
    });

    it('upgrades /ws to a WebSocket through the proxy', async () => {
      const ws = new WebSocket(`wss://127.0.0.1:${ports.https}/ws`, { rejectUnauthorized: false, headers: { host: 'ffe.example.com' } });
      const reply = await new Promise<string>((resolve, reject) => {
        ws.on('open', () => ws.send('hello'));
        ws.on('message', (m) => resolve(String(m)));
        ws.on('error', reject);
      });
      ws.close();
      expect(reply).toBe('echo hello');
    });
  });
});
