import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

/** The store file a CLI run created under cwd (wherever the data home put it). */
function storeFile(dir: string): string {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.db')) return join(e.parentPath, e.name);
  throw new Error(`no database under ${dir}`);
}

describe('e2e: ffe audit (built CLI)', () => {
  it('records the CLI’s orders and stops as the local operator; verify exits 0 with the count, 1 naming the first altered or missing entry', { timeout: 180_000 }, async () => {
    const cwd = tempCwd('ffe-audit-e2e-');
    const empty = await runCli(['audit', 'verify'], { cwd });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('audit log OK: 0 entries verified\n');

    const analyzed = await runCli(['analyze', 'ETHUSD', '--json'], { cwd });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const { id } = JSON.parse(analyzed.stdout) as { id: string };
    const ex = await runCli(['execute', id, '--yes'], { cwd });
    expect(ex.code, ex.stderr).toBe(0);
    const stop = await runCli(['agent', 'emergency-stop', '--reason', 'drill', '--by', 'oncall'], { cwd });
    expect(stop.code, stop.stderr).toBe(0);

    const list = await runCli(['audit', 'list', '--json'], { cwd });
    expect(list.code, list.stderr).toBe(0);
    const { entries } = JSON.parse(list.stdout) as { entries: { seq: number; action: string; actor: string; result: string }[] };
    expect(entries.reverse().map((e) => [e.seq, e.action, e.actor])).toEqual([
      [1, 'order.submitted', 'agent'],
      [2, 'order.filled', 'agent'],
      [3, 'decision.execute', 'local:local-cli'],
      [4, 'kill_switch.tripped', 'oncall'],
      [5, 'bot.emergency_stop', 'local:local-cli'],
    ]);
    const filtered = await runCli(['audit', 'list', '--action', 'decision.execute'], { cwd });
    expect(filtered.stdout).toMatch(/│ 3 +│ [^│]+│ local:local-cli +│ admin +│ decision\.execute +│ ok +│/);
    expect(filtered.stdout).not.toContain('order.filled');

    const ok = await runCli(['audit', 'verify'], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('audit log OK: 5 entries verified\n');

    const db = new Database(storeFile(cwd));
    db.prepare('UPDATE audit_log SET params = \'{"decision_id":"other","live":false}\' WHERE seq = 3').run();
    const altered = await runCli(['audit', 'verify'], { cwd });
    expect(altered.code).toBe(1);
    expect(altered.stdout).toBe('');
    expect(altered.stderr).toBe('ffe: audit log broken at entry 3: altered: entry 3 (decision.execute) does not match its hash: its content was changed\n');

    const json = await runCli(['audit', 'verify', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, checked: 2, first_problem: { seq: 3, problem: 'altered' } });

    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db.close();
    const missing = await runCli(['audit', 'verify'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('ffe: audit log broken at entry 2: missing: entry 2 is missing (after entry 1)\n');

    const bad = await runCli(['audit', 'list', '--from', 'soon'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ffe: from: not a date/);
  });
});
