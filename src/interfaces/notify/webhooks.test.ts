import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../application/event-bus.js';
import type { FfeApi } from '../../application/api.js';
import { startWebhookNotifiers } from './webhooks.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A receiver that answers 503 to the first `failFirst` POSTs (the second with Retry-After: 1), then 200. */
async function receiver(failFirst: number) {
  const bodies: any[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      n++;
      if (n <= failFirst) {
        res.writeHead(n === 2 ? 429 : 503, n === 2 ? { 'retry-after': '1' } : {}).end();
        return;
      }
      bodies.push(JSON.parse(raw));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, attempts: () => n };
}

describe('webhook and Slack notifiers', () => {
  it('a fill reaches the JSON webhook and Slack (`{text, blocks}`), after retrying 503 and a 429 with Retry-After', async () => {
    const json = await receiver(2);
    const slack = await receiver(0);
    const events = new EventBus();
    const n = startWebhookNotifiers(
      { events } as unknown as FfeApi,
      [
        { url: json.url, format: 'json' },
        { url: slack.url, format: 'slack' },
      ],
      { max: 10, maxAttempts: 5, backoffMs: () => 20 },
    );
    closers.push(async () => n.stop());
    const t0 = Date.now();
    events.publish([{ seq: 7, type: 'OrderFilled', at: 0, payload: { side: 'buy', units: 0.5, pair: 'BTCUSD', price: 50000, venue: 'paper', fee: 1.25, clientOrderId: 'c1' } }]);
    events.publish([{ seq: 8, type: 'DecisionMade', at: 0, payload: {} }]);
    await Promise.all(n.queues.map((q) => q.idle()));
    expect(json.attempts()).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(json.bodies).toEqual([expect.objectContaining({ kind: 'fill', title: 'Filled: buy 0.5 BTCUSD at 50000', seq: 7, fields: expect.objectContaining({ venue: 'paper' }) })]);
    expect(slack.bodies).toHaveLength(1);
    expect(slack.bodies[0].text).toContain('Filled: buy 0.5 BTCUSD at 50000');
    expect(slack.bodies[0].blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
  });
});
