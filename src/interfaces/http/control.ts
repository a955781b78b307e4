import type { WebSocket } from 'ws';

/** The server's lifecycle as /ready reports it: ready once listening, not ready again once draining. */
export class ServerControl {
  /** Authenticated WebSocket connections currently streaming events (for gauges, drains and tests). */
  readonly streams = new Set<WebSocket>();
  private listening = false;
  private drainingSince: number | null = null;

  markListening(): void {
    this.listening = true;
  }

  /** /ready answers 503 from now on (load balancers stop sending new work). */
  drain(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  get ready(): boolean {
    return this.listening && !this.draining;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    ffe: ServerControl;
  }
}
