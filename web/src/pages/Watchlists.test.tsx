// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Watchlist } from '../lib/investor';
import { Watchlists } from './Watchlists';
import { dialogPolyfill, harness, parse, type Call } from './decisions/test-support';

afterEach(cleanup);
beforeAll(dialogPolyfill);

const KNOWN = new Set(['BTCUSD', 'ETHUSD', 'SOLUSD']);
const norm = (p: string) => p.replace(/[^a-z]/gi, '').toUpperCase();
const bad = (message: string) => ({ status: 400, body: { error: { code: 'VALIDATION', message, request_id: 'r' } } });

/** The contract's watchlist routes over an in-memory list (pair normalised, unknown pair → 400 naming `pair`). */
function fakeServer(initial: Watchlist[]) {
  let lists = [...initial];
  let n = lists.length;
  const at = '2026-12-06T10:00:00Z';
  const answer = (c: Call) => {
    const { path } = parse(c);
    const body = c.body as Record<string, unknown> | undefined;
    if (c.method === 'GET' && path === '/api/v1/watchlists') return { body: { watchlists: lists } };
    if (c.method === 'POST' && path === '/api/v1/watchlists') {
      const w = { id: `w${++n}`, name: String(body!.name), pairs: (body!.pairs as string[]).map(norm), created_at: at, updated_at: at };
      lists = [...lists, w];
      return { status: 201, body: w };
    }
    const m = /^\/api\/v1\/watchlists\/([^/]+)(?:\/pairs(?:\/([^/]+))?)?$/.exec(path);
    const w = m && lists.find((x) => x.id === m[1]);
    if (!m || !w) return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such watchlist', request_id: 'r' } } };
    const save = (next: Watchlist) => {
      lists = lists.map((x) => (x.id === next.id ? next : x));
      return { body: next };
    };
    if (c.method === 'DELETE' && !path.includes('/pairs')) {
      lists = lists.filter((x) => x !== w);
      return { status: 204, body: null };
    }
    if (c.method === 'PUT') return save({ ...w, name: String(body!.name) });
    if (c.method === 'POST') {
      const p = norm(String(body!.pair));
      if (!KNOWN.has(p)) return bad(`pair: unknown pair "${String(body!.pair)}"`);
      return save({ ...w, pairs: [...w.pairs, p] });
    }
    if (c.method === 'DELETE') return save({ ...w, pairs: w.pairs.filter((p) => p !== decodeURIComponent(m[2]!)) });
    return { status: 405, body: {} };
  };
  return { answer, lists: () => lists };
}

const majors: Watchlist = { id: 'w1', name: 'Majors', pairs: ['BTCUSD'], created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z' };

function setup(initial: Watchlist[] = [majors], answer?: (c: Call) => { status?: number; body: unknown }) {
  const server = fakeServer(initial);
  const h = harness('viewer', answer ?? server.answer);
  render(<Watchlists />, { wrapper: h.wrap });
  return { ...h, server };
}

const card = (name: string) => screen.getAllByTestId('watchlist').find((e) => e.dataset.name === name)!;

describe('Watchlists page', () => {
  it('lists the watchlists with their pairs', async () => {
    setup([majors, { ...majors, id: 'w2', name: 'Alts', pairs: ['SOLUSD', 'ETHUSD'] }]);
    await waitFor(() => expect(screen.getAllByTestId('watchlist')).toHaveLength(2));
    expect(
      within(card('Alts'))
        .getAllByTestId('pair')
        .map((e) => e.textContent),
    ).toEqual(['SOLUSD×', 'ETHUSD×']);
    expect(screen.getByRole('heading', { name: 'Majors', level: 2 })).toBeTruthy();
  });

  it('shows the empty state, and creates one from a name and pairs', async () => {
    const { calls, server } = setup([]);
    await screen.findByText('You have no watchlists yet: create one above.');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: ' Core ' } });
    fireEvent.change(screen.getByLabelText('Pairs (comma or space separated)'), { target: { value: 'btc-usd, eth-usd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create watchlist' }));
    await waitFor(() => expect(screen.getAllByTestId('watchlist')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Core', pairs: ['btc-usd', 'eth-usd'] });
    expect(
      within(card('Core'))
        .getAllByTestId('pair')
        .map((e) => e.textContent),
    ).toEqual(['BTCUSD×', 'ETHUSD×']);
    expect(server.lists()).toHaveLength(1);
  });

  it('a missing name is named beside the field and nothing is sent', async () => {
    const { calls } = setup([]);
    await screen.findByText('You have no watchlists yet: create one above.');
    fireEvent.click(screen.getByRole('button', { name: 'Create watchlist' }));
    expect(await screen.findByText('name: required')).toBeTruthy();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('adds a pair; an unknown pair shows the server message next to the field', async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getAllByTestId('watchlist')).toHaveLength(1));
    const input = within(card('Majors')).getByLabelText('Add pair');
    fireEvent.change(input, { target: { value: 'doge-usd' } });
    fireEvent.click(within(card('Majors')).getByRole('button', { name: 'Add' }));
    const err = await within(card('Majors')).findByText('pair: unknown pair "doge-usd"');
    expect(input.getAttribute('aria-describedby')).toBe(err.id);
    fireEvent.change(input, { target: { value: 'eth-usd' } });
    fireEvent.click(within(card('Majors')).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(within(card('Majors')).getAllByTestId('pair')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body])).toEqual([
      ['/api/v1/watchlists/w1/pairs', { pair: 'doge-usd' }],
      ['/api/v1/watchlists/w1/pairs', { pair: 'eth-usd' }],
    ]);
    expect(within(card('Majors')).queryByText(/unknown pair/)).toBeNull();
  });

  it('removes a pair, renames, and deletes after confirming', async () => {
    const { calls, server } = setup([{ ...majors, pairs: ['BTCUSD', 'ETHUSD'] }]);
    await waitFor(() => expect(screen.getAllByTestId('watchlist')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Remove BTCUSD from Majors' }));
    await waitFor(() =>
      expect(
        within(card('Majors'))
          .getAllByTestId('pair')
          .map((e) => e.textContent),
      ).toEqual(['ETHUSD×']),
    );
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/watchlists/w1/pairs/BTCUSD' });

    fireEvent.click(screen.getByRole('button', { name: 'Rename Majors' }));
    fireEvent.change(screen.getByLabelText('New name'), { target: { value: 'Big two' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
    await screen.findByRole('heading', { name: 'Big two', level: 2 });
    expect(calls.at(-1)).toMatchObject({ method: 'PUT', path: '/api/v1/watchlists/w1', body: { name: 'Big two' } });

    fireEvent.click(screen.getByRole('button', { name: 'Delete Big two' }));
    expect(server.lists()).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Delete watchlist' }));
    await screen.findByText('You have no watchlists yet: create one above.');
    expect(server.lists()).toEqual([]);
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/watchlists/w1' });
  });

  it('cancelling the delete dialog keeps the watchlist', async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getAllByTestId('watchlist')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Delete Majors' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    expect(screen.getAllByTestId('watchlist')).toHaveLength(1);
  });

  it('shows the error state with a retry when the list cannot be loaded', async () => {
    let fail = true;
    const server = fakeServer([majors]);
    setup([], (c) => (fail ? { status: 500, body: { error: { code: 'INTERNAL', message: 'store unavailable', request_id: 'r' } } } : server.answer(c)));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('store unavailable');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByTestId('watchlist')).toHaveLength(1));
  });
});
