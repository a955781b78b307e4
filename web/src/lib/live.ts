/** One domain event as `/ws` sends it (src/core/events.ts; payload keys in snake_case). */
export interface LiveEvent {
  seq: number;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LiveOptions {
  /** The bearer token for the `{type: 'auth'}` first message; null while signed out. */
  token(): string | null | Promise<string | null>;
  /** ws://host/ws by default (same origin as the page). */
  url?: string;
  /** Injected by tests; the browser's WebSocket otherwise. */
  WebSocketImpl?: typeof WebSocket;
  /** Backoff after a drop: min(maxDelayMs, baseDelayMs·2^attempt) with ±20 % jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export function defaultWsUrl(loc: { protocol: string; host: string } = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}

/** The delay before reconnect attempt `attempt` (0-based), jitter drawn from `rand` ∈ [0, 1). */
export function backoff(attempt: number, base: number, max: number, rand = Math.random()): number {
  const d = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(d * (0.8 + 0.4 * rand));
}

/**
 * The dashboard's live feed: one WebSocket to `/ws`, authenticated by its first message, that
 * reconnects with backoff after a drop and resumes with `?after=<last seq>`, so no event is missed
 * or seen twice across a reconnect (the server replays its outbox after that seq, then goes live).
 * The first connection starts from now (`subscribed` tells the current seq).
 */
export class LiveFeed {
  private ws: WebSocket | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private _state: LiveState = 'closed';
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly stateListeners = new Set<(s: LiveState) => void>();

  constructor(private readonly opts: LiveOptions) {}

  get state(): LiveState {
    return this._state;
  }
  get seq(): number | null {
    return this.lastSeq;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'signed out');
    this.setState('closed');
  }

  onEvent(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  onState(listener: (s: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => void this.stateListeners.delete(listener);
  }

  private setState(s: LiveState): void {
    if (s === this._state) return;
    this._state = s;
    for (const l of this.stateListeners) l(s);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState(this.attempt === 0 && this.lastSeq === null ? 'connecting' : 'reconnecting');
    const token = await this.opts.token();
    if (this.stopped) return;
    if (!token) return this.retry();
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const base = this.opts.url ?? defaultWsUrl();
    const ws = new Impl(this.lastSeq === null ? base : `${base}?after=${this.lastSeq}`);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (m: MessageEvent) => {
      let msg: { type?: string; seq?: number; last_seq?: number };
      try {
        msg = JSON.parse(String(m.data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.type === 'subscribed') {
        if (this.lastSeq === null || (msg.last_seq ?? 0) > this.lastSeq) this.lastSeq = msg.last_seq ?? this.lastSeq;
        this.attempt = 0;
        this.setState('live');
        return;
      }
      if (typeof msg.seq !== 'number' || (this.lastSeq !== null && msg.seq <= this.lastSeq)) return;
      this.lastSeq = msg.seq;
      for (const l of this.listeners) l(msg as LiveEvent);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.retry();
    };
    ws.onerror = () => undefined;
  }

  private retry(): void {
    if (this.stopped) return;
    this.setState('reconnecting');
    const delay = backoff(this.attempt++, this.opts.baseDelayMs ?? 500, this.opts.maxDelayMs ?? 15_000);
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
