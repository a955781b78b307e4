import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { span, tracing } from './span.js';

describe('span without a tracing SDK', () => {
  it('tracing() is false and span() runs the step as it is, under no span', async () => {
    expect(tracing()).toBe(false);
    const seen = await span('ffe.test', { a: 1 }, async () => trace.getActiveSpan());
    expect(seen).toBeUndefined();
  });
});
