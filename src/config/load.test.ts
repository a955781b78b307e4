import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import { configLeaves } from './introspect.js';
import { loadConfig, redactConfig, secretValues } from './load.js';
import { configSchema } from './schema.js';

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'ffe-cfg-'));
  mkdirSync(join(d, 'config'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, 'config', name), text);
  return d;
}

describe('loadConfig', () => {
  it('gives the schema defaults with no files and no env', () => {
    const { config, sources } = loadConfig({ cwd: dir(), env: {} });
    expect(config.data.source).toBe('bundled');
    expect(config.persistence.sqlite_path).toBe('./data/ffe.db');
    expect(config.trading.mode).toBe('paper');
    expect(config.data.freshness.crypto).toEqual({ warn_minutes: 5, stale_minutes: 15 });
    expect(sources).toEqual(['defaults']);
  });

  it('applies precedence env > config.local.yaml > config.yaml > defaults', () => {
    const cwd = dir({
      'config.yaml': 'decision_engine:\n  decision_threshold: 0.5\n  ai_provider: rules\nsizing:\n  risk_fraction: 0.02\n',
      'config.local.yaml': 'decision_engine:\n  decision_threshold: 0.55\n',
    });
    const { config, origins } = loadConfig({ cwd, env: { DECISION_ENGINE_DECISION_THRESHOLD: '0.8' } });
    expect(config.decision_engine.decision_threshold).toBe(0.8);
    expect(origins['decision_engine.decision_threshold']).toBe('env DECISION_ENGINE_DECISION_THRESHOLD');
    expect(config.sizing.risk_fraction).toBe(0.02);
    expect(origins['sizing.risk_fraction']).toBe('config/config.yaml');
    const noEnv = loadConfig({ cwd, env: {} });
    expect(noEnv.config.decision_engine.decision_threshold).toBe(0.55);
  });

  it('interpolates ${VAR:-default} and types the result by the schema', () => {
    const cwd = dir({ 'config.yaml': 'paper_trading:\n  initial_balance: ${START_CASH:-2500}\ndata:\n  alpha_vantage:\n    api_key: ${AV_KEY}\n' });
    expect(loadConfig({ cwd, env: { AV_KEY: '' } }).config.paper_trading.initial_balance).toBe(2500);
    const withEnv = loadConfig({ cwd, env: { START_CASH: '7000', AV_KEY: 'k-123456' } }).config;
    expect(withEnv.paper_trading.initial_balance).toBe(7000);
    expect(withEnv.data.alpha_vantage.api_key).toBe('k-123456');
  });

  it('an unset ${VAR} without a default is an error naming the variable and the key', () => {
    const cwd = dir({ 'config.yaml': 'data:\n  alpha_vantage:\n    api_key: ${UNSET_AV_KEY}\n' });
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/data\.alpha_vantage\.api_key: .*environment variable UNSET_AV_KEY to be set/);
    try {
      loadConfig({ cwd, env: {} });
    } catch (e) {
      expect((e as FfeError).exitCode).toBe(2);
    }
    // An explicit empty default still means "empty on purpose".
    const explicit = dir({ 'config.yaml': 'data:\n  alpha_vantage:\n    api_key: ${UNSET_AV_KEY:-}\n' });
    expect(loadConfig({ cwd: explicit, env: {} }).config.data.alpha_vantage.api_key).toBe('');
  });

  it.each([
    ['agent:\n  timezone: Not/AZone\n', /agent\.timezone: got "Not\/AZone".*IANA time zone/],
    ['agent:\n  assets: ["💥💥"]\n', /agent\.assets\.0: got "💥💥".*a pair like BTCUSD/],
    ['agent:\n  assets: ["BTCUSD", "BTC💥USD"]\n', /agent\.assets\.1: /],
    ['sizing:\n  min_stop_fraction: 0.2\n  max_stop_fraction: 0.05\n', /sizing\.min_stop_fraction: got 0\.2.*≤ sizing\.max_stop_fraction \(0\.05\)/],
  ])('refuses at load what used to fail later: %j', (yaml, message) => {
    const cwd = dir({ 'config.yaml': yaml });
    expect(() => loadConfig({ cwd, env: {} })).toThrow(message);
  });

  it('accepts real zones and pairs', () => {
    const cwd = dir({ 'config.yaml': 'agent:\n  timezone: America/New_York\n  assets: [btc-usd, EUR/USD]\nsizing:\n  min_stop_fraction: 0.05\n  max_stop_fraction: 0.05\n' });
    expect(loadConfig({ cwd, env: {} }).config.agent.timezone).toBe('America/New_York');
  });

  it('maps documented env names (aliases) onto their keys', () => {
    const { config } = loadConfig({ cwd: dir(), env: { ALPHA_VANTAGE_API_KEY: 'secret-av-key', DECISION_ENGINE_AI_PROVIDER: 'ensemble' } });
    expect(config.data.alpha_vantage.api_key).toBe('secret-av-key');
    expect(config.decision_engine.ai_provider).toBe('ensemble');
  });

  it('lists every problem at once with path, value, source and expectation', () => {
    const cwd = dir({ 'config.yaml': 'data:\n  source: yahoo\n  history_bars: 10\nsizing:\n  risk_fraktion: 1\n' });
    try {
      loadConfig({ cwd, env: { COSTS_FEE: 'abc' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FfeError);
      const err = e as FfeError;
      expect(err.exitCode).toBe(2);
      const problems = err.details!.problems as { path: string; source: string }[];
      expect(problems.map((p) => p.path).sort()).toEqual(['costs.fee', 'data.history_bars', 'data.source', 'sizing.risk_fraktion']);
      expect(err.message).toMatch(/data\.history_bars: got 10 \(from config\/config\.yaml\); expected a value ≥ 60/);
      expect(err.message).toMatch(/costs\.fee: got "abc" \(from env COSTS_FEE\)/);
    }
  });

  it('refuses a moved key with one line naming its new home (exit 2), from a file or the environment', () => {
    const moved = (files: Record<string, string>, env: Record<string, string> = {}) => {
      try {
        loadConfig({ cwd: dir(files), env });
      } catch (e) {
        return e as FfeError;
      }
      throw new Error('loaded');
    };
    const a = moved({ 'config.yaml': 'agent:\n  stop_loss: 0.15\n' });
    expect([a.code, a.exitCode]).toEqual(['CONFIG_KEY_MOVED', 2]);
    expect(a.message).toBe('configuration key agent.stop_loss has moved to sizing.stop_loss (in config/config.yaml): rename it');
    expect(a.message).not.toMatch(/\n/);
    expect(moved({ 'config.yaml': 'backtest:\n  fee: 0.002\n' }).message).toMatch(/backtest\.fee has moved to costs\.fee/);
    expect(moved({ 'config.yaml': 'paper_trading:\n  slippage_rate: 0\n' }).message).toMatch(/paper_trading\.slippage_rate has moved to costs\.slippage/);
    expect(moved({ 'config.yaml': 'ensemble:\n  allow_degraded_execution: true\n' }).message).toMatch(/ensemble\.allow_degraded_execution has moved to execution\.allow_degraded/);
    expect(moved({ 'config.yaml': 'sizing:\n  take_profit_fraction: 0.1\n' }).message).toMatch(/sizing\.take_profit_fraction has moved to sizing\.take_profit/);
    expect(moved({ 'config.yaml': 'backtest:\n  monte_carlo:\n    noise: 0.001\n' }).message).toMatch(/backtest\.monte_carlo\.noise has moved to backtest\.monte_carlo\.noise_fraction/);
    expect(moved({}, { PAPER_TRADING_FEE_RATE: '0.002' }).message).toMatch(/env PAPER_TRADING_FEE_RATE has moved to costs\.fee \(env COSTS_FEE\)/);
    // The new homes load.
    const { config } = loadConfig({ cwd: dir({ 'config.yaml': 'sizing:\n  stop_loss: 0.15\n  take_profit: 0.5\ncosts:\n  fee: 0.002\n' }), env: {} });
    expect([config.sizing.stop_loss, config.sizing.take_profit, config.costs.fee]).toEqual([0.15, 0.5, 0.002]);
  });

  it('reports YAML syntax errors with the line', () => {
    const cwd = dir({ 'config.yaml': 'data:\n  source: [bundled\n' });
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/valid YAML at line \d+/);
  });

  it('redacts secrets and lists them for scrubbing', () => {
    const { config } = loadConfig({ cwd: dir(), env: { ALPHA_VANTAGE_API_KEY: 'av-secret-value' } });
    expect(redactConfig(config).data.alpha_vantage.api_key).toBe('***');
    expect(JSON.stringify(redactConfig(config))).not.toContain('av-secret-value');
    expect(secretValues(config)).toContain('av-secret-value');
  });

  it('redactConfig also masks a secret embedded in another field (a key in a base_url query string)', () => {
    const key = 'sk-embedded-4242';
    const cwd = dir({ 'config.yaml': `providers:\n  llm:\n    kind: openai\n    model: m\n    api_key: ${key}\n    base_url: http://127.0.0.1:9/v1?key=${key}\n` });
    const red = redactConfig(loadConfig({ cwd, env: {} }).config);
    expect(JSON.stringify(red)).not.toContain(key);
    expect(red.providers.llm.base_url).toBe('http://127.0.0.1:9/v1?key=***');
    expect(red.providers.llm.api_key).toBe('***');
  });

  it('a config problem never prints a secret, even one inside the bad value', () => {
    const key = 'av-secret-in-url-77';
    const cwd = dir({ 'config.yaml': `data:\n  alpha_vantage:\n    api_key: ${key}\n    base_url: "not a url ${key}"\n` });
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/data\.alpha_vantage\.base_url: got "not a url \*\*\*"/);
    try {
      loadConfig({ cwd, env: {} });
    } catch (e) {
      expect(JSON.stringify((e as FfeError).details)).not.toContain(key);
    }
  });

  it('documents every leaf with a description and an env name', () => {
    const leaves = configLeaves(configSchema);
    expect(leaves.length).toBeGreaterThan(20);
    const undocumented = leaves.filter((l) => !l.meta.description).map((l) => l.path.join('.'));
    expect(undocumented).toEqual([]);
    expect(leaves.find((l) => l.path.join('.') === 'data.alpha_vantage.api_key')!.envNames).toEqual(['ALPHA_VANTAGE_API_KEY', 'DATA_ALPHA_VANTAGE_API_KEY']);
  });
});
