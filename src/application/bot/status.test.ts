import { afterEach, describe, expect, it } from 'vitest';
import { FfeApi } from '../api.js';
import { configHome } from '../../../test/support/config-home.js';
import { StatusSnapshot } from './status.js';

describe('StatusSnapshot', () => {
  it('renders its value once per renderer and keeps the text', () => {
    const snap = new StatusSnapshot({ state: 'stopped' });
    let renders = 0;
    const render = (v: { state: string }) => `${++renders}:${v.state}`;
    expect(snap.text(render)).toBe('1:stopped');
    expect(snap.text(render)).toBe('1:stopped');
    expect(renders).toBe(1);
    // Another renderer is not answered with the first one's text.
    expect(snap.text((v) => v.state.toUpperCase())).toBe('STOPPED');
  });
});

describe('bot status snapshots', () => {
  const opened: FfeApi[] = [];
  afterEach(async () => {
    while (opened.length) await opened.pop()!.close();
  });

  it('callers share one snapshot until a domain event; status() answers its value', async () => {
    const api = await FfeApi.open(configHome('', 'ffe-status-'));
    opened.push(api);
    const [a, b] = await Promise.all([api.bot.statusSnapshot(), api.bot.statusSnapshot()]);
    expect(b).toBe(a);
    expect(a.value.state).toBe('stopped');
    api.events.publish([{ seq: 1, type: 'TradeLearned', at: Date.now(), payload: {} }]);
    const [c, value] = await Promise.all([api.bot.statusSnapshot(), api.bot.status()]);
    expect(c).not.toBe(a);
    expect(value).toBe(c.value);
  });
});
