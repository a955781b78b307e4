/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against the real
 * built `ffe serve`: sign-in, every page at desktop and phone width in both themes (screenshots
 * checked non-blank, axe: no serious or critical violation), what each role is shown, the Admin
 * page end to end, and the budgets (first-page JS, first render, live event latency) measured in
 * the run and written to test-artifacts/web-budgets.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_ANSWER, startFakeOpenAi, type FakeLlmServer } from '../fakes/openai-server.js';
import { CONTROL, DESKTOP, distinctColours, domTime, go, jsGzipBytes, launchChromium, navStart, PHONE, PROBE, pageText, probeOf, scriptRequests, seriousA11y, signIn, visibleButtons } from '../support/browser.js';
import { REPO, tempCwd } from '../support/cli.js';
import { call, createKey, createUser, startServe, type Served } from '../support/serve.js';

const DIST_WEB = join(REPO, 'dist/web');
const ARTIFACTS = join(REPO, 'test-artifacts');
const SHOTS = join(ARTIFACTS, 'screenshots');
const KB = 1024;
const BUDGET = { firstPageJsGzipKb: 250, firstRenderMs: 1000, liveEventMs: 200 };
/**
 * Times are measured and recorded here but judged against the budget by `npm run bench` (suite
 * web): a test must not depend on the machine being idle (CI at load 10 rendered in 1.3 s). The
 * test holds them only to what any working run meets; the JS weight does not depend on load and is
 * held to the budget.
 */
const SANITY = { renderMs: 15_000, liveEventMs: 10_000 };

/** The pages in the navigation: path, h1, file name. Detail pages are added once their ids exist. */
const PAGES: { path: string; h1: string | RegExp; name: string }[] = [
  { path: '/', h1: 'Dashboard', name: 'dashboard' },
  { path: '/agent', h1: 'Agent', name: 'agent' },
  { path: '/decisions', h1: 'Decisions', name: 'decisions' },
  { path: '/feedback', h1: /^Feedback/, name: 'feedback' },
  { path: '/recommendations', h1: 'Recommendations', name: 'recommendations' },
  { path: '/recommendations?tab=history', h1: 'Recommendations', name: 'recommendations-history' },
  { path: '/watchlists', h1: 'Watchlists', name: 'watchlists' },
  { path: '/charts', h1: 'Charts', name: 'charts' },
  { path: '/backtests', h1: 'Backtests', name: 'backtests' },
  { path: '/account', h1: 'Account and privacy', name: 'account' },
  { path: '/admin', h1: 'Admin', name: 'admin' },
];

let browser: Browser;
let served: Served;
let llm: FakeLlmServer;
let cwd: string;
let root: { name: string; password: string };
let viewer: { name: string; password: string };
let auditor: { name: string; password: string };
const contexts: BrowserContext[] = [];
/** Detail pages reached in the flow, toured afterwards: decision and backtest ids. */
const details: { path: string; h1: string | RegExp; name: string }[] = [];
const budgets: Record<string, unknown> = { budget: BUDGET };

async function newPage(opts: { viewport?: { width: number; height: number }; theme?: 'dark' | 'light' } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: opts.viewport ?? DESKTOP, colorScheme: opts.theme ?? 'dark' });
  contexts.push(context);
  if (opts.theme) await context.addInitScript(`try { localStorage.setItem('ffe.theme', ${JSON.stringify(opts.theme)}) } catch {}`);
  await context.addInitScript(PROBE);
  return context.newPage();
}

/** Waits until the page shows no loading state (data arrived or failed), or gives up after `ms` and lets the checks run on what is there. */
async function settled(page: Page, ms = 5_000): Promise<void> {
  await page
    .locator('.state.loading')
    .first()
    .waitFor({ state: 'detached', timeout: ms })
    .catch(() => undefined);
}

let operatorKey: string | null = null;
const opKey = async (): Promise<string> => (operatorKey ??= await createKey(cwd, 'operator', 'e2e-op'));

async function signedIn(user: { name: string; password: string }, opts: Parameters<typeof newPage>[0] = {}): Promise<Page> {
  const page = await newPage(opts);
  await page.goto(served.url);
  await signIn(page, user);
  return page;
}

beforeAll(async () => {
  // Confident enough for the gate's volatile-market floor (80 %) on the bundled ETHUSD data.
  llm = await startFakeOpenAi({ answer: { ...GOOD_ANSWER, confidence: 90 } });
  cwd = tempCwd('ffe-web-e2e-');
  mkdirSync(join(cwd, 'config'));
  writeFileSync(
    join(cwd, 'config/config.yaml'),
    `data:
  freshness:
    crypto:
      stale_minutes: null
providers:
  gpt:
    kind: openai
    model: m
    base_url: ${llm.url}/v1
agent:
  provider: gpt
  approval: manual
  interval_seconds: 3600
`,
  );
  mkdirSync(SHOTS, { recursive: true });
  [root, viewer, auditor] = await Promise.all([createUser(cwd, 'root', 'admin'), createUser(cwd, 'vera', 'viewer'), createUser(cwd, 'audrey', 'auditor')]);
  [served, browser] = await Promise.all([startServe(cwd), launchChromium()]);
}, 60_000);

afterAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'web-budgets.json'), JSON.stringify(budgets, null, 2) + '\n');
  console.log(`web budgets: ${JSON.stringify(budgets)}`);
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  served?.child.kill('SIGTERM');
  if (served) expect(await served.exited).toBe(0);
  await llm?.close();
});

describe('the dashboard in chromium against ffe serve', { timeout: 60_000 }, () => {
  it('first page: JS within 250 KB gzip; sign-in and a restored session render (times recorded for the budget)', async () => {
    const page = await newPage();
    const scripts = scriptRequests(page);
    await page.goto(served.url, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Finance Feedback Engine' }).waitFor();
    const signInMs = (await probeOf(page)).h1['Finance Feedback Engine'] - (await navStart(page));
    const signInJs = jsGzipBytes(DIST_WEB, scripts);

    await signIn(page, root);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    // A reload with the session in the tab: the dashboard is the first page a returning user sees.
    scripts.length = 0;
    await page.reload({ waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const dashboardMs = (await probeOf(page)).h1['Dashboard'] - (await navStart(page));
    const dashboardJs = jsGzipBytes(DIST_WEB, scripts);

    budgets.firstPage = {
      signIn: { renderMs: Math.round(signInMs), jsGzipKb: +(signInJs.gzip / KB).toFixed(1), jsRawKb: +(signInJs.raw / KB).toFixed(1), files: signInJs.files },
      dashboard: { renderMs: Math.round(dashboardMs), jsGzipKb: +(dashboardJs.gzip / KB).toFixed(1), jsRawKb: +(dashboardJs.raw / KB).toFixed(1), files: dashboardJs.files },
    };
    console.log(
      `first page: sign-in ${Math.round(signInMs)} ms, ${(signInJs.gzip / KB).toFixed(1)} KB gzip JS; dashboard (session restored) ${Math.round(dashboardMs)} ms, ${(dashboardJs.gzip / KB).toFixed(1)} KB gzip JS`,
    );
    expect(signInJs.files.length).toBeGreaterThan(0);
    expect(signInJs.gzip).toBeLessThanOrEqual(BUDGET.firstPageJsGzipKb * KB);
    expect(dashboardJs.gzip).toBeLessThanOrEqual(BUDGET.firstPageJsGzipKb * KB);
    expect(signInMs).toBeGreaterThan(0);
    expect(signInMs).toBeLessThanOrEqual(SANITY.renderMs);
    expect(dashboardMs).toBeGreaterThan(0);
    expect(dashboardMs).toBeLessThanOrEqual(SANITY.renderMs);
  });

  it('a live event reaches the page (server publish → page, recorded for the 200 ms budget)', async () => {
    const page = await signedIn(root);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
    const op = await opKey();
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = (await probeOf(page)).ws.length;
      const path = i % 2 === 0 ? '/api/v1/bot/start' : '/api/v1/bot/stop';
      const r = await call(served.url, path, { key: op, method: 'POST', body: i % 2 === 0 ? { asset_pairs: ['ETHUSD'] } : {} });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      await expect.poll(async () => (await probeOf(page)).ws.slice(before).find((m) => m.type === 'AgentStateChanged'), { timeout: 20_000 }).toBeTruthy();
      const m = (await probeOf(page)).ws.slice(before).find((x) => x.type === 'AgentStateChanged')!;
      samples.push(m.recv - m.at);
    }
    expect((await call(served.url, '/api/v1/bot/stop', { key: op, method: 'POST', body: {} })).status).toBe(200);
    const worst = Math.max(...samples);
    budgets.liveEvent = { measure: 'AgentStateChanged: event time on the server → message handled in the page (same clock)', samplesMs: samples.map((s) => Math.round(s)), worstMs: Math.round(worst) };
    console.log(`live event latency: ${samples.map((s) => Math.round(s)).join(', ')} ms`);
    expect(worst).toBeGreaterThanOrEqual(0);
    expect(worst).toBeLessThanOrEqual(SANITY.liveEventMs);
  });

  it('Admin (admin): creates a user (generated password shown once), changes its role, disables it; creates an API key shown once, revokes it; the audit log lists and filters it and verifies the chain', async () => {
    const page = await signedIn(root);
    await go(page, '/admin', 'Admin');
    const users = page.getByTestId('user-row');
    await expect.poll(() => users.count()).toBe(3);
    await page.getByLabel('User name').fill('newbie');
    await page.locator('select[name="new-user-role"]').selectOption('analyst');
    await page.getByRole('button', { name: 'Create user' }).click();
    const secret = page.getByTestId('new-secret');
    await secret.waitFor();
    expect(await secret.innerText()).toContain('shown only once');
    const password = (await page.getByLabel('Password of newbie:').innerText()).trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await expect.poll(() => users.count()).toBe(4);
    await page.getByRole('button', { name: 'Done' }).click();
    // The generated password signs in.
    const login = await call(served.url, '/api/v1/auth/login', { method: 'POST', body: { name: 'newbie', password } });
    expect(login.status).toBe(200);
    expect(login.body.principal.role).toBe('analyst');

    await page.getByLabel('Role of newbie').selectOption('trader');
    await expect.poll(async () => (await call(served.url, '/api/v1/auth/login', { method: 'POST', body: { name: 'newbie', password } })).body.principal?.role, { timeout: 10_000 }).toBe('trader');
    await page.getByRole('button', { name: 'Disable newbie' }).click();
    await page.getByRole('button', { name: 'Disable user' }).click();
    await users.filter({ hasText: 'newbie' }).getByText('disabled').waitFor();
    expect((await call(served.url, '/api/v1/auth/login', { method: 'POST', body: { name: 'newbie', password } })).status).toBe(401);
    // The last enabled admin cannot be demoted or disabled from the page.
    expect(await page.getByLabel('Role of root').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Disable root' }).count()).toBe(0);

    await page.getByLabel('Key name').fill('ci-bot');
    await page.locator('select[name="new-key-role"]').selectOption('viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByLabel('API key ci-bot:').innerText()).trim();
    expect(key).toMatch(/^ffe_/);
    expect((await call(served.url, '/api/v1/auth/me', { key })).body).toMatchObject({ name: 'ci-bot', role: 'viewer' });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: /^Revoke key ci-bot/ }).click();
    await page.getByRole('button', { name: 'Revoke key', exact: true }).click();
    await page
      .getByTestId('apikey-row')
      .filter({ hasText: 'ci-bot' })
      .getByText(/revoked/)
      .waitFor();
    expect((await call(served.url, '/api/v1/auth/me', { key })).status).toBe(401);

    const verify = page.getByTestId('audit-verify');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => verify.getAttribute('data-ok')).toBe('true');
    expect(await verify.innerText()).toContain('Chain intact');
    const audit = page.getByTestId('audit-row');
    await expect.poll(async () => (await audit.allInnerTexts()).join('\n')).toContain('user.create');
    await page.getByLabel('Action').fill('api_key.revoke');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => audit.allInnerTexts(), { timeout: 10_000 }).toEqual([expect.stringContaining('api_key.revoke')]);
  });

  it(
    'the flow: sign in, start the agent (ETHUSD, manual approval), the approval appears live on Decisions, Approve on its detail, the position on the Dashboard, a backtest runs to done, emergency stop',
    { timeout: 90_000 },
    async () => {
      const page = await signedIn(root);
      const origin = await navStart(page);
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
      await go(page, '/agent', 'Agent');
      await page.getByLabel('Assets').fill('ETHUSD');
      await page.getByLabel('Manual approval').check();
      await page.getByRole('button', { name: 'Start agent' }).click();
      await expect.poll(async () => (await call(served.url, '/api/v1/bot/status', { key: await opKey() })).body.requested_state, { timeout: 20_000 }).toBe('running');

      await go(page, '/decisions', 'Decisions');
      const approvalAt = await domTime(page, '[data-testid="approval-row"]', 'ETHUSD', 60_000);
      // Live: the page was not reloaded (same navigation) and the request event reached it.
      expect(await navStart(page)).toBe(origin);
      // The row can come from the page's own list request before the event lands (the approval is
      // queued while the page navigates): wait for the event rather than racing it.
      await expect.poll(async () => (await probeOf(page)).ws.some((m) => m.type === 'ApprovalRequested'), { message: 'an ApprovalRequested event reached the page', timeout: 15_000 }).toBe(true);
      const requested = (await probeOf(page)).ws.find((m) => m.type === 'ApprovalRequested');
      budgets.approvalToDom = {
        measure: 'ApprovalRequested: event time on the server → the approval row in the DOM (the panel reloads its list on the event)',
        ms: Math.round(approvalAt - requested!.at),
        wsMs: Math.round(requested!.recv - requested!.at),
      };
      console.log(`approval: event → page ${Math.round(requested!.recv - requested!.at)} ms, event → row in the DOM ${Math.round(approvalAt - requested!.at)} ms`);

      const row = page.getByTestId('approval-row').filter({ hasText: 'ETHUSD' }).first();
      const link = row.getByRole('link');
      const decisionPath = new URL((await link.getAttribute('href'))!, served.url).pathname;
      await link.click();
      await page.getByRole('heading', { level: 1, name: /Decision/ }).waitFor();
      details.push({ path: decisionPath, h1: /^Decision/, name: 'decision-detail' });
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Approved/ })
        .waitFor({ timeout: 30_000 });

      await go(page, '/', 'Dashboard');
      await page.getByTestId('position-row').filter({ hasText: 'ETHUSD' }).first().waitFor({ timeout: 30_000 });

      await go(page, '/backtests', 'Backtests');
      const jobsBefore = await page.getByTestId('job-row').count();
      await page.getByRole('button', { name: 'Run job' }).click();
      await expect.poll(() => page.getByTestId('job-row').count(), { timeout: 20_000 }).toBeGreaterThan(jobsBefore);
      const job = page.getByTestId('job-row').first();
      const jobLink = job.getByRole('link');
      const jobId = (await jobLink.innerText()).trim();
      const bar = page.getByRole('progressbar', { name: `Progress of job ${jobId}` });
      await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBe(1);
      await job.getByText('succeeded').waitFor({ timeout: 30_000 });
      details.push({ path: `/backtests/${encodeURIComponent(jobId)}`, h1: /^Backtest/, name: 'backtest-detail' });

      await go(page, '/agent', 'Agent');
      await page.getByRole('button', { name: 'Emergency stop', exact: true }).click();
      await page.getByRole('dialog').getByLabel('Close all positions').check();
      // The dialog open (modal: the page behind it is inert) is a page state of its own for axe.
      expect(await seriousA11y(page), 'axe on the open emergency-stop dialog').toEqual([]);
      await page.getByRole('button', { name: 'Confirm emergency stop' }).click();
      await expect.poll(async () => (await call(served.url, '/api/v1/bot/status', { key: await opKey() })).body.kill_switch?.tripped, { timeout: 20_000 }).toBe(true);
      expect((await call(served.url, '/api/v1/bot/status', { key: await opKey() })).body.state).toBe('emergency_stopped');
      await expect.poll(() => page.getByRole('button', { name: 'Emergency stop', exact: true }).count(), { timeout: 10_000 }).toBe(0);
    },
  );

  it('every page at desktop and phone width, dark and light: rendered (non-blank screenshot) with no serious or critical axe violation', { timeout: 360_000 }, async () => {
    const problems: string[] = [];
    const tour: string[] = [];
    for (const theme of ['dark', 'light'] as const) {
      const page = await signedIn(root, { theme });
      expect(await page.evaluate('document.documentElement.dataset.theme')).toBe(theme);
      for (const p of [...PAGES, ...details]) {
        await page.setViewportSize(DESKTOP);
        const t0 = Date.now();
        await go(page, p.path, p.h1);
        await settled(page);
        const t1 = Date.now();
        for (const v of await seriousA11y(page)) problems.push(`${p.name} (${theme}): ${v}`);
        for (const [size, vp] of [
          ['desktop', DESKTOP],
          ['phone', PHONE],
        ] as const) {
          await page.setViewportSize(vp);
          // Two frames: charts follow the width through a ResizeObserver, a frame after the resize.
          await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
          const file = join(SHOTS, `${p.name}-${theme}-${size}.png`);
          const png = await page.screenshot({ path: file, fullPage: false });
          const colours = distinctColours(png);
          const text = (await pageText(page)).trim();
          if (colours < 8 || text.length < 20) problems.push(`${file}: looks blank (${colours} colours, ${text.length} characters of text)`);
          if (size === 'phone') {
            // At phone width nothing may push the page sideways (tables scroll in .table-wrap).
            // Up to 2 s for the layout to settle at the new width (charts resize themselves after the page does).
            let overflow = 0;
            for (const until = Date.now() + 2_000; ; await page.waitForTimeout(100)) {
              overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
              if (overflow <= 1 || Date.now() > until) break;
            }
            if (overflow > 1) {
              // Name the widest elements that stick out (outside scrolling table regions), for whoever fixes it.
              const culprits = (await page.evaluate(`Array.from(document.querySelectorAll('body *'))
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !(e.parentElement && e.parentElement.closest('.table-wrap')))
                .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
                .slice(0, 3)
                .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' (right ' + Math.round(e.getBoundingClientRect().right) + ' px)')`)) as string[];
              problems.push(`${p.name} (${theme}, phone): the page is ${overflow} px wider than the screen: ${culprits.join(', ')}`);
            }
            const top = (await page.locator('h1').first().boundingBox())?.y ?? Infinity;
            if (top > vp.height / 3) problems.push(`${p.name} (${theme}, phone): the page heading starts at ${Math.round(top)} px, below the first third of the screen`);
          }
        }
        tour.push(`${p.name}/${theme} ${t1 - t0}+${Date.now() - t1} ms`);
      }
    }
    console.log(`page tour (navigation+settle + checks): ${tour.join(', ')}`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('a viewer is shown no control on any page, and not the Admin page', async () => {
    const page = await signedIn(viewer);
    const nav = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts();
    expect(nav).not.toContain('Admin');
    expect(nav).toContain('Dashboard');
    const shown: string[] = [];
    for (const p of [...PAGES.filter((x) => x.path !== '/admin'), ...details]) {
      await go(page, p.path, p.h1);
      await settled(page);
      for (const b of await visibleButtons(page)) if (CONTROL.test(b)) shown.push(`${p.name}: "${b}"`);
    }
    expect(shown).toEqual([]);
    await page.evaluate(`history.pushState(null, '', '/admin'); dispatchEvent(new PopStateEvent('popstate'));`);
    await page.getByText('may not see this page').waitFor();
    expect(await page.getByTestId('user-row').count()).toBe(0);
  });

  it('an auditor lands on Admin and sees the audit log and its verification only', async () => {
    const page = await signedIn(auditor);
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.getByTestId('audit-row').first().waitFor();
    await expect.poll(() => page.getByTestId('audit-verify').getAttribute('data-ok')).toBe('true');
    expect(await page.getByRole('heading', { name: 'Users and roles' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'API keys' }).count()).toBe(0);
    expect((await visibleButtons(page)).filter((b) => CONTROL.test(b))).toEqual([]);
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts()).toEqual(['Admin']);
    expect(await seriousA11y(page)).toEqual([]);
  });
});
