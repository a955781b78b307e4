import { describe, expect, it } from 'vitest';
import { OutgoingQueue, type SendOutcome } from './outbox-queue.js';

describe('OutgoingQueue', () => {
  it('sends in order, retries a failure with backoff, honours retry_after, and gives up after maxAttempts', async () => {
    const sent: string[] = [];
    const waits: number[] = [];
    const script: Record<string, SendOutcome[]> = { a: [{ ok: false, retryAfterMs: 1234 }, { ok: true }], b: [{ ok: false }, { ok: true }], c: [{ ok: false }, { ok: false }, { ok: false }] };
    const q = new OutgoingQueue<string>(
      async (m) => {
        const out = script[m].shift()!;
        if (out.ok) sent.push(m);
        return out;
      },
      { max: 10, maxAttempts: 3, backoffMs: (n) => n * 10, sleep: async (ms) => void waits.push(ms) },
    );
    for (const m of ['a', 'b', 'c']) q.push(m);
    await q.idle();
    expect(sent).toEqual(['a', 'b']);
    expect(waits).toEqual([1234, 10, 10, 20]);
    expect(q.stats).toMatchObject({ sent: 2, failed: 1, retries: 4, dropped: 0 });
  });

  it('is bounded: pushing past max drops the oldest and counts it; push never waits for the sender', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sent: number[] = [];
    const q = new OutgoingQueue<number>(
      async (m) => {
        await gate;
        sent.push(m);
        return { ok: true };
      },
      { max: 3, maxAttempts: 1 },
    );
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) q.push(i);
    expect(Date.now() - t0).toBeLessThan(1000);
    release();
    await q.idle();
    // 0 was in flight when the overflow began; the newest three survive.
    expect(q.stats.dropped).toBe(7);
    expect(sent.slice(-3)).toEqual([7, 8, 9]);
  });
});
