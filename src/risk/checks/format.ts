/** Fractions in messages: 0.0523 → "5.23%". */
export const pct = (f: number): string => `${(f * 100).toFixed(2)}%`;

/**
 * `pct` of the last fraction asked, written again only when it changes: a limit's text in a denial
 * that a backtest writes anew on every bar (toFixed is a runtime call). One per call site.
 */
export class LastPct {
  private f: number | undefined;
  private text = '';

  get(f: number): string {
    // NaN never equals itself: written every time.
    if (f !== this.f) {
      this.text = pct(f);
      this.f = f;
    }
    return this.text;
  }
}

/**
 * The text `write` last wrote and the values it wrote it from (up to five; pass 0 for unused
 * ones). A backtest's gate refuses an entry on bar after bar from the same numbers (a flat book's
 * equity and peak, a day's ATR and returns) and wrote the same denial text anew each time; one
 * per call site.
 */
export class LastText<A extends number | string, B extends number | string, C extends number | string, D extends number | string, E extends number | string> {
  private a: A | undefined;
  private b: B | undefined;
  private c: C | undefined;
  private d: D | undefined;
  private e: E | undefined;
  private text = '';

  get(a: A, b: B, c: C, d: D, e: E, write: (a: A, b: B, c: C, d: D, e: E) => string): string {
    // NaN never equals itself: a NaN key writes the text again, never a wrong one.
    if (a !== this.a || b !== this.b || c !== this.c || d !== this.d || e !== this.e) {
      this.text = write(a, b, c, d, e);
      this.a = a;
      this.b = b;
      this.c = c;
      this.d = d;
      this.e = e;
    }
    return this.text;
  }
}
