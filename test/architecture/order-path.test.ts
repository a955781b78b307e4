import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/container.js';
import { tempCwd } from '../support/cli.js';

const SRC = resolve(import.meta.dirname, '../../src');
const ORDER_METHODS = ['placeOrder', 'cancelOrder', 'closePosition'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/**
 * Calls of a venue order method that do not go through the ExecutionService. `this.placeOrder(`
 * is a venue implementing one method with another (a simulated venue's closePosition), not a caller;
 * `api.<group>.closePosition(` is a transport calling an application use case, which itself goes
 * through the execution service (the last test below holds that the app object exposes no venue).
 */
export function bypasses(text: string): string[] {
  return [...text.matchAll(/([\w.$#\])]+)\.(placeOrder|cancelOrder|closePosition)\(/g)].filter((m) => !/(^|\.)execution$/.test(m[1]) && m[1] !== 'this' && !/^api\.\w+$/.test(m[1])).map((m) => m[0]);
}

describe('one order path: nothing reaches a venue around the risk gate', () => {
  it('outside src/venues and src/execution no code calls a venue order method directly', () => {
    const found = files(SRC)
      .filter((f) => !/^(venues|execution)\//.test(relative(SRC, f)))
      .flatMap((f) => bypasses(readFileSync(f, 'utf8')).map((b) => `${relative(SRC, f)}: ${b}`));
    expect(found).toEqual([]);
  });

  it('the rule catches a direct call and allows the execution service (guards against a vacuous check)', () => {
    expect(bypasses('await venue.placeOrder(req); await this.deps.venue.closePosition(id, c)')).toEqual(['venue.placeOrder(', 'this.deps.venue.closePosition(']);
    expect(bypasses('await app.execution.closePosition(id); return this.placeOrder(req)')).toEqual([]);
    expect(bypasses('api.bot.closePosition(id, who); api.venue.x.placeOrder(r)')).toEqual(['api.venue.x.placeOrder(']);
  });

  it('the app object exposes no venue: no reachable property has an order method', async () => {
    const cwd = tempCwd();
    const app = await createApp({ cwd, env: { FFE_HOME: cwd } });
    try {
      const seen = new Set<unknown>();
      const hits: string[] = [];
      const walk = (v: unknown, path: string, depth: number) => {
        if (v === null || typeof v !== 'object' || seen.has(v) || depth > 4) return;
        seen.add(v);
        for (const m of ORDER_METHODS) if (typeof (v as Record<string, unknown>)[m] === 'function' && !path.endsWith('.execution')) hits.push(`${path}.${m}`);
        for (const [k, child] of Object.entries(v)) walk(child, `${path}.${k}`, depth + 1);
      };
      walk(app, 'app', 0);
      expect(hits).toEqual([]);
      // The execution service keeps its venues in true private fields.
      expect(Object.keys(app.execution)).toEqual([]);
      expect(Object.keys(app.account)).toEqual([]);
      expect(typeof app.execution.closePosition).toBe('function');
    } finally {
      await app.close();
    }
  });
});
