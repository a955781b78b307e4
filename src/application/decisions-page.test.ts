import { afterEach, describe, expect, it } from 'vitest';
import { configHome } from '../../test/support/config-home.js';
import { FfeApi } from './api.js';

const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

describe('decisionsPage: keyset pages of the decision history', () => {
  it('pages newest first without repeats or gaps, by asset, even when new decisions arrive between pages; a foreign cursor is CURSOR_INVALID', async () => {
    const api = await FfeApi.open(configHome('', 'ffe-decisions-page-'));
    opened.push(api);
    const saved: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { decision } = await api.trading.analyze(i % 2 ? 'BTCUSD' : 'ETHUSD');
      saved.push(decision.id);
    }
    const newestFirst = (await api.trading.decisions({ limit: 10 })).map((d) => d.id);
    expect(newestFirst).toHaveLength(5);
    const p1 = await api.trading.decisionsPage({ limit: 2 });
    expect(p1.decisions.map((d) => d.id)).toEqual(newestFirst.slice(0, 2));
    // A decision made between pages does not shift the next page.
    await api.trading.analyze('ETHUSD');
    const p2 = await api.trading.decisionsPage({ limit: 2, cursor: p1.next_cursor! });
    expect(p2.decisions.map((d) => d.id)).toEqual(newestFirst.slice(2, 4));
    const p3 = await api.trading.decisionsPage({ limit: 2, cursor: p2.next_cursor! });
    expect(p3.decisions.map((d) => d.id)).toEqual(newestFirst.slice(4));
    expect(p3.next_cursor).toBeNull();
    const btc = await api.trading.decisionsPage({ limit: 10, asset: 'btc-usd' });
    expect(btc.decisions.map((d) => d.assetPair)).toEqual(['BTCUSD', 'BTCUSD']);
    expect(new Set(saved)).toEqual(new Set(newestFirst));
    // An audit page's cursor is not a decisions cursor.
    await api.audit.record({ actor: 'system', action: 'x.y', result: 'ok' });
    await api.audit.record({ actor: 'system', action: 'x.y', result: 'ok' });
    const foreign = (await api.audit.list({ limit: 1 })).next_cursor!;
    expect(foreign).toEqual(expect.any(String));
    await expect(api.trading.decisionsPage({ limit: 2, cursor: foreign })).rejects.toMatchObject({ code: 'CURSOR_INVALID' });
    await expect(api.trading.decisionsPage({ limit: 2, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'CURSOR_INVALID' });
    await expect(api.trading.decisionsPage({ limit: 0 })).rejects.toMatchObject({ code: 'LIMIT_INVALID' });
  });
});
