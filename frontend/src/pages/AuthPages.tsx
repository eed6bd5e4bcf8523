import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useAuth } from '../modules/auth';
import { Link, useRouter } from '../modules/router';

function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { login } = useAuth();
  const { navigate } = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
      navigate(nextPath(), true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="auth-card col" onSubmit={submit}>
      <h1>Sign in to Constellation</h1>
      <label>
        Email
        <input
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          name="email"
        />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          name="password"
        />
      </label>
      <ErrorBanner error={error} />
      <button className="primary" disabled={busy} type="submit">
        Sign in
      </button>
      <span className="muted">
        No account? <Link to="/register">Create one</Link>
      </span>
    </form>
  );
}

export function RegisterPage() {
  const { register } = useAuth();
  const { navigate } = useRouter();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 10) {
      setError(new Error('The password needs at least 10 characters.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await register(email, password, displayName);
      navigate('/', true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="auth-card col" onSubmit={submit}>
      <h1>Create your account</h1>
      <label>
        Name
        <input
          required
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          name="displayName"
        />
      </label>
      <label>
        Email
        <input
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          name="email"
        />
      </label>
      <label>
        Password (at least 10 characters)
        <input
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          name="password"
        />
      </label>
      <ErrorBanner error={error} />
      <button className="primary" disabled={busy} type="submit">
        Create account
      </button>
      <span className="muted">
        Already registered? <Link to="/login">Sign in</Link>
      </span>
    </form>
  );
}
