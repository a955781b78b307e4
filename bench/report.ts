/**
 * The goals table every suite contributes to: one row per measured goal with our figure, the
 * peer's figure from the same run (where one exists), their ratio, the goal and whether it is met.
 * `run.ts` prints it after the suites with the machine's load, so `npm run bench` ends with the
 * table a closing note copies. Suites keep their own detailed lines; this is the summary.
 */
import { availableParallelism, loadavg } from 'node:os';

export interface GoalRow {
  /** Suite or area, e.g. "startup", "indicators". */
  area: string;
  /** What was measured, e.g. "ffe --help (wall)". */
  what: string;
  /** Our figure with its unit, e.g. "92 ms" or "312,000 bars/s". */
  ours: string;
  /** The peer's figure measured in the same run, with what the peer is, e.g. "Tulip C 41 ms". */
  peer?: string;
  /** Ours relative to the peer or goal in the direction the goal reads, e.g. "1.3× Tulip". */
  ratio?: string;
  /** The goal as the issue states it, e.g. "≤ 150 ms", "≤ 1.5× Tulip C". */
  goal: string;
  /** true met, false short, null not judged here (e.g. needs an idle machine). */
  met: boolean | null;
  /** Anything a reader needs to trust the figure (CPU vs wall, load during the case). */
  note?: string;
}

const rows: GoalRow[] = [];

export function recordGoal(row: GoalRow): void {
  rows.push({ ...row, note: row.note ?? `load ${loadavg()[0].toFixed(1)}` });
}

export function goalRows(): readonly GoalRow[] {
  return rows;
}

/** One line naming the machine and how busy it was, printed with every table. */
export function machineLine(): string {
  const [one, five] = loadavg();
  return `machine: ${availableParallelism()} cores, node ${process.version}, load average ${one.toFixed(1)} (1 min) ${five.toFixed(1)} (5 min)`;
}

const cell = (s: string | undefined) => (s ?? '—').replace(/\|/g, '\\|');

/** Markdown table of every recorded goal (copyable into a closing note). */
export function goalsTable(list: readonly GoalRow[] = rows): string {
  const head = '| area | what | ours | peer (same run) | ratio | goal | met | note |\n|---|---|---|---|---|---|---|---|';
  const body = list.map((r) => `| ${[r.area, r.what, r.ours, r.peer, r.ratio, r.goal, r.met === null ? 'n/j' : r.met ? 'yes' : 'NO', r.note].map(cell).join(' | ')} |`);
  return [head, ...body].join('\n');
}
