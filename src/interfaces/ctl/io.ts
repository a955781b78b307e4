import { redact } from '../../core/redact.js';

/**
 * Everything one `ffe-ctl` invocation touches outside itself: environment, output streams, stdin.
 * Tests run `main` in process with their own; the binary passes the process's.
 */
export interface CtlIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The whole of stdin (for `--password-stdin`). */
  readStdin: () => Promise<string>;
  /** Asks on the terminal; null when there is no terminal to ask on. */
  prompt: ((question: string, hidden: boolean) => Promise<string>) | null;
}

/** The credentials this invocation knows; every line that leaves the process is scrubbed of them. */
export class Secrets {
  readonly #values = new Set<string>();
  add(...values: (string | undefined | null)[]): void {
    for (const v of values) if (v) this.#values.add(v);
  }
  scrub(text: string): string {
    return redact(text, [...this.#values]);
  }
}

/** Output of one invocation: stdout for results, stderr for progress and errors, both scrubbed. */
export class Out {
  constructor(
    readonly io: CtlIo,
    readonly secrets: Secrets,
  ) {}
  line(text: string): void {
    this.io.stdout(`${this.secrets.scrub(text)}\n`);
  }
  json(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }
  note(text: string): void {
    this.io.stderr(`${this.secrets.scrub(text)}\n`);
  }
}
