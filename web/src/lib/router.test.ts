// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { match, navigate, useLocation } from './router';

describe('router', () => {
  it('matches patterns with params, decodes them, and refuses other shapes', () => {
    expect(match('/decisions/:id', '/decisions/01ABC')).toEqual({ id: '01ABC' });
    expect(match('/decisions/:id', '/decisions/a%2Fb')).toEqual({ id: 'a/b' });
    expect(match('/', '/')).toEqual({});
    expect(match('/decisions/:id', '/decisions')).toBeNull();
    expect(match('/agent', '/admin')).toBeNull();
  });

  it('navigate() updates every useLocation() and history; back returns', async () => {
    const { result } = renderHook(() => useLocation());
    act(() => navigate('/decisions?asset=BTCUSD'));
    expect(result.current.path).toBe('/decisions');
    expect(result.current.query.get('asset')).toBe('BTCUSD');
    act(() => navigate('/agent'));
    expect(result.current.path).toBe('/agent');
    await act(async () => {
      history.back();
      await new Promise((r) => window.addEventListener('popstate', r, { once: true }));
    });
    expect(result.current.path).toBe('/decisions');
  });
});
