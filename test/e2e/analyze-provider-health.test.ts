import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeLlmServer } from '../fakes/openai-server.js';
import { runCli, tempCwd } from '../support/cli.js';

let hanging: FakeLlmServer;

function workspace(yaml: string): string {
  const cwd = tempCwd('ffe-health-');
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), yaml);
  return cwd;
}

const llm = (url: string, extra = '') => `providers:\n  llm:\n    kind: openai\n    model: fake-model\n    base_url: ${url}/v1\n    timeout_ms: 300\n${extra}`;

beforeAll(async () => {
  hanging = await startFakeOpenAi({ mode: 'hang' });
});
afterAll(() => hanging.close());

describe('human `ffe analyze` says when a decision is degraded and why', () => {
  it('a provider that times out: DEGRADED, which provider, that it timed out, who answered', async () => {
    const r = await runCli(['analyze', 'BTCUSD', '--provider', 'llm'], { cwd: workspace(llm(hanging.url)) });
    expect(r.code, r.stderr).toBe(0);
    const first = r.stdout.split('\n')[0];
    expect(first).toMatch(/^DEGRADED decision: llm timed out \(TIMEOUT/);
    expect(first).toMatch(/the fallback provider rules answered instead/);
  });

  it('an ensemble member that times out is named, without calling the decision degraded', async () => {
    const r = await runCli(['analyze', 'BTCUSD', '--provider', 'ensemble'], { cwd: workspace(llm(hanging.url)) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ensemble members that did not answer: llm timed out \(TIMEOUT\)/);
    expect(r.stdout).not.toMatch(/DEGRADED/);
  });

  it('cassette.mode strict: a miss fails the command (exit 1, one line) instead of falling back to rules', async () => {
    const cwd = workspace(`${llm(hanging.url)}cassette:\n  mode: strict\n`);
    const asked = hanging.requests.length;
    const r = await runCli(['analyze', 'BTCUSD', '--provider', 'llm'], { cwd });
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('ffe:')),
    ).toEqual([expect.stringMatching(/^ffe: cassette miss \(cassette\.mode strict\): llm: no recorded answer of llm/)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(hanging.requests.length).toBe(asked);
    const history = await runCli(['history', '--json'], { cwd });
    expect(JSON.parse(history.stdout)).toEqual([]);
  });
});
