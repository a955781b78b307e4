import { describe, expect, it } from 'vitest';
import { progress } from './progress.js';

describe('progress', () => {
  it('off a terminal prints at most 11 plain lines for any number of updates, ending at 100 %', () => {
    const out: string[] = [];
    const p = progress('replay', { tty: false, write: (s) => out.push(s) });
    for (let i = 0; i <= 8784; i++) p.update(i / 8784, `cycle ${i}`);
    p.done('finished');
    p.done('again');
    const lines = out.join('').split('\n').filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines[0]).toBe('replay 0%: cycle 0');
    expect(lines.at(-1)).toMatch(/^replay 100%: cycle 8784$/);
    expect(out.join('')).not.toMatch(/\r|\x1b/);
  });

  it('says 100 % once when the run ends short of it (a stopped replay)', () => {
    const out: string[] = [];
    const p = progress('replay', { tty: false, write: (s) => out.push(s) });
    p.update(0.42);
    p.done('stopped');
    expect(out).toEqual(['replay 40%\n', 'replay 100%: stopped\n']);
  });

  it('on a terminal redraws one line in place, at most ten times a second, and ends it', () => {
    const out: string[] = [];
    let t = 0;
    const p = progress('replay', { tty: true, write: (s) => out.push(s), now: () => t });
    for (let i = 0; i < 1000; i++) {
      t += 1;
      p.update(i / 1000);
    }
    p.done();
    expect(out.length).toBeLessThanOrEqual(12);
    expect(out[0].startsWith('\rreplay [')).toBe(true);
    expect(out.at(-2)).toMatch(/\[#{30}\] 100%/);
    expect(out.at(-1)).toBe('\n');
    expect(out.join('').split('\n')).toHaveLength(2);
  });
});
