import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ALERTMANAGER_CONFIG, ISSUE_ALERTS, alertRules, runTool, startAlertmanager, type Running } from '../support/ops.js';

const routeOf = (labels: Record<string, string>): string => {
  const r = runTool('amtool', ['config', 'routes', 'test', '--config.file', ALERTMANAGER_CONFIG, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
};

describe('ops/alertmanager: configuration (amtool)', () => {
  it('amtool check-config passes', () => {
    const r = runTool('amtool', ['check-config', ALERTMANAGER_CONFIG]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
    expect(r.stdout).toMatch(/4 inhibit rules/);
  });

  it('every alert routes by its severity: critical to ffe-critical, warning to ffe-warning; an unlabelled one to the default', () => {
    const routed = alertRules().map((rule) => [rule.alert, routeOf({ alertname: rule.alert, severity: rule.labels!.severity })]);
    expect(routed).toHaveLength(ISSUE_ALERTS.length);
    for (const [alert, receiver] of routed) {
      const severity = alertRules().find((r) => r.alert === alert)!.labels!.severity;
      expect(receiver, alert).toBe(`ffe-${severity}`);
    }
    expect(routeOf({ alertname: 'TradingAgentDown', severity: 'critical' })).toBe('ffe-critical');
    expect(routeOf({ alertname: 'DiskSpaceLow', severity: 'warning' })).toBe('ffe-warning');
    expect(routeOf({ alertname: 'SomethingElse' })).toBe('ffe-default');
  });

  it('the critical and warning receivers notify Telegram and the webhook; warnings silently', () => {
    const cfg = parse(readFileSync(ALERTMANAGER_CONFIG, 'utf8')) as { receivers: { name: string; telegram_configs?: { disable_notifications?: boolean }[]; webhook_configs?: unknown[] }[] };
    const byName = Object.fromEntries(cfg.receivers.map((r) => [r.name, r]));
    expect(byName['ffe-critical'].telegram_configs).toHaveLength(1);
    expect(byName['ffe-critical'].webhook_configs).toHaveLength(1);
    expect(byName['ffe-critical'].telegram_configs![0].disable_notifications).toBeFalsy();
    expect(byName['ffe-warning'].telegram_configs![0].disable_notifications).toBe(true);
    expect(byName['ffe-warning'].webhook_configs).toHaveLength(1);
  });
});

/** Loopback fakes: the Telegram Bot API (sendMessage) and a webhook receiver, recording what Alertmanager sends. */
interface Received {
  path: string;
  body: any;
}
function recorder(answer: (path: string) => unknown): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        body = Object.fromEntries(new URLSearchParams(raw));
      }
      got.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(req.url ?? '')));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, got, server })));
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('ops/alertmanager: a real Alertmanager with this configuration', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('delivers a critical alert to Telegram (with sound) and the webhook, a warning silently, and inhibits what TradingAgentDown causes', async () => {
    const telegram = await recorder(() => ({ ok: true, result: { message_id: 1, date: 1_700_000_000, chat: { id: -1001234567890, type: 'supergroup' }, text: 'ok' } }));
    const webhook = await recorder(() => ({}));
    cleanup.push(
      () => void telegram.server.close(),
      () => void webhook.server.close(),
    );

    // The shipped file with its outside addresses pointed at the fakes and the waits shortened; routing and inhibition untouched.
    const cfg = parse(readFileSync(ALERTMANAGER_CONFIG, 'utf8'));
    for (const r of cfg.receivers) {
      for (const t of r.telegram_configs ?? []) t.api_url = telegram.url;
      for (const w of r.webhook_configs ?? []) w.url = `${webhook.url}/alerts`;
    }
    for (const route of [cfg.route, ...cfg.route.routes]) Object.assign(route, { group_wait: '1s', group_interval: '1s' });
    const am: Running = await startAlertmanager(stringify(cfg));
    cleanup.push(() => am.stop());

    const alert = (labels: Record<string, string>) => ({ labels: { system: 'ffe', ...labels }, annotations: { summary: `${labels.alertname} test` } });
    const post = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'TradingAgentDown', severity: 'critical', job: 'ffe' }),
        alert({ alertname: 'NoTradingActivity', severity: 'warning', job: 'ffe', instance: 'ffe:8080' }),
        alert({ alertname: 'DiskSpaceLow', severity: 'warning', job: 'node', instance: 'host:9100', mountpoint: '/' }),
      ]),
    });
    expect(post.status).toBe(200);

    const hook = (receiver: string, name: string) => webhook.got.find((g) => g.body.receiver === receiver && g.body.alerts.some((a: any) => a.labels.alertname === name));
    const critical = await until('the critical webhook', () => hook('ffe-critical', 'TradingAgentDown'));
    const warning = await until('the warning webhook', () => hook('ffe-warning', 'DiskSpaceLow'));
    expect(critical.path).toBe('/alerts');
    expect(warning.body.status).toBe('firing');

    const tg = (name: string) => telegram.got.find((g) => g.path.endsWith('/sendMessage') && JSON.stringify(g.body).includes(name));
    const loud = await until('the Telegram message for TradingAgentDown', () => tg('TradingAgentDown'));
    const quiet = await until('the Telegram message for DiskSpaceLow', () => tg('DiskSpaceLow'));
    expect(loud.path).toBe('/bot123456789:REPLACE-with-the-bot-token-from-BotFather/sendMessage');
    expect(String(loud.body.chat_id)).toBe('-1001234567890');
    expect(String(loud.body.disable_notification ?? false)).toBe('false');
    expect(String(quiet.body.disable_notification)).toBe('true');

    // NoTradingActivity is inhibited by TradingAgentDown (same `system`): suppressed, never delivered.
    const alerts = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[];
    const nta = alerts.find((a) => a.labels.alertname === 'NoTradingActivity')!;
    expect(nta.status.state).toBe('suppressed');
    expect(nta.status.inhibitedBy).toHaveLength(1);
    expect(alerts.find((a) => a.labels.alertname === 'DiskSpaceLow')!.status.state).toBe('active');
    expect(JSON.stringify(webhook.got) + JSON.stringify(telegram.got)).not.toContain('NoTradingActivity');
  }, 120_000);
});
