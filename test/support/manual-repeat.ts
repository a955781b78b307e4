import type { Repeat } from '../../src/application/runtime.js';

export interface ManualRepeat {
  /** What a Runtime takes as `repeat`. */
  repeat: Repeat;
  /** Every task ever started, with whether it was stopped. */
  tasks: { everyMs: number; stopped: boolean }[];
  /** One period passes: every task not stopped runs once. */
  tick(): void;
}

/** A `Repeat` the test drives: nothing runs until `tick()`. */
export function manualRepeat(): ManualRepeat {
  const started: { run: () => void; everyMs: number; stopped: boolean }[] = [];
  return {
    repeat: (run, everyMs) => {
      const t = { run, everyMs, stopped: false };
      started.push(t);
      return () => void (t.stopped = true);
    },
    get tasks() {
      return started.map(({ everyMs, stopped }) => ({ everyMs, stopped }));
    },
    tick: () => started.filter((t) => !t.stopped).forEach((t) => t.run()),
  };
}
