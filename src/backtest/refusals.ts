/** One entry the risk gate (or the order path) refused: the shape of BacktestResult.rejections. */
export interface Refusal {
  pair: string;
  time: number;
  reason: string;
}

/**
 * The refusals of a run as columns while it runs: a time, and the pair and the reason as indexes
 * into the distinct texts seen (16 bytes a refusal, outside the JS heap). A 1 M-bar run through
 * the execution path refuses 234 k entries with ~3 k distinct reasons; as objects they were
 * ~17 MB of the run's live heap, promoted at random moments among short-lived garbage, so the
 * old generation's pages each kept a few of them and V8 could free ever fewer: its committed
 * heap drifted up through the run. `list()` builds the objects once, when a caller reads them.
 */
export class RefusalLog {
  private times = new Float64Array(1024);
  private pairs = new Uint32Array(1024);
  private reasons = new Uint32Array(1024);
  private n = 0;
  private readonly texts: string[] = [];
  private readonly index = new Map<string, number>();

  get length(): number {
    return this.n;
  }

  add(pair: string, time: number, reason: string): void {
    this.write(pair, time, this.indexOf(reason));
  }

  /** One row of the columns, its reason given as the index of its text. */
  private write(pair: string, time: number, reason: number): void {
    const n = this.n;
    if (n === this.times.length) this.grow(n * 2);
    this.times[n] = time;
    this.pairs[n] = this.indexOf(pair);
    this.reasons[n] = reason;
    this.n = n + 1;
  }

  /**
   * `add` with the reason a gate's denials make ("CODE: message; ..."), written and looked up
   * only when they differ from the last denials added: a run refuses bar after bar for the same
   * reasons, and each line was a new string to build and hash.
   */
  addDenials(pair: string, time: number, denials: readonly { code: string; message: string }[]): void {
    const last = this.lastDenials;
    let same = last.length === denials.length * 2;
    for (let k = 0; same && k < denials.length; k++) same = last[2 * k] === denials[k].code && last[2 * k + 1] === denials[k].message;
    if (!same) {
      this.lastReason = this.indexOf(denials.map((x) => `${x.code}: ${x.message}`).join('; '));
      last.length = 0;
      for (const x of denials) last.push(x.code, x.message);
    }
    this.write(pair, time, this.lastReason);
  }

  /** The codes and messages of the last `addDenials`, one after the other, and the index of their line. */
  private readonly lastDenials: string[] = [];
  private lastReason = -1;

  /** The refusals in the order they were added; equal texts are one string. */
  list(): Refusal[] {
    const out = new Array<Refusal>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = { pair: this.texts[this.pairs[i]], time: this.times[i], reason: this.texts[this.reasons[i]] };
    return out;
  }

  private indexOf(text: string): number {
    let k = this.index.get(text);
    if (k === undefined) this.index.set(text, (k = this.texts.push(text) - 1));
    return k;
  }

  private grow(size: number): void {
    const times = new Float64Array(size);
    const pairs = new Uint32Array(size);
    const reasons = new Uint32Array(size);
    times.set(this.times);
    pairs.set(this.pairs);
    reasons.set(this.reasons);
    this.times = times;
    this.pairs = pairs;
    this.reasons = reasons;
  }
}
