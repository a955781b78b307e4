// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { usePrincipal } from '../lib/context';
import type { Consent } from '../lib/investor';
import { Account } from './Account';
import { exportFileName } from './account/MyData';
import { dialogPolyfill, harness, parse, type Call } from './decisions/test-support';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});
beforeAll(dialogPolyfill);

const consentsOf = (): Consent[] => [
  { purpose: 'telegram_recommendations', version: '1', granted: false, at: null, description: 'Send my daily recommendations to me by Telegram.' },
  { purpose: 'feedback_learning', version: '2', granted: true, at: '2026-12-01T09:00:00Z', description: 'Use my ratings to tune the providers’ weights.' },
];
const exported = { exported_at: '2026-12-06T12:00:00Z', subject: { id: 'u1', name: 'tess' }, sections: { account: { name: 'tess' }, watchlists: [], consents: [] } };

function setup(over: (c: Call) => { status?: number; body: unknown } | undefined = () => undefined) {
  let list = consentsOf();
  const h = harness('viewer', (c) => {
    const o = over(c);
    if (o) return o;
    const { path } = parse(c);
    if (path === '/api/v1/consents') return { body: { consents: list } };
    const m = /^\/api\/v1\/consents\/(\w+)$/.exec(path);
    if (m && c.method === 'PUT') {
      const granted = (c.body as { granted: boolean }).granted;
      list = list.map((x) => (x.purpose === m[1] ? { ...x, granted, at: '2026-12-06T12:30:00Z' } : x));
      return { body: list.find((x) => x.purpose === m[1]) };
    }
    if (path === '/api/v1/gdpr/export') return { body: exported };
    if (path === '/api/v1/gdpr/delete-account') return { body: { erased: true, pseudonym: 'user-7f3a', records: 42 } };
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no route', request_id: 'r' } } };
  });
  // Who is signed in, beside the page: the delete must end the session.
  const Who = () => <p data-testid="principal">{usePrincipal()?.name ?? 'signed out'}</p>;
  render(
    <>
      <Who />
      <Account />
    </>,
    { wrapper: h.wrap },
  );
  return h;
}

const row = (purpose: string) => screen.getAllByTestId('consent').find((e) => e.dataset.purpose === purpose)!;

describe('Account page', () => {
  it('lists the consents with their state and toggles one with PUT {granted}', async () => {
    const h = setup();
    await waitFor(() => expect(screen.getAllByTestId('consent')).toHaveLength(2));
    const telegram = within(row('telegram_recommendations')).getByLabelText('Recommendations by Telegram') as HTMLInputElement;
    expect(telegram.checked).toBe(false);
    expect(row('telegram_recommendations').textContent).toContain('never given');
    expect((within(row('feedback_learning')).getByLabelText('Learning from my feedback') as HTMLInputElement).checked).toBe(true);
    expect(row('feedback_learning').textContent).toContain('(version 2; given 2026-12-01 09:00)');
    expect(telegram.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(telegram.getAttribute('aria-describedby')!)!.textContent).toContain('Send my daily recommendations to me by Telegram.');

    fireEvent.click(telegram);
    await waitFor(() => expect(telegram.checked).toBe(true));
    expect(row('telegram_recommendations').textContent).toContain('given 2026-12-06 12:30');
    expect(h.calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.body])).toEqual([['/api/v1/consents/telegram_recommendations', { granted: true }]]);
  });

  it('a refused consent change shows the server message and keeps the state', async () => {
    setup((c) => (c.method === 'PUT' ? { status: 400, body: { error: { code: 'VALIDATION', message: 'purpose: unknown', request_id: 'r' } } } : undefined));
    await waitFor(() => expect(screen.getAllByTestId('consent')).toHaveLength(2));
    const box = within(row('feedback_learning')).getByRole('checkbox') as HTMLInputElement;
    fireEvent.click(box);
    expect((await within(row('feedback_learning')).findByRole('alert')).textContent).toBe('Learning from my feedback: purpose: unknown');
    expect(box.checked).toBe(true);
  });

  it('consents: the empty and the error state', async () => {
    setup((c) => (parse(c).path === '/api/v1/consents' ? { body: { consents: [] } } : undefined));
    await screen.findByText('No purpose needs your consent.');
    cleanup();
    setup((c) => (parse(c).path === '/api/v1/consents' ? { status: 500, body: { error: { code: 'INTERNAL', message: 'consents unavailable', request_id: 'r' } } } : undefined));
    expect((await screen.findByText('consents unavailable')).closest('[role="alert"]')).toBeTruthy();
  });

  it('"Download my data" saves the export as a JSON file', async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => (blobs.push(b), 'blob:test/1'));
    URL.revokeObjectURL = vi.fn();
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
    const h = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Download my data' }));
    await screen.findByText(/^Saved ffe-my-data-tess-\d{4}-\d{2}-\d{2}\.json \(3 sections\)\.$/);
    expect(clicked).toEqual([{ href: 'blob:test/1', download: exportFileName('tess') }]);
    expect(blobs[0].type).toBe('application/json');
    // jsdom's Blob has no text(): read it as the browser's FileReader would.
    const text = await new Promise<string>((resolve) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.readAsText(blobs[0]);
    });
    expect(JSON.parse(text)).toEqual(exported);
    expect(h.calls.filter((c) => c.path === '/api/v1/gdpr/export')).toHaveLength(1);
  });

  it('"Delete my account" requires the typed user name and the password, then erases and signs out', async () => {
    const h = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Delete my account' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Delete my account permanently' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'hunter22' } });
    fireEvent.change(within(dialog).getByLabelText('User name'), { target: { value: 'Tess' } });
    expect(confirm.disabled).toBe(true);
    // Enter in a field cannot submit it either.
    fireEvent.submit(confirm.closest('form')!);
    expect(h.calls.some((c) => c.path === '/api/v1/gdpr/delete-account')).toBe(false);

    fireEvent.change(within(dialog).getByLabelText('User name'), { target: { value: 'tess' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.getByTestId('principal').textContent).toBe('signed out'));
    expect(h.calls.filter((c) => c.path === '/api/v1/gdpr/delete-account').map((c) => [c.method, c.body])).toEqual([['POST', { confirm: 'tess', password: 'hunter22' }]]);
    expect(location.pathname).toBe('/');
  });

  it('a refused delete (wrong password) keeps the dialog open with the message and the session', async () => {
    setup((c) => (parse(c).path === '/api/v1/gdpr/delete-account' ? { status: 403, body: { error: { code: 'BAD_PASSWORD', message: 'password: does not match', request_id: 'r' } } } : undefined));
    fireEvent.click(screen.getByRole('button', { name: 'Delete my account' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('User name'), { target: { value: 'tess' } });
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete my account permanently' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('password: does not match');
    expect(screen.getByTestId('principal').textContent).toBe('tess');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
