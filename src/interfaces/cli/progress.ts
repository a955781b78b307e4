/**
 * Progress of a long run on stderr. On a terminal: one bar redrawn in place. Otherwise (a pipe,
 * a log file, CI): a plain line at each tenth of the way, at most 11 lines however long the run.
 */
export interface Progress {
  update(fraction: number, detail?: string): void;
  /** Draws 100 % (once) and ends the bar's line. */
  done(detail?: string): void;
}

export function progress(label: string, opts: { tty?: boolean; write?: (s: string) => void; now?: () => number } = {}): Progress {
  const tty = opts.tty ?? process.stderr.isTTY === true;
  const write = opts.write ?? ((s: string) => void process.stderr.write(s));
  const now = opts.now ?? Date.now;
  let step = -1;
  let drawnAt = -Infinity;
  let finished = false;
  const bar = (f: number, detail: string) => {
    const w = 30;
    write(`\r${label} [${'#'.repeat(Math.round(f * w)).padEnd(w, '.')}] ${`${Math.floor(f * 100)}`.padStart(3)}%${detail ? ` ${detail}` : ''}\x1b[K`);
  };
  return {
    update(fraction, detail = '') {
      if (finished) return;
      const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
      if (tty) {
        // A redraw per replayed hour would be thousands of writes a second; ten a second is plenty.
        if (now() - drawnAt < 100) return;
        drawnAt = now();
        bar(f, detail);
        return;
      }
      const s = Math.floor(f * 10);
      if (s <= step) return;
      step = s;
      write(`${label} ${s * 10}%${detail ? `: ${detail}` : ''}\n`);
    },
    done(detail = '') {
      if (finished) return;
      if (tty) {
        bar(1, detail);
        write('\n');
      } else if (step < 10) write(`${label} 100%${detail ? `: ${detail}` : ''}\n`);
      finished = true;
    },
  };
}
