import { ProviderCallError } from './call-error.js';

export type StructuredOutput = 'json_schema' | 'json_object' | 'none';

/** The next weaker way to ask for JSON; the prompt itself always asks for the answer's shape. */
const WEAKER: Record<StructuredOutput, StructuredOutput | null> = { json_schema: 'json_object', json_object: 'none', none: null };
const WEAKNESS: Record<StructuredOutput, number> = { json_schema: 0, json_object: 1, none: 2 };

/**
 * Whether a failure is the server refusing the requested output format. Servers differ (older
 * vLLM and llama.cpp builds, LM Studio without json_object, models without schema support), but
 * all answer 400/422 (llama.cpp: 500) naming the parameter in their own words — which is all
 * that is read, so a base URL with "format" in it changes nothing.
 */
export const refusesFormat = (e: unknown): boolean =>
  e instanceof ProviderCallError &&
  e.code === 'HTTP' &&
  /^HTTP (400|422|500) /.test(e.message) &&
  /response_format|json_schema|json_object|\bformat\b|grammar|tool_choice|\btools\b|response_?schema|response_?mime_?type/i.test(e.detail ?? '');

/**
 * The structured-output mode a transport asks with: the configured one until the server refuses
 * it, then the next weaker one that works, kept for the transport's lifetime (one refused call,
 * not one per decision). The answer is parsed and validated the same way in every mode.
 */
export class FormatFallback {
  private current: StructuredOutput;
  private note: string | null = null;

  constructor(readonly configured: StructuredOutput) {
    this.current = configured;
  }

  get mode(): StructuredOutput {
    return this.current;
  }

  /** Why the mode is not the configured one, or null. */
  get downgrade(): string | null {
    return this.note;
  }

  async run<T>(attempt: (mode: StructuredOutput) => Promise<T>): Promise<T> {
    const first = this.current;
    let refused: Error | null = null;
    for (let mode = first; ;) {
      try {
        const out = await attempt(mode);
        // Kept only once a weaker mode has worked (an unrelated 400 that mentions "format" changes
        // nothing), and never back up to a stronger one a concurrent call has already left.
        if (refused && WEAKNESS[mode] > WEAKNESS[this.current]) {
          this.note = `the server refused structured output "${first}" (${refused.message}); asking with "${mode}" from now on`;
          this.current = mode;
        }
        return out;
      } catch (e) {
        const weaker = WEAKER[mode];
        if (!weaker || !refusesFormat(e)) throw e;
        refused ??= e as Error;
        mode = weaker;
      }
    }
  }
}
