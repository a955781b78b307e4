import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, tempCwd } from '../support/cli.js';

// A replay runs in a sandbox of its own under the data home (never the paper account): named here so the test can read it.
const replay = ['run-agent', '--replay', '--sandbox', 'det', '--assets', 'BTCUSD,ETHUSD', '--from', '2024-03-01', '--to', '2024-03-08', '--autonomous', '--json'];

/** Every fill and closed trade of a replay, in order, as plain rows. */
function ledger(cwd: string): string {
  const db = join(cwd, 'data/sandboxes/det.db');
  const script = `
    const D = require(${JSON.stringify(join(REPO, 'node_modules/better-sqlite3'))});
    const db = new D(${JSON.stringify(db)}, { readonly: true });
    const fills = db.prepare('SELECT pair, side, units, price, fee, ts FROM paper_fills ORDER BY ts, rowid').all();
    const trades = db.prepare('SELECT * FROM trade_metrics').all().map((t) => ({ pair: t.pair, side: t.side, pnl: t.pnl, exit: t.exit_reason, opened: t.opened_at, closed: t.closed_at }))
      .sort((a, b) => a.closed - b.closed || a.pair.localeCompare(b.pair));
    process.stdout.write(JSON.stringify({ fills, trades }));`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

describe('agent replay is deterministic', () => {
  it('the same replay twice gives the same fills, trades and P&L', async () => {
    const a = tempCwd();
    const b = tempCwd();
    // Side by side: each in its own directory and store, so timing differences are all they share.
    const [ra, rb] = await Promise.all([runCli(replay, { cwd: a, timeoutMs: 240_000 }), runCli(replay, { cwd: b, timeoutMs: 240_000 })]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const sa = JSON.parse(ra.stdout);
    const sb = JSON.parse(rb.stdout);
    expect(sa.closedTrades).toBeGreaterThan(5);
    expect([sb.closedTrades, sb.pnl, sb.winRate]).toEqual([sa.closedTrades, sa.pnl, sa.winRate]);
    expect(ledger(b)).toBe(ledger(a));
  }, 300_000);
});
