import { runWithDeadline } from '../../lib/deadline.js';
import type { AnalysisContext, DecideOptions, DecisionProvider, ProviderFailureCode, ProviderResult, ProviderUsage } from '../port.js';
import { ProviderCallError, redact } from './call-error.js';
import type { Fingerprinted, Probeable, ProbeResult, RequestFingerprint } from './capabilities.js';
import { parseDecision } from './parse.js';
import { buildPrompt, PROMPT_VERSION, promptText, type LlmPrompt } from './prompt.js';

export interface Completion {
  text: string;
  usage?: ProviderUsage;
  /** Set once the server refused the configured structured-output mode and a weaker one is used. */
  formatDowngrade?: string | null;
}

/** How one kind of LLM is reached (HTTP server, child process). Throws ProviderCallError on failure. */
export interface LlmTransport {
  readonly kind: string;
  readonly model: string | null;
  /** Request settings that change the answer; part of the cassette key. Never secrets. */
  readonly parameters: Record<string, unknown>;
  /** Values to scrub from every failure reason. */
  readonly secrets: readonly string[];
  complete(prompt: LlmPrompt, signal: AbortSignal): Promise<Completion>;
  /** A cheap reachability check (no generation); resolves with a short description. */
  probe(signal: AbortSignal): Promise<string>;
}

/**
 * The shared LLM flow: one prompt builder, the transport under a per-provider deadline, and the
 * output parser. A bad or missing answer is a typed failure with its reason, never a HOLD vote.
 */
export class LlmProvider implements DecisionProvider, Fingerprinted, Probeable {
  constructor(
    readonly name: string,
    private readonly transport: LlmTransport,
    readonly timeoutMs: number,
  ) {}

  get kind(): string {
    return this.transport.kind;
  }

  get model(): string | null {
    return this.transport.model;
  }

  fingerprint(ctx: AnalysisContext): RequestFingerprint {
    return { parameters: { ...this.transport.parameters, prompt_version: PROMPT_VERSION }, prompt: promptText(buildPrompt(ctx)) };
  }

  async decide(ctx: AnalysisContext, opts: DecideOptions = {}): Promise<ProviderResult> {
    const t0 = performance.now();
    const fail = (code: ProviderFailureCode, reason: string, usage?: ProviderUsage): ProviderResult => ({
      ok: false,
      code,
      reason: redact(reason, this.transport.secrets),
      latencyMs: performance.now() - t0,
      ...(usage ? { usage } : {}),
    });
    try {
      const out = await runWithDeadline(this.timeoutMs, opts.signal, (signal) => this.transport.complete(buildPrompt(ctx), signal));
      if (out.status === 'timeout') return fail('TIMEOUT', `no answer within ${this.timeoutMs} ms`);
      if (out.status === 'aborted') return fail('ABORTED', 'cancelled by the caller');
      const { text, usage, formatDowngrade } = out.value;
      // Scrubbed before parsing: failure reasons quote the answer, cut short, and a cut key is unrecognisable.
      const parsed = parseDecision(redact(text, this.transport.secrets));
      if (!parsed.ok) return fail('INVALID_OUTPUT', parsed.reason, usage);
      const metadata: Record<string, unknown> = {};
      if (usage) metadata.tokens = { prompt: usage.promptTokens ?? null, completion: usage.completionTokens ?? null };
      if (parsed.ignoredHints.length) metadata.ignored_hints = parsed.ignoredHints;
      if (formatDowngrade) metadata.structured_output_fallback = redact(formatDowngrade, this.transport.secrets);
      return { ok: true, signal: parsed.signal, latencyMs: performance.now() - t0, ...(usage ? { usage } : {}), metadata };
    } catch (e) {
      if (e instanceof ProviderCallError) return fail(e.code, e.message);
      return fail('ERROR', (e as Error)?.message ?? String(e));
    }
  }

  async probe(timeoutMs: number): Promise<ProbeResult> {
    try {
      const out = await runWithDeadline(timeoutMs, undefined, (signal) => this.transport.probe(signal));
      if (out.status === 'ok') return { reachable: true, detail: out.value };
      return { reachable: false, detail: `no answer within ${timeoutMs} ms` };
    } catch (e) {
      return { reachable: false, detail: redact((e as Error)?.message ?? String(e), this.transport.secrets) };
    }
  }
}
