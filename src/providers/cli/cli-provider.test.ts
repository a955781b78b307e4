import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { providerInstanceSchema } from '../../config/sections/providers.js';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import { commandProvider, commandSpec, findExecutable } from './cli-provider.js';

const FAKE = resolve(import.meta.dirname, '../../../test/fakes/cli/fake-assistant.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ffe-cli-'));
let logN = 0;
const newLog = () => join(dir, `run-${++logN}.jsonl`);
const runs = (log: string) =>
  readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { argv: string[]; via: string; promptLength: number; hasRules: boolean; pid: number; childPid: number | null });
const cfg = (o: Record<string, unknown>) => providerInstanceSchema.parse(o);
/** Running, not merely an unreaped zombie (containers' init may never reap orphans). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Resolves when `pid` no longer runs (signals are delivered asynchronously); the test timeout bounds it. */
const gone = async (pid: number) => {
  while (alive(pid)) await new Promise((res) => setTimeout(res, 20));
};
/** Resolves once `file` holds a complete line. */
const appears = async (file: string) => {
  while (!(existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'))) await new Promise((res) => setTimeout(res, 20));
};

beforeAll(() => chmodSync(FAKE, 0o755));

describe('assistant CLI presets', () => {
  it('codex: `exec -m MODEL --skip-git-repo-check -` with the prompt on stdin; the fenced JSON is parsed', async () => {
    const log = newLog();
    const p = commandProvider('codex', cfg({ kind: 'cli', preset: 'codex', command: FAKE, model: 'gpt-5', args: [`--fake-log=${log}`] }));
    const r = await p.decide(fakeContext());
    expect(r).toMatchObject({ ok: true, signal: { action: 'SELL', confidence: 75 } });
    const [run] = runs(log);
    expect(run.argv).toEqual(['exec', '--skip-git-repo-check', '-m', 'gpt-5', '-']);
    expect(run.via).toBe('stdin');
    expect(run.hasRules).toBe(true);
    expect(p.kind).toBe('cli');
  });

  it('gemini, qwen and copilot take `-p PROMPT` as an argument', async () => {
    for (const [preset, expected] of [
      ['gemini', ['-m', 'm1']],
      ['qwen', ['-m', 'm1']],
      ['copilot', ['-s', '--model', 'm1']],
    ] as const) {
      const log = newLog();
      const r = await commandProvider(preset, cfg({ kind: 'cli', preset, command: FAKE, model: 'm1', args: [`--fake-log=${log}`] })).decide(fakeContext());
      expect(r.ok, preset).toBe(true);
      const [run] = runs(log);
      expect(run.via, preset).toBe('arg');
      expect(run.argv.slice(0, expected.length), preset).toEqual([...expected]);
      expect(run.argv[run.argv.length - 2], preset).toBe('-p');
      expect(run.promptLength, preset).toBeGreaterThan(500);
    }
  });

  it('a preset rejects a prompt channel it does not support', () => {
    expect(() => commandSpec('cp', cfg({ kind: 'cli', preset: 'copilot', prompt_via: 'stdin' }))).toThrow(/preset copilot takes the prompt as arg, not stdin/);
  });
});

describe('generic command provider', () => {
  it('passes the prompt on stdin by default, or replaces {prompt} in args', async () => {
    const log = newLog();
    const viaStdin = commandProvider('mine', cfg({ kind: 'command', command: process.execPath, args: [FAKE, `--fake-log=${log}`] }));
    expect(await viaStdin.decide(fakeContext())).toMatchObject({ ok: true });
    const viaArg = commandProvider('mine', cfg({ kind: 'command', command: process.execPath, args: [FAKE, `--fake-log=${log}`, '-p', '{prompt}'], prompt_via: 'arg' }));
    expect(await viaArg.decide(fakeContext())).toMatchObject({ ok: true });
    const [a, b] = runs(log);
    expect(a.via).toBe('stdin');
    expect(b.via).toBe('arg');
    expect(b.promptLength).toBe(a.promptLength);
  });

  it('garbage on stdout is INVALID_OUTPUT; a non-zero exit is ERROR with stderr', async () => {
    const garbage = await commandProvider('g', cfg({ kind: 'command', command: FAKE, args: ['--fake-mode=garbage'] })).decide(fakeContext());
    expect(garbage).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
    const failed = await commandProvider('f', cfg({ kind: 'command', command: FAKE, args: ['--fake-mode=fail'] })).decide(fakeContext());
    expect(failed).toMatchObject({ ok: false, code: 'ERROR' });
    expect(!failed.ok && failed.reason).toMatch(/exited with code 3: Error: not logged in/);
  });

  it('a missing executable is NOT_INSTALLED naming the config key, not a crash', async () => {
    const r = await commandProvider('codex', cfg({ kind: 'cli', preset: 'codex', command: 'ffe-no-such-codex' })).decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'NOT_INSTALLED' });
    expect(!r.ok && r.reason).toBe('executable "ffe-no-such-codex" was not found (install it, or set providers.codex.command to its path)');
    expect(findExecutable('ffe-no-such-codex')).toBeNull();
    expect(findExecutable(FAKE)).toBe(FAKE);
  });

  // A shell starts in milliseconds even on a loaded machine (a node fake can take seconds to boot
  // and be killed before it logs anything): it starts a helper, logs both pids, then waits forever.
  it('kills the whole process group at the timeout and returns promptly', async () => {
    const log = newLog();
    const script = `sleep 300 & echo "{\\"pid\\":$$,\\"childPid\\":$!}" >> '${log}'; wait`;
    const p = commandProvider('slow', cfg({ kind: 'command', command: '/bin/sh', args: ['-c', script], timeout_ms: 700 }));
    const t0 = performance.now();
    const r = await p.decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'TIMEOUT', reason: 'no answer within 700 ms' });
    // Promptly: at the deadline, not when the helper (300 s) would have ended.
    expect(performance.now() - t0).toBeLessThan(20_000);
    const [run] = runs(log);
    await Promise.all([gone(run.pid), gone(run.childPid!)]);
  });

  it('a caller cancelling the call kills the group too, helpers included', async () => {
    const log = newLog();
    const p = commandProvider('slow', cfg({ kind: 'command', command: FAKE, args: ['--fake-mode=sleep-with-child', `--fake-log=${log}`], timeout_ms: 600_000 }));
    const ctl = new AbortController();
    const pending = p.decide(fakeContext(), { signal: ctl.signal });
    // Cancel once the assistant has started its helper (it logs right after), however long it took to boot.
    await appears(log);
    ctl.abort();
    expect(await pending).toMatchObject({ ok: false, code: 'ABORTED' });
    const [run] = runs(log);
    expect(run.childPid).toBeTypeOf('number');
    await Promise.all([gone(run.pid), gone(run.childPid!)]);
  });
});
