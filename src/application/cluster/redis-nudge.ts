import { Redis } from 'ioredis';
import type { EventNudge } from './event-relay.js';

const CHANNEL = 'ffe:events';

/**
 * The relay's nudge over Redis pub/sub: each instance announces the seq of what it committed;
 * the others read the outbox at once. A message is only a hint (the outbox is the truth), so a
 * lost one costs one poll period, never an event.
 */
export async function redisNudge(url: string, instance: string, log: (m: string) => void): Promise<EventNudge> {
  const opts = { connectTimeout: 2000, maxRetriesPerRequest: 1, lazyConnect: true } as const;
  const pub = new Redis(url, { ...opts, enableOfflineQueue: false });
  const sub = new Redis(url, opts);
  for (const c of [pub, sub]) c.on('error', (e: Error) => log(`event relay Redis: ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  let last = 0;
  let pending: NodeJS.Immediate | null = null;
  return {
    // Coalesced: a transaction's events (and a burst of them) make one message.
    async announce(seq) {
      last = Math.max(last, seq);
      if (pending) return;
      pending = setImmediate(() => {
        pending = null;
        pub.publish(CHANNEL, JSON.stringify({ from: instance, seq: last })).catch((e: unknown) => log(`event relay Redis: ${(e as Error).message}`));
      });
    },
    async listen(on) {
      sub.on('message', (_channel: string, message: string) => {
        try {
          if ((JSON.parse(message) as { from?: string }).from !== instance) on();
        } catch {
          // Not ours: someone else publishes on the channel; the poll still brings everything.
        }
      });
      await sub.subscribe(CHANNEL);
    },
    async close() {
      if (pending) clearImmediate(pending);
      sub.disconnect();
      pub.disconnect();
    },
  };
}
