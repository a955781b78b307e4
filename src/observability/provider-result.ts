import type { ProviderResult } from '../providers/port.js';
import { annotate } from './span.js';

/** The answer on the provider's span: the action, or the failure code (never the reason, which may quote a response). */
export function annotateResult(r: ProviderResult): void {
  annotate(r.ok ? { 'ffe.action': r.signal.action, 'ffe.confidence': r.signal.confidence, 'ffe.ok': true } : { 'ffe.ok': false, 'error.code': r.code });
}
