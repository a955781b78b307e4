import { useEffect, useState, type ReactNode } from 'react';
import { Link } from './components/ui';
import { Loading } from './components/State';
import { useCan, useLiveState, usePrincipal, useServices } from './lib/context';
import { can, type Permission } from './lib/roles';
import { match, navigate, useLocation } from './lib/router';
import { useTheme } from './lib/theme';
import { Account } from './pages/Account';
import { Admin } from './pages/Admin';
import { Agent } from './pages/Agent';
import { BacktestDetail } from './pages/BacktestDetail';
import { Backtests } from './pages/Backtests';
import { Charts } from './pages/Charts';
import { Dashboard } from './pages/Dashboard';
import { DecisionDetail } from './pages/DecisionDetail';
import { Decisions } from './pages/Decisions';
import { Feedback } from './pages/Feedback';
import { Recommendations } from './pages/Recommendations';
import { SignIn } from './pages/SignIn';
import { Watchlists } from './pages/Watchlists';

interface PageDef {
  path: string;
  title: string;
  /** Shown in the navigation (detail pages are not). */
  nav?: string;
  /** The role must hold one of these to see the page. */
  needs: readonly Permission[];
  render(params: Record<string, string>): ReactNode;
}

/** Every page: one line each. */
export const PAGES: readonly PageDef[] = [
  { path: '/', title: 'Dashboard', nav: 'Dashboard', needs: ['read'], render: () => <Dashboard /> },
  { path: '/agent', title: 'Agent', nav: 'Agent', needs: ['read'], render: () => <Agent /> },
  { path: '/decisions', title: 'Decisions', nav: 'Decisions', needs: ['read'], render: () => <Decisions /> },
  { path: '/decisions/:id', title: 'Decision', needs: ['read'], render: (p) => <DecisionDetail id={p.id} /> },
  { path: '/feedback', title: 'Feedback loop', nav: 'Feedback loop', needs: ['read'], render: () => <Feedback /> },
  { path: '/recommendations', title: 'Recommendations', nav: 'Recommendations', needs: ['read'], render: () => <Recommendations /> },
  { path: '/watchlists', title: 'Watchlists', nav: 'Watchlists', needs: ['read'], render: () => <Watchlists /> },
  { path: '/charts', title: 'Charts', nav: 'Charts', needs: ['read'], render: () => <Charts /> },
  { path: '/backtests', title: 'Backtests', nav: 'Backtests', needs: ['read'], render: () => <Backtests /> },
  { path: '/backtests/:id', title: 'Backtest', needs: ['read'], render: (p) => <BacktestDetail id={p.id} /> },
  { path: '/account', title: 'Account', nav: 'Account', needs: ['read'], render: () => <Account /> },
  { path: '/admin', title: 'Admin', nav: 'Admin', needs: ['admin', 'audit'], render: () => <Admin /> },
];

function LiveBadge() {
  const state = useLiveState();
  const label = state === 'live' ? 'Live' : state === 'closed' ? 'Offline' : state === 'connecting' ? 'Connecting' : 'Reconnecting';
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" title="Live event stream">
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { session } = useServices();
  const principal = usePrincipal();
  const { path } = useLocation();
  const [theme, toggleTheme] = useTheme();
  const [menuOpen, setMenuOpen] = useState(false);
  const readable = useCan('read');
  useEffect(() => setMenuOpen(false), [path]);
  const visible = PAGES.filter((p) => p.nav && p.needs.some((n) => can(principal?.role, n)));
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <span className="brand">FFE</span>
        {readable && <LiveBadge />}
        <span className="spacer" />
        <button type="button" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        <span className="who" data-testid="who">
          {principal?.name} <small>({principal?.role})</small>
        </span>
        <button type="button" onClick={() => void session.logout().then(() => navigate('/'))}>
          Sign out
        </button>
      </header>
      <nav id="nav" className={`nav ${menuOpen ? 'open' : ''}`} aria-label="Pages">
        <ul>
          {visible.map((p) => (
            <li key={p.path}>
              <Link to={p.path} className={(p.path === '/' ? path === '/' : path.startsWith(p.path)) ? 'active' : ''}>
                {p.nav}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content">
        {children}
      </main>
    </div>
  );
}

export function App() {
  const { session } = useServices();
  const principal = usePrincipal();
  const { path } = useLocation();
  const [restoring, setRestoring] = useState(true);
  useEffect(() => {
    void session.restore().finally(() => setRestoring(false));
  }, [session]);
  const found = PAGES.map((p) => ({ p, params: match(p.path, path) })).find((x) => x.params);
  const title = found?.p.title ?? 'Not found';
  useEffect(() => void (document.title = `${title} · FFE`), [title]);
  if (restoring) return <Loading label="Restoring session…" />;
  if (!principal) return <SignIn />;
  // An auditor reads the audit log only: the admin page is its home.
  if (path === '/' && !can(principal.role, 'read') && can(principal.role, 'audit')) {
    navigate('/admin', { replace: true });
    return null;
  }
  let page: ReactNode;
  if (!found) page = <h1>Page not found</h1>;
  else if (!found.p.needs.some((n) => can(principal.role, n))) page = <p className="state error">Your role ({principal.role}) may not see this page.</p>;
  else page = found.p.render(found.params!);
  return <Shell>{page}</Shell>;
}
