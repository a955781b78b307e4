import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { redisDatabase } from './redis.js';
import { ensureInstalled, SERVICES, TOOLS, type ServiceSpec } from './services.js';

const spec = (binary: string): ServiceSpec => ({ name: binary, binary, debianPackages: [`${binary}-pkg`], start: async () => ({ url: '', stop: async () => {} }) });

describe('test services: provisioning', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('every service and tool the registry names is on PATH for this run', () => {
    expect(() => ensureInstalled([...SERVICES, ...TOOLS], { isRoot: false })).not.toThrow();
  });

  it('a missing binary for a non-root user stops the run with one line naming the exact install command', () => {
    let message = '';
    try {
      ensureInstalled([spec('ffe-no-such-server')], { isRoot: false });
    } catch (e) {
      message = (e as Error).message;
      expect((e as Error).stack).toBe(message);
    }
    expect(message).toBe('npm test needs ffe-no-such-server: install with: sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends ffe-no-such-server-pkg');
    expect(message).not.toContain('\n');
  });

  it('as root, a missing binary is installed from Debian with apt-get, once for all missing services', () => {
    const bin = mkdtempSync(join(tmpdir(), 'ffe-bin-'));
    process.env.PATH = `${bin}${delimiter}${savedPath}`;
    const calls: string[] = [];
    ensureInstalled([spec('ffe-fake-a'), spec('ffe-fake-b')], {
      isRoot: true,
      run: (cmd, args) => {
        calls.push([cmd, ...args].join(' '));
        // What apt would do: put the binaries on PATH.
        if (args[0] !== 'install') return;
        for (const b of ['ffe-fake-a', 'ffe-fake-b']) {
          writeFileSync(join(bin, b), '#!/bin/sh\n');
          chmodSync(join(bin, b), 0o755);
        }
      },
    });
    expect(calls).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends ffe-fake-a-pkg ffe-fake-b-pkg']);
  });

  it('as root, an install that fails or leaves the binary missing is one clear line', () => {
    expect(() => ensureInstalled([spec('ffe-no-such-server')], { isRoot: true, run: () => {} })).toThrow(/^npm test needs ffe-no-such-server; apt-get installed ffe-no-such-server-pkg but it is not on PATH$/);
    expect(() =>
      ensureInstalled([spec('ffe-no-such-server')], {
        isRoot: true,
        run: () => {
          throw new Error('E: Unable to locate package\nmore');
        },
      }),
    ).toThrow(/^npm test needs ffe-no-such-server; installing failed \(E: Unable to locate package\): run: apt-get update/);
  });
});

describe('test services: the shared Redis', () => {
  it('answers on loopback, and each caller gets a database of its own', async () => {
    const url = inject('services').redis;
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const [a, b] = await Promise.all([redisDatabase(url), redisDatabase(url)]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/([1-9]\d*)$/);
    const [ca, cb] = [new Redis(a), new Redis(b)];
    try {
      await ca.set('k', 'from-a');
      expect(await ca.get('k')).toBe('from-a');
      expect(await cb.exists('k')).toBe(0);
    } finally {
      ca.disconnect();
      cb.disconnect();
    }
  });
});
