// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Recommendation, Run } from '../lib/investor';
import type { Role } from '../lib/roles';
import { Recommendations } from './Recommendations';
import { harness, parse, type Call } from './decisions/test-support';
import { DISCLOSURE, rec } from './recommendations/fixtures';

afterEach(() => {
  cleanup();
  history.replaceState(null, '', '/');
});

const run: Run = { id: 'run1', started_at: '2026-12-06T06:00:00Z', finished_at: '2026-12-06T06:01:00Z', pairs: 2, recommendations: 2, errors: 0 };
const notFound = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no route', request_id: 'r' } } };

/** The contract's recommendation routes over `state`; feedback is stored on the recommendation and answered back. */
function setup(role: Role, state: { daily: Recommendation[]; history?: Recommendation[]; run?: Run | null; fail?: string }) {
  const h = harness(role, (c: Call) => {
    const { path, query } = parse(c);
    if (state.fail) return { status: 503, body: { error: { code: 'UNAVAILABLE', message: state.fail, request_id: 'r' } } };
    if (path === '/api/v1/recommendations/daily') return { body: { run: state.run === undefined ? run : state.run, recommendations: state.daily } };
    if (path === '/api/v1/recommendations/run' && c.method === 'POST') return { status: 202, body: { run: { ...run, id: 'run2', started_at: '2026-12-06T12:00:00Z', finished_at: null } } };
    if (path === '/api/v1/recommendations/history') {
      const all = (state.history ?? state.daily).filter((r) => !query.pair || r.pair === query.pair);
      const from = query.cursor ? Number(query.cursor) : 0;
      const limit = Number(query.limit);
      return { body: { recommendations: all.slice(from, from + limit), next_cursor: from + limit < all.length ? String(from + limit) : null } };
    }
    const m = /^\/api\/v1\/recommendations\/([^/]+)\/feedback$/.exec(path);
    if (m && c.method === 'POST') {
      const b = c.body as { useful: boolean; acted: boolean; note?: string };
      const r = state.daily.find((x) => x.id === m[1])!;
      const updated = { ...r, feedback: { useful: b.useful, acted: b.acted, note: b.note ?? null, at: '2026-12-06T13:00:00Z' } };
      state.daily = state.daily.map((x) => (x.id === r.id ? updated : x));
      return { body: updated };
    }
    return notFound;
  });
  render(<Recommendations />, { wrapper: h.wrap });
  return h;
}

const cards = () => screen.getAllByTestId('rec');
const cardOf = (id: string) => cards().find((e) => e.dataset.id === id)!;

describe('Recommendations page', () => {
  it("shows today's recommendations: action, confidence, horizon and its end, levels, votes, the disclosure, reasoning on demand", async () => {
    setup('viewer', { daily: [rec('r1'), rec('r2', { pair: 'ETHUSD', action: 'SELL', stop: null, target: null })] });
    await waitFor(() => expect(cards()).toHaveLength(2));
    const c = within(cardOf('r1'));
    expect(screen.getByRole('heading', { level: 2, name: 'BTCUSD BUY' })).toBeTruthy();
    expect(cardOf('r1').textContent).toMatch(/Confidence72 %/);
    expect(cardOf('r1').textContent).toContain('5d (ends 2026-12-11 06:00)');
    expect(cardOf('r1').textContent).toMatch(/Entry97,000\.00Stop94,000\.00Target103,500\.00/);
    expect(cardOf('r2').textContent).toMatch(/Stop—Target—/);
    expect(c.getAllByTestId('vote').map((v) => v.textContent)).toEqual(['llama BUY 70 %', 'rules HOLD 55 %']);
    expect(c.getByRole('note').textContent).toBe(DISCLOSURE);
    expect(c.getByTestId('rec-outcome').textContent).toBe('pending');
    expect(screen.getByTestId('run').textContent).toContain('2 pairs, 2 recommendations');

    const toggle = c.getByRole('button', { name: 'Show reasoning' });
    const panel = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(panel.hidden).toBe(true);
    fireEvent.click(toggle);
    expect(panel.hidden).toBe(false);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(panel.textContent).toBe('Trend up on the daily; both providers agree.');
    expect(c.getByRole('button', { name: 'Hide reasoning' })).toBeTruthy();
  });

  it('shows a measured outcome: status, return after costs, correct', async () => {
    setup('viewer', { daily: [rec('r1', { outcome: { status: 'target', exit_price: 103_500, return_after_costs: 0.0642, correct: true, measured_at: '2026-12-09T10:00:00Z' } })] });
    const out = await screen.findByTestId('rec-outcome');
    expect(out.textContent).toBe('target reached correct · return after costs 6.42 % · exit 103,500.00 · 2026-12-09 10:00');
  });

  it('empty: says the run has not run; error: the message with a retry', async () => {
    setup('viewer', { daily: [], run: null });
    await screen.findByText('No recommendations yet: the daily run has not run for you.');
    cleanup();
    const state = { daily: [rec('r1')], fail: 'recommendations are unavailable' };
    setup('viewer', state);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('recommendations are unavailable');
    delete (state as { fail?: string }).fail;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(cards()).toHaveLength(1));
  });

  it('rating sends {useful, acted, note} and shows the saved rating', async () => {
    const h = setup('viewer', { daily: [rec('r1')] });
    await waitFor(() => expect(cards()).toHaveLength(1));
    const c = within(cardOf('r1'));
    fireEvent.click(c.getByRole('button', { name: 'Save rating' }));
    expect((await c.findByRole('alert')).textContent).toBe('useful: choose useful or not useful');
    expect(h.calls.some((x) => x.path.endsWith('/feedback'))).toBe(false);

    fireEvent.click(c.getByLabelText('Not useful'));
    fireEvent.click(c.getByLabelText('I acted on it'));
    fireEvent.change(c.getByLabelText('Note (optional)'), { target: { value: '  entered too late  ' } });
    fireEvent.click(c.getByRole('button', { name: 'Save rating' }));
    const saved = await c.findByTestId('saved-feedback');
    expect(saved.textContent).toBe('Your rating: not useful acted on “entered too late” (2026-12-06 13:00)');
    const sent = h.calls.find((x) => x.method === 'POST' && x.path === '/api/v1/recommendations/r1/feedback');
    expect(sent?.body).toEqual({ useful: false, acted: true, note: 'entered too late' });
    expect(c.getByRole('button', { name: 'Update rating' })).toBeTruthy();
    expect((c.getByLabelText('Not useful') as HTMLInputElement).checked).toBe(true);
  });

  it('live: a new recommendation and a measured outcome reload today', async () => {
    const state = { daily: [rec('r1')] };
    const h = setup('viewer', state);
    await waitFor(() => expect(cards()).toHaveLength(1));
    state.daily = [rec('r3', { pair: 'SOLUSD' }), ...state.daily];
    act(() => h.live.emit('RecommendationCreated', { id: 'r3', pair: 'SOLUSD', action: 'BUY', confidence: 72 }));
    await waitFor(() => expect(cards()).toHaveLength(2), { timeout: 3000 });
    state.daily = state.daily.map((r) => (r.id === 'r1' ? { ...r, outcome: { status: 'stop', exit_price: 94_000, return_after_costs: -0.0331, correct: false, measured_at: '2026-12-07T00:00:00Z' } } : r));
    act(() => h.live.emit('RecommendationOutcomeMeasured', { id: 'r1', pair: 'BTCUSD', status: 'stop', return_after_costs: -0.0331, correct: false }));
    await waitFor(() => expect(within(cardOf('r1')).getByTestId('rec-outcome').textContent).toContain('stopped out not correct · return after costs -3.31 %'), { timeout: 3000 });
  });

  it('"Run now" is offered to an operator (POST /run) and not to a viewer', async () => {
    setup('viewer', { daily: [rec('r1')] });
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Run now' })).toBeNull();
    cleanup();
    const h = setup('operator', { daily: [rec('r1')] });
    fireEvent.click(await screen.findByRole('button', { name: 'Run now' }));
    await screen.findByText('Run started 2026-12-06 12:00: new recommendations appear as they are made.');
    expect(h.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/v1/recommendations/run']);
  });

  it('history: pages with the cursor, filters by pair, applies a measured outcome in place', async () => {
    const past = Array.from({ length: 25 }, (_, i) => rec(`h${i}`, { pair: i % 5 === 0 ? 'ETHUSD' : 'BTCUSD', created_at: new Date(Date.UTC(2026, 10, 30 - i)).toISOString() }));
    history.replaceState(null, '', '/recommendations?tab=history');
    const h = setup('viewer', { daily: [], history: past });
    expect(screen.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(cards()).toHaveLength(20));
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(cards()).toHaveLength(25));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    const queries = h.calls.filter((c) => parse(c).path === '/api/v1/recommendations/history').map((c) => parse(c).query);
    expect(queries).toEqual([{ limit: '20' }, { limit: '20', cursor: '20' }]);

    act(() => h.live.emit('RecommendationOutcomeMeasured', { id: 'h3', pair: 'BTCUSD', status: 'horizon', return_after_costs: 0.011, correct: true }));
    await waitFor(() => expect(within(cardOf('h3')).getByTestId('rec-outcome').textContent).toMatch(/^horizon ended correct · return after costs 1\.10 %/));

    fireEvent.change(screen.getByLabelText('Pair'), { target: { value: 'ETHUSD' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filter' }));
    await waitFor(() => expect(cards()).toHaveLength(5));
    expect(parse(h.calls.at(-1)!).query).toEqual({ limit: '20', pair: 'ETHUSD' });
    fireEvent.change(screen.getByLabelText('Pair'), { target: { value: 'XRPUSD' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filter' }));
    await screen.findByText('No recommendation for XRPUSD.');
  });
});
