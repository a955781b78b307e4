import { useEffect, useState, useSyncExternalStore } from 'react';

export type Theme = 'dark' | 'light';
const KEY = 'ffe.theme';

function initial(): Theme {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // storage unavailable
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

/** The colour theme: the user's choice (kept), else the system's; set on <html data-theme>. */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(initial);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // not kept
    }
  }, [theme]);
  return [theme, () => setTheme((t) => (t === 'dark' ? 'light' : 'dark'))];
}

/** The theme in force (<html data-theme>), for components that draw with its colours (charts). */
export function useThemeName(): string {
  return useSyncExternalStore(
    (cb) => {
      const o = new MutationObserver(cb);
      o.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
      return () => o.disconnect();
    },
    () => document.documentElement.dataset.theme ?? 'dark',
  );
}
