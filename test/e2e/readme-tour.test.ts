import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, tempCwd } from '../support/cli.js';

/** The README's tour block: the ```sh fence right after the sentence that introduces it. */
export function tourLines(readme: string): string[] {
  const at = readme.indexOf('A tour on the bundled data');
  if (at < 0) throw new Error('README has no tour');
  const fence = readme.slice(at).match(/```sh\n([\s\S]*?)```/);
  if (!fence) throw new Error('README tour has no sh block');
  return fence[1]
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

/** Splits one shell command into words (plain words, '…' and "…" quoting; no expansion). */
export function words(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

describe('e2e: the README tour runs in order on a fresh data home and leaves a consistent account', () => {
  it('parses the tour (guards against a vacuous run)', () => {
    const lines = tourLines(readFileSync(join(REPO, 'README.md'), 'utf8'));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.some((l) => l.includes('run-agent') && l.includes('--replay'))).toBe(true);
    expect(lines.some((l) => l.includes('execute'))).toBe(true);
    expect(words(`npx ffe a "B C" 'd e' --x`)).toEqual(['npx', 'ffe', 'a', 'B C', 'd e', '--x']);
  });

  it('every tour command exits 0, and `ffe reconcile` is clean at the end', { timeout: 1_200_000 }, async () => {
    const cwd = tempCwd('ffe-tour-');
    const lines = tourLines(readFileSync(join(REPO, 'README.md'), 'utf8'));
    let lastDecision: string | null = null;
    for (const line of lines) {
      for (const command of line.split('&&').map((c) => c.trim())) {
        const w = words(command);
        expect(w.slice(0, 2), command).toEqual(['npx', 'ffe']);
        let args = w.slice(2);
        if (command.includes('<id from above>')) {
          expect(lastDecision, 'the tour executes a decision it made').not.toBeNull();
          args = words(command.replace('<id from above>', lastDecision!)).slice(2);
        }
        // Generous: the year-long replay is ~70 s of CPU alone, and CI machines are shared.
        const r = await runCli(args, { cwd, timeoutMs: 900_000 });
        expect(r.code, `${command}\n${r.stderr.slice(-2000)}`).toBe(0);
        if (args[0] === 'analyze') {
          const h = await runCli(['history', '--limit', '1', '--json'], { cwd });
          expect(h.code, h.stderr).toBe(0);
          const parsed = JSON.parse(h.stdout) as { id: string }[] | { decisions: { id: string }[] };
          const list = Array.isArray(parsed) ? parsed : parsed.decisions;
          lastDecision = list[0].id;
          // The human output names the decision so a reader can copy it into the next line.
          expect(r.stdout).toContain(lastDecision);
        }
      }
    }
    const rec = await runCli(['reconcile', '--json'], { cwd });
    expect(rec.code, rec.stderr).toBe(0);
    expect(JSON.parse(rec.stdout)).toMatchObject({ ok: true });
    const status = await runCli(['status', '--json'], { cwd });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).not.toMatch(/"halted":\s*true/);
  });
});
