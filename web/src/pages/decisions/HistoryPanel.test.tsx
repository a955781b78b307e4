// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { navigate } from '../../lib/router';
import { Decisions } from '../Decisions';
import type { Approval, DecisionSummary } from './model';
import { harness, parse, type Call } from './test-support';

const d = (id: string, minute: number, over: Partial<DecisionSummary> = {}): DecisionSummary => ({
  id,
  asset_pair: 'BTCUSD',
  timestamp: `2026-12-06T10:${String(minute).padStart(2, '0')}:00.000Z`,
  created_at: `2026-12-06T10:${String(minute).padStart(2, '0')}:00.000Z`,
  action: 'BUY',
  confidence: 70,
  reasoning: 'r',
  entry_price: 100,
  suggested_size_units: 1,
  stop_loss_price: 95,
  take_profit_price: 110,
  gates: [],
  regime: 'RANGING',
  provider: 'ensemble',
  executed: false,
  ...over,
});

beforeEach(() => navigate('/decisions'));
afterEach(cleanup);

/** A server with decisions d5..d1 (pages of 50 in the page; the test's own `limit` decides), one pending approval. */
function server(opts: { decisions: DecisionSummary[]; approvals?: Approval[] }) {
  const h = harness('trader', (c: Call) => {
    const { path, query } = parse(c);
    if (path === '/api/v1/approvals') return { body: { approvals: opts.approvals ?? [] } };
    if (path === '/api/v1/decisions') {
      let list = opts.decisions.filter((x) => (!query.action || x.action === query.action) && (!query.asset || x.asset_pair === query.asset));
      const start = query.cursor ? list.findIndex((x) => x.id === query.cursor) + 1 : 0;
      const limit = Number(query.limit);
      list = list.slice(start);
      return { body: { decisions: list.slice(0, limit), next_cursor: list.length > limit ? list[limit - 1].id : null } };
    }
    return { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } } };
  });
  return h;
}

describe('Decisions page', () => {
  it('lists pending approvals with a countdown and Approve/Reject, and the history rows linking to each decision', async () => {
    const approval: Approval = {
      id: 'a1',
      decision_id: 'd9',
      pair: 'ETHUSD',
      action: 'SELL',
      confidence: 81,
      summary: 'SELL 0.5 ETHUSD',
      status: 'pending',
      created_at: Date.now(),
      expires_at: Date.now() + 120_000,
      decided_at: null,
      note: null,
    };
    const h = server({ decisions: [d('d2', 2), d('d1', 1)], approvals: [approval] });
    render(<Decisions />, { wrapper: h.wrap });
    const row = await screen.findByTestId('approval-row');
    expect(within(row).getByText('ETHUSD')).toBeTruthy();
    expect(within(row).getByRole('link').getAttribute('href')).toBe('/decisions/d9');
    expect(within(row).getByTestId('expiry').textContent).toMatch(/^(1 m 59 s|2 m 0 s)$/);
    expect(within(row).getByRole('button', { name: 'Approve' })).toBeTruthy();
    const rows = await screen.findAllByTestId('decision-row');
    expect(rows.map((r) => within(r).getByRole('link').getAttribute('href'))).toEqual(['/decisions/d2', '/decisions/d1']);
  });

  it('"Load more" follows the cursor with the filters kept; applying filters asks the server with them and puts them in the address', async () => {
    const many = Array.from({ length: 60 }, (_, i) => d(`d${String(60 - i).padStart(2, '0')}`, 59 - i, { action: i % 2 ? 'SELL' : 'BUY' }));
    const h = server({ decisions: many });
    render(<Decisions />, { wrapper: h.wrap });
    await waitFor(() => expect(screen.getAllByTestId('decision-row')).toHaveLength(50));
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('decision-row')).toHaveLength(60));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    const pages = h.calls.map(parse).filter((c) => c.path === '/api/v1/decisions');
    expect(pages[1].query).toMatchObject({ limit: '50', cursor: 'd11' });

    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'SELL' } });
    fireEvent.change(screen.getByLabelText('Asset'), { target: { value: 'btcusd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(screen.getAllByTestId('decision-row')).toHaveLength(30));
    expect(location.search).toBe('?asset=BTCUSD&action=SELL');
    const last = h.calls
      .map(parse)
      .filter((c) => c.path === '/api/v1/decisions')
      .pop()!;
    expect(last.query).toEqual({ limit: '50', asset: 'BTCUSD', action: 'SELL' });
    expect(screen.getAllByTestId('decision-row').every((r) => within(r).queryByText('SELL'))).toBe(true);
  });

  it('a DecisionMade event brings the new decision to the top; an empty history says so', async () => {
    const decisions = [d('d1', 1)];
    const h = server({ decisions });
    render(<Decisions />, { wrapper: h.wrap });
    await waitFor(() => expect(screen.getAllByTestId('decision-row')).toHaveLength(1));
    decisions.unshift(d('d2', 2, { action: 'HOLD' }));
    act(() => h.live.emit('DecisionMade', { decision_id: 'd2', pair: 'BTCUSD', action: 'HOLD' }));
    await waitFor(() => expect(screen.getAllByTestId('decision-row')).toHaveLength(2), { timeout: 3000 });
    expect(within(screen.getAllByTestId('decision-row')[0]).getByRole('link').getAttribute('href')).toBe('/decisions/d2');
    cleanup();
    render(<Decisions />, { wrapper: server({ decisions: [] }).wrap });
    expect(await screen.findByText('No decisions yet.')).toBeTruthy();
    expect(await screen.findByText('No decision awaits approval.')).toBeTruthy();
  });
});
