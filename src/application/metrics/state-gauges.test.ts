import { describe, expect, it } from 'vitest';
import { metricsFixture } from '../../../test/support/metrics.js';
import { AGENT_STATE_LABELS, BOT_STATES, stateGauges, type StateSnapshot } from './state-gauges.js';

const base: StateSnapshot = {
  botState: 'running',
  oodaState: 'REASONING',
  killSwitch: false,
  platform: 'paper',
  portfolioValue: 10_250.5,
  positionVenues: ['paper', 'paper'],
  providerWeights: { rules: 0.25, llama: 0.75 },
  breakers: [
    { name: 'venue:paper', state: 'CLOSED' },
    { name: 'venue:coinbase', state: 'HALF_OPEN' },
    { name: 'venue:oanda', state: 'OPEN' },
  ],
};

/** A clock the test moves: each scrape of a test is a new snapshot, every gauge of one scrape shares it. */
function setup(read: () => Promise<StateSnapshot>) {
  const { registry } = metricsFixture();
  let errors = 0;
  let t = 0;
  stateGauges(registry, read, () => errors++, { ttlMs: 1000, timeoutMs: 200, now: () => t });
  return { registry, errors: () => errors, later: () => (t += 2000) };
}

describe('scrape-time state gauges', () => {
  it('breakers 0/1/2, portfolio, open positions, kill switch, weights', async () => {
    const { registry } = setup(async () => base);
    const text = await registry.metrics();
    expect(text).toContain('ffe_circuit_breaker_state{service="venue:paper"} 0');
    expect(text).toContain('ffe_circuit_breaker_state{service="venue:coinbase"} 1');
    expect(text).toContain('ffe_circuit_breaker_state{service="venue:oanda"} 2');
    expect(text).toContain('ffe_portfolio_value_dollars{platform="paper"} 10250.5');
    expect(text).toContain('ffe_active_trades_total{platform="paper"} 2');
    expect(text).toMatch(/^# TYPE ffe_active_trades_total gauge$/m);
    expect(text).toContain('ffe_kill_switch_active 0');
    expect(text).toContain('ffe_ensemble_weight{provider="rules"} 0.25');
    expect(text).toContain('ffe_ensemble_weight{provider="llama"} 0.75');
  });

  it('agent and bot states are label sets: exactly one series is 1', async () => {
    const { registry } = setup(async () => base);
    const text = await registry.metrics();
    const agent = [...text.matchAll(/^ffe_agent_state\{state="(\w+)"\} (\d)$/gm)];
    expect(agent.map((m) => m[1])).toEqual([...AGENT_STATE_LABELS]);
    expect(agent.filter((m) => m[2] === '1').map((m) => m[1])).toEqual(['REASONING']);
    const bot = [...text.matchAll(/^ffe_bot_state\{state="(\w+)"\} (\d)$/gm)];
    expect(bot.map((m) => m[1])).toEqual([...BOT_STATES]);
    expect(bot.filter((m) => m[2] === '1').map((m) => m[1])).toEqual(['running']);
  });

  it('a stopped bot is NOT_RUNNING whatever state its last run stored; no open positions is 0; a tripped kill switch is 1', async () => {
    const { registry } = setup(async () => ({ ...base, botState: 'emergency_stopped', oodaState: 'HALT', killSwitch: true, positionVenues: [] }));
    const text = await registry.metrics();
    expect(text).toContain('ffe_agent_state{state="NOT_RUNNING"} 1');
    expect(text).toContain('ffe_agent_state{state="HALT"} 0');
    expect(text).toContain('ffe_bot_state{state="emergency_stopped"} 1');
    expect(text).toContain('ffe_active_trades_total{platform="paper"} 0');
    expect(text).toContain('ffe_kill_switch_active 1');
  });

  it('a failing or hanging source keeps the last values, is reported once per scrape, and never fails the scrape', async () => {
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const { registry, errors, later } = setup(() => (mode === 'ok' ? Promise.resolve(base) : mode === 'fail' ? Promise.reject(new Error('venue down')) : new Promise<StateSnapshot>(() => undefined)));
    await registry.metrics();
    mode = 'fail';
    later();
    const text = await registry.metrics();
    expect(text).toContain('ffe_portfolio_value_dollars{platform="paper"} 10250.5');
    expect(errors()).toBe(1);
    mode = 'hang';
    later();
    const hung = await registry.metrics();
    expect(hung).toContain('ffe_circuit_breaker_state{service="venue:oanda"} 2');
    expect(errors()).toBe(2);
  });

  it('one snapshot serves every gauge of a scrape', async () => {
    let reads = 0;
    const { registry } = metricsFixture();
    stateGauges(
      registry,
      async () => {
        reads++;
        return base;
      },
      () => undefined,
      { ttlMs: 60_000 },
    );
    await registry.metrics();
    expect(reads).toBe(1);
  });
});
