/**
 * Per-asset failure counts that halve every `halfLifeMs`, so an asset that failed a burst of
 * times is skipped for a while and then tried again without anyone resetting it.
 */
export class DecayingCounter {
  private readonly counts = new Map<string, { value: number; at: number }>();

  constructor(private readonly halfLifeMs: number) {}

  value(key: string, now: number): number {
    const c = this.counts.get(key);
    if (!c) return 0;
    return c.value * 0.5 ** (Math.max(0, now - c.at) / this.halfLifeMs);
  }

  add(key: string, now: number, by = 1): number {
    const v = this.value(key, now) + by;
    this.counts.set(key, { value: v, at: now });
    return v;
  }
}
