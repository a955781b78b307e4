import { useState, type FormEvent } from 'react';
import { ApiError } from '../lib/api';
import { useServices } from '../lib/context';
import { FormError } from '../components/State';

/**
 * Sign-in with name and password (and the authenticator code when the user has MFA: the field
 * appears when the server asks for it), or with an API key.
 */
export function SignIn() {
  const { session } = useServices();
  const [mode, setMode] = useState<'password' | 'key'>('password');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'key') await session.loginWithKey(key.trim());
      else await session.login(name.trim(), password, needTotp ? totp.trim() : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MFA_REQUIRED') setNeedTotp(true);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Finance Feedback Engine</h1>
        <div className="tabs" role="tablist" aria-label="Sign-in method">
          <button type="button" role="tab" aria-selected={mode === 'password'} onClick={() => setMode('password')}>
            Password
          </button>
          <button type="button" role="tab" aria-selected={mode === 'key'} onClick={() => setMode('key')}>
            API key
          </button>
        </div>
        {mode === 'password' ? (
          <>
            <label>
              User name
              <input name="username" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            </label>
            {needTotp && (
              <label>
                Authenticator code
                <input name="totp" inputMode="numeric" autoComplete="one-time-code" value={totp} onChange={(e) => setTotp(e.target.value)} required autoFocus />
              </label>
            )}
          </>
        ) : (
          <label>
            API key
            <input name="apikey" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
          </label>
        )}
        <FormError message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          No user yet? On the server run <code>npx ffe user create &lt;name&gt; --role admin</code>.
        </p>
      </form>
    </main>
  );
}
