import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeLlmServer } from '../fakes/openai-server.js';
import { runCli, tempCwd } from '../support/cli.js';

const KEY = 'sk-e2e-secret-4242424242';
let good: FakeLlmServer;
let garbage: FakeLlmServer;

function workspace(extraYaml = ''): string {
  const cwd = tempCwd('ffe-ensemble-');
  mkdirSync(join(cwd, 'config'));
  writeFileSync(
    join(cwd, 'config/config.yaml'),
    `providers:
  good:
    kind: openai
    model: fake-model
    base_url: ${good.url}/v1
    api_key: \${FAKE_LLM_KEY}
    timeout_ms: 5000
  garbage:
    kind: openai
    model: fake-model
    base_url: ${garbage.url}/v1
    timeout_ms: 5000
${extraYaml}`,
  );
  return cwd;
}

const analyze = async (cwd: string, env: Record<string, string> = {}) => {
  const r = await runCli(['analyze', 'BTCUSD', '--provider', 'ensemble', '--json'], { cwd, env: { FAKE_LLM_KEY: KEY, ...env } });
  expect(r.code, r.stderr).toBe(0);
  // stderr carries only the log lines of failed providers.
  const logs = r.stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logs.every((l) => l.msg === 'provider failed')).toBe(true);
  expect(r.stderr).not.toContain(KEY);
  return { decision: JSON.parse(r.stdout) as Record<string, any>, stdout: r.stdout, logs };
};

beforeAll(async () => {
  good = await startFakeOpenAi({ answer: { action: 'BUY', confidence: 72, reasoning: 'fake model: trend up', stop_loss_fraction: 0.03, take_profit_fraction: null, size_fraction: null } });
  garbage = await startFakeOpenAi({ mode: 'malformed' });
});
afterAll(async () => {
  await good.close();
  await garbage.close();
});

describe('ffe analyze --provider ensemble (rules + a good and a garbage OpenAI-compatible server)', () => {
  it('decides from the members that answered and shows the failure and the renormalised weights', async () => {
    const cwd = workspace();
    const { decision: d, stdout, logs } = await analyze(cwd);
    expect(logs).toEqual([expect.objectContaining({ level: 40, name: 'ffe.providers', provider: 'garbage', code: 'INVALID_OUTPUT' })]);
    const m = d.metadata;
    expect(d.provider).toBe('ensemble');
    expect(m.providers_used).toEqual(['rules', 'good']);
    expect(m.providers_failed).toHaveLength(1);
    expect(m.providers_failed[0]).toMatchObject({ provider: 'garbage', code: 'INVALID_OUTPUT' });
    expect(m.providers_failed[0].reason).toMatch(/^no JSON object in the answer/);
    expect(m.original_weights).toEqual({ rules: 0.333, good: 0.333, garbage: 0.333 });
    expect(m.adjusted_weights).toEqual({ rules: 0.5, good: 0.5 });
    expect(m.weight_adjustment_applied).toBe(true);
    // Two different actions with unequal weighted confidence: the first tier decides, and picks the heavier side.
    const power: Record<string, number> = {};
    for (const v of m.provider_votes as { action: string; confidence: number; weight: number }[]) power[v.action] = (power[v.action] ?? 0) + v.weight * v.confidence;
    const ranked = Object.entries(power).sort((a, b) => b[1] - a[1]);
    expect(ranked.length).toBe(2);
    expect(ranked[0][1]).not.toBe(ranked[1][1]);
    expect(m.fallback_tier).toBe('weighted');
    expect(d.signal.action).toBe(ranked[0][0]);
    expect(m.votes.BUY.providers).toContain('good');
    expect(m.provider_votes.map((v: { provider: string }) => v.provider)).toEqual(['rules', 'good']);
    // Two local members answered (rules and the loopback server) of the three required.
    expect(m).toMatchObject({ local_providers_answered: 2, min_local_providers: 3, quorum_penalty_applied: true });
    expect(Object.keys(m.latency_ms)).toEqual(['rules', 'good', 'garbage']);
    expect(m.tokens.good).toEqual({ prompt: 321, completion: 54 });
    expect(d.metadata.degraded).toBeUndefined();
    // The key reached the server, and nowhere else.
    expect(good.generations.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(stdout).not.toContain(KEY);
    expect(readFileSync(join(cwd, 'data/ffe.db')).includes(KEY)).toBe(false);
  });

  it('a replayed analysis gives an identical decision with zero calls to the servers', async () => {
    const cwd = workspace();
    const recorded = (await analyze(cwd, { CASSETTE_MODE: 'record' })).decision;
    const calls = good.generations.length + garbage.generations.length;
    const replayed = (await analyze(cwd, { CASSETTE_MODE: 'strict' })).decision;
    expect(good.generations.length + garbage.generations.length).toBe(calls);
    expect(replayed.id).not.toBe(recorded.id);
    // Identical but for the record's id and wall-clock time, and the rules provider's own timing (it is computed, not recorded).
    const comparable = (d: Record<string, any>) => ({ ...d, id: null, createdAt: null, metadata: { ...d.metadata, latency_ms: { ...d.metadata.latency_ms, rules: null } } });
    expect(comparable(replayed)).toEqual(comparable(recorded));
    expect(replayed.metadata.latency_ms.good).toBe(recorded.metadata.latency_ms.good);
    // Strict with nothing recorded for a new question is a typed miss, never a live call.
    const fresh = workspace();
    // In strict mode a miss fails the command (exit 1, one line naming each miss) and stores nothing.
    const missed = await runCli(['analyze', 'BTCUSD', '--provider', 'ensemble', '--json'], { cwd: fresh, env: { FAKE_LLM_KEY: KEY, CASSETTE_MODE: 'strict' } });
    expect(good.generations.length + garbage.generations.length).toBe(calls);
    expect(missed.code).toBe(1);
    expect(missed.stderr).toMatch(/cassette miss \(cassette.mode strict\): good: .*garbage: /);
    expect(missed.stdout).toBe('');
  });

  it('when every member fails, the rules fallback answers and the decision is marked degraded with the reasons', async () => {
    const cwd = workspace('ensemble:\n  providers: [garbage]\n');
    const { decision: d } = await analyze(cwd);
    expect(d.provider).toBe('rules');
    expect(d.metadata).toMatchObject({ degraded: true, fallbackUsed: 'rules', providers_used: [], providerFailure: { provider: 'ensemble', code: 'ERROR' } });
    expect(d.metadata.providerFailure.reason).toMatch(/^all 1 ensemble members failed: garbage \(INVALID_OUTPUT: no JSON object/);
    expect(d.metadata.providers_failed[0].provider).toBe('garbage');
  });
});

describe('ffe providers', () => {
  it('list shows kind, model, weight, locality and reachability of each provider', async () => {
    const cwd = workspace('  codex:\n    kind: cli\n    preset: codex\n    command: ffe-missing-codex\n');
    const r = await runCli(['providers', 'list', '--json'], { cwd, env: { FAKE_LLM_KEY: KEY } });
    expect(r.code).toBe(0);
    const rows = Object.fromEntries(JSON.parse(r.stdout).providers.map((p: { name: string }) => [p.name, p]));
    expect(rows.rules).toMatchObject({ kind: 'rules', local: true, reachable: true, inEnsemble: true });
    expect(rows.good).toMatchObject({ kind: 'openai', model: 'fake-model', weight: 1, local: true, reachable: true });
    expect(rows.codex).toMatchObject({ kind: 'cli', local: false, reachable: false, reachability: 'executable "ffe-missing-codex" not found on PATH' });
    expect(r.stdout).not.toContain(KEY);
  });

  it('test NAME is a real timed round trip; a missing executable is a clear failure with exit 1', async () => {
    const cwd = workspace('  codex:\n    kind: cli\n    preset: codex\n    command: ffe-missing-codex\n');
    const before = good.generations.length;
    const ok = await runCli(['providers', 'test', 'good', '--json'], { cwd, env: { FAKE_LLM_KEY: KEY } });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).results[0]).toMatchObject({ name: 'good', ok: true, action: 'BUY', confidence: 72, tokens: 375 });
    expect(good.generations.length).toBe(before + 1);
    const missing = await runCli(['providers', 'test', 'codex'], { cwd, env: { FAKE_LLM_KEY: KEY } });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/FAILED NOT_INSTALLED/);
    expect(missing.stderr).toMatch(/1 of 1 provider\(s\) failed: codex \(NOT_INSTALLED: executable "ffe-missing-codex" was not found/);
  });
});
