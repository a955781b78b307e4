import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

/** The investor commands as a user runs them: a watchlist, a run, the day's recommendations, a rating, consents, the memory report. */
describe('ffe watchlist, recommendations and consent', () => {
  const cwd = tempCwd('ffe-rec-cli-');
  const ffe = (args: string[]) => runCli(args, { cwd, timeoutMs: 120_000 });

  it('create a watchlist, run, read, rate; bad input exits 2 naming the field', async () => {
    const made = await ffe(['watchlist', 'create', 'core', 'btc-usd', 'eur/usd', '--json']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout).pairs).toEqual(['BTCUSD', 'EURUSD']);
    const bad = await ffe(['watchlist', 'add', 'core', 'NOPE99']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^ffe: pair: /)]);
    const run = await ffe(['recommendations', 'run', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).run).toMatchObject({ pairs: 2, recommendations: 2, errors: 0 });
    const daily = await ffe(['recommendations', 'daily']);
    expect(daily.stdout).toMatch(/BTCUSD/);
    expect(daily.stdout).toMatch(/not investment advice/);
    const id = (JSON.parse((await ffe(['recommendations', 'history', '--json'])).stdout) as { recommendations: { id: string }[] }).recommendations[0].id;
    const rated = await ffe(['recommendations', 'rate', id, '--not-useful', '--acted', '--note', 'late', '--json']);
    expect(JSON.parse(rated.stdout).feedback).toMatchObject({ useful: false, acted: true, note: 'late' });
    const both = await ffe(['recommendations', 'rate', id, '--useful', '--not-useful']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/useful: give exactly one/)]);
    expect((await ffe(['recommendations', 'daily', '--user', 'nobody'])).code).toBe(2);
  }, 150_000);

  it('consents are granted and withdrawn; memory report labels the recommendation sample', async () => {
    expect((await ffe(['consent', 'grant', 'feedback_learning'])).stdout).toMatch(/feedback_learning: granted/);
    const list = JSON.parse((await ffe(['consent', 'list', '--json'])).stdout) as { consents: { purpose: string; granted: boolean }[] };
    expect(list.consents.find((c) => c.purpose === 'feedback_learning')?.granted).toBe(true);
    expect((await ffe(['consent', 'withdraw', 'feedback_learning'])).stdout).toMatch(/withdrawn/);
    expect((await ffe(['consent', 'grant', 'spam'])).code).toBe(2);
    const report = await ffe(['memory', 'report']);
    expect(report.stdout).toMatch(/recommendations \(a separate sample/);
    const json = JSON.parse((await ffe(['memory', 'report', '--json'])).stdout) as { recommendations: { factor: number } };
    expect(json.recommendations.factor).toBe(0.25);
  }, 150_000);
});
