/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by playwright-core) against
 * the built `ffe serve` on loopback:
 * - page weight: gzip bytes (zlib default level) of the JS and CSS the first page loads — the
 *   sign-in form cold, and the dashboard with a session (budget: JS ≤ 250 KB gzip);
 * - render time: navigation start → the sign-in form's heading, cold cache; → the Dashboard
 *   heading on a reload with a session (budget: ≤ 1 s on loopback);
 * - event latency: a domain event's own server time → the page's WebSocket handler receiving it,
 *   same clock (budget: ≤ 200 ms), over agent start/stop events.
 * There is no peer dashboard to run beside it: the "peer" column is the budget.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page, Request } from 'playwright-core';
import { DESKTOP, launchChromium, navStart, probeOf, PROBE, signIn } from '../test/support/browser.js';
import { scratchDir } from './scratch.js';

// dist/bench/web.bench.js → the repository root (the built CLI and dist/web live there).
const ROOT = resolve(import.meta.dirname, '../..');
const FFE = join(ROOT, 'bin/ffe.js');
const DIST_WEB = join(ROOT, 'dist/web');
const BUDGET = { jsGzipKb: 250, renderMs: 1000, eventMs: 200 };

const envOf = (cwd: string) => ({ PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', FFE_HOME: join(cwd, 'data') });

function cli(cwd: string, args: string[], input = ''): Promise<string> {
  return new Promise((res, rej) => {
    const c = spawn(process.execPath, [FFE, ...args], { cwd, env: envOf(cwd), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`ffe ${args.join(' ')}: ${err}`))));
    c.stdin.end(input);
  });
}

function serve(cwd: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [FFE, 'serve', '--host', '127.0.0.1', '--port', '0'], { cwd, env: envOf(cwd), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) res({ url: m[1], child });
    });
    child.on('exit', (code) => rej(new Error(`ffe serve exited (${code}):\n${out}`)));
  });
}

const gzipOf = (urls: readonly string[], type: 'script' | 'stylesheet', kinds: Map<string, string>) => {
  let raw = 0;
  let gz = 0;
  for (const u of new Set(urls)) {
    if (kinds.get(u) !== type) continue;
    const f = join(DIST_WEB, new URL(u).pathname);
    if (!existsSync(f)) continue;
    const buf = readFileSync(f);
    raw += buf.length;
    gz += gzipSync(buf).length;
  }
  return { raw, gz };
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const kb = (b: number) => (b / 1024).toFixed(1);

export async function run(): Promise<void> {
  console.log(`node ${process.version}; ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(1)} before the run`);
  if (!existsSync(join(DIST_WEB, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (npm run bench does)');
  const cwd = scratchDir('ffe-web-bench-');
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), 'agent:\n  interval_seconds: 3600\n');
  const password = 'bench-password-long-enough';
  await cli(cwd, ['user', 'create', 'bench', '--role', 'admin', '--password-stdin'], `${password}\n`);
  const key = JSON.parse(await cli(cwd, ['apikey', 'create', '--name', 'bench-op', '--role', 'operator', '--json'])) as { key: string };
  const s = await serve(cwd);
  const browser = await launchChromium();
  try {
    const RUNS = 5;
    const signInMs: number[] = [];
    const dashMs: number[] = [];
    let weights = { signInJs: { raw: 0, gz: 0 }, signInCss: { raw: 0, gz: 0 }, dashJs: { raw: 0, gz: 0 } };
    let page: Page | null = null;
    for (let i = 0; i < RUNS; i++) {
      // A new context each run: cold cache, no session.
      const ctx = await browser.newContext({ viewport: DESKTOP });
      await ctx.addInitScript(PROBE);
      const p = await ctx.newPage();
      const urls: string[] = [];
      const kinds = new Map<string, string>();
      p.on('request', (r: Request) => {
        urls.push(r.url());
        kinds.set(r.url(), r.resourceType());
      });
      await p.goto(s.url, { waitUntil: 'load' });
      await p.getByRole('heading', { name: 'Finance Feedback Engine' }).waitFor();
      signInMs.push((await probeOf(p)).h1['Finance Feedback Engine'] - (await navStart(p)));
      const signInJs = gzipOf(urls, 'script', kinds);
      const signInCss = gzipOf(urls, 'stylesheet', kinds);
      await signIn(p, { name: 'bench', password });
      urls.length = 0;
      await p.reload({ waitUntil: 'load' });
      await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await p.waitForLoadState('networkidle');
      dashMs.push((await probeOf(p)).h1['Dashboard'] - (await navStart(p)));
      weights = { signInJs, signInCss, dashJs: gzipOf(urls, 'script', kinds) };
      if (i < RUNS - 1) await ctx.close();
      else page = p;
    }

    // Event latency: agent start/stop through the API while the page listens.
    await page!.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
    const EVENTS = 20;
    const lat: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const before = (await probeOf(page!)).ws.length;
      const path = i % 2 === 0 ? '/api/v1/bot/start' : '/api/v1/bot/stop';
      const res = await fetch(`${s.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(i % 2 === 0 ? { asset_pairs: ['ETHUSD'] } : {}),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const m = (await probeOf(page!)).ws.slice(before).find((x) => x.type === 'AgentStateChanged');
        if (m) {
          lat.push(m.recv - m.at);
          break;
        }
        if (Date.now() > deadline) throw new Error('no AgentStateChanged reached the page in 10 s');
        await new Promise((r) => setTimeout(r, 10));
      }
    }

    const row = (label: string, ours: string, peer: string) => console.log(`  ${label.padEnd(46)} ${ours.padStart(16)}   ${peer}`);
    console.log(`dashboard in chromium (${RUNS} cold loads, ${EVENTS} live events); "peer" = the issue's budget (no other dashboard to run beside it):`);
    row('measure', 'ours', 'peer (budget)');
    row('JS, sign-in page (gzip / raw)', `${kb(weights.signInJs.gz)} / ${kb(weights.signInJs.raw)} KB`, `≤ ${BUDGET.jsGzipKb} KB gzip`);
    row('CSS, sign-in page (gzip)', `${kb(weights.signInCss.gz)} KB`, '—');
    row('JS, dashboard with a session (gzip)', `${kb(weights.dashJs.gz)} KB`, `≤ ${BUDGET.jsGzipKb} KB gzip`);
    row('render: sign-in heading, cold (p50 / max)', `${Math.round(pct(signInMs, 50))} / ${Math.round(Math.max(...signInMs))} ms`, `≤ ${BUDGET.renderMs} ms`);
    row('render: Dashboard heading, session (p50 / max)', `${Math.round(pct(dashMs, 50))} / ${Math.round(Math.max(...dashMs))} ms`, `≤ ${BUDGET.renderMs} ms`);
    row('live event → page (p50 / p99)', `${Math.round(pct(lat, 50))} / ${Math.round(pct(lat, 99))} ms`, `≤ ${BUDGET.eventMs} ms`);
    const over = [
      weights.signInJs.gz > BUDGET.jsGzipKb * 1024 && 'sign-in JS',
      weights.dashJs.gz > BUDGET.jsGzipKb * 1024 && 'dashboard JS',
      Math.max(...signInMs, ...dashMs) > BUDGET.renderMs && 'render',
      pct(lat, 99) > BUDGET.eventMs && 'event latency',
    ].filter(Boolean);
    console.log(over.length ? `  OVER BUDGET: ${over.join(', ')}` : '  all within budget');
  } finally {
    await browser.close();
    s.child.kill('SIGTERM');
  }
  console.log(`load average ${loadavg()[0].toFixed(1)} after the run`);
}
