/**
 * Load generator for the API benchmark, in its own process so the server under test keeps its
 * event loop to itself (2 cores: one serves, one loads). A process, not a worker thread: autocannon
 * takes a worker thread for one of its own and answers differently there.
 */
import autocannon from 'autocannon';
import WebSocket from 'ws';

export type LoadJob = { kind: 'http'; url: string; headers: Record<string, string>; seconds: number; connections: number; rate?: number } | { kind: 'ws'; url: string; clients: number };

const job = JSON.parse(process.argv[2]) as LoadJob;
const parentPort = { postMessage: (m: unknown) => process.send!(m), on: (ev: 'message', fn: (m: { done?: boolean }) => void) => process.on(ev, fn) };

if (job.kind === 'http') {
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    void autocannon({ url: job.url, headers: job.headers, duration: job.seconds, connections: job.connections, ...(job.rate ? { overallRate: job.rate } : {}), pipelining: 1 }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
  process.send!({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, total: r.requests.total });
} else {
  // Many sockets, one thread: each records (receive time - the event's send stamp) for every event.
  const latencies: number[] = [];
  let open = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < job.clients; i++) {
    const ws = new WebSocket(job.url);
    ws.on('message', (raw) => {
      const now = performance.timeOrigin + performance.now();
      const e = JSON.parse(String(raw)) as { type?: string; payload?: { sent_at?: number } };
      // Subscribed: caught up with the outbox, live events flow from here.
      if (e.type === 'subscribed' && ++open === job.clients) parentPort.postMessage({ ready: true });
      if (typeof e.payload?.sent_at === 'number') latencies.push(now - e.payload.sent_at);
    });
    ws.on('error', (err) => parentPort.postMessage({ error: String(err) }));
    sockets.push(ws);
  }
  parentPort.on('message', (m: { done?: boolean }) => {
    if (!m.done) return;
    for (const s of sockets) s.close();
    parentPort.postMessage({ latencies });
  });
}
