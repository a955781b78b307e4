import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './serve.js';

describe('isLoopbackHost', () => {
  it('accepts only addresses no other machine can reach', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', 'example.com', 'localhost.evil.com', '::ffff:10.0.0.1', '']) expect([h, isLoopbackHost(h)]).toEqual([h, false]);
  });
});
