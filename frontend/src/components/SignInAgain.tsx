import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, TOKENS_KEY } from '../api/client';
import type { Me } from '../api/types';
import { Modal } from './Modal';
import { ErrorBanner } from './ErrorBanner';

/**
 * Keeps the page when the session ends — refused refresh, or a sign-out in another tab: a dialog
 * asks the same user to sign in again, and the request that failed (a save, say) is then sent
 * again. Open tabs and unsaved buffers stay as they are (and in IndexedDB). "Go to the sign-in
 * page" leaves the page as before.
 */
export function SignInAgain({ user }: { user: Me }) {
  const [asking, setAsking] = useState(false);
  const waiting = useRef<((ok: boolean) => void)[]>([]);

  const finish = useCallback((ok: boolean) => {
    setAsking(false);
    const resolvers = waiting.current;
    waiting.current = [];
    resolvers.forEach((r) => r(ok));
  }, []);

  useEffect(() => {
    api.setReauthenticator(
      () =>
        new Promise<boolean>((resolve) => {
          waiting.current.push(resolve);
          setAsking(true);
        }),
    );
    const onStorage = (e: StorageEvent) => {
      if (e.key !== TOKENS_KEY) return;
      if (e.newValue === null) setAsking(true);
      // Signed in again in another tab: if as this user, carry on here too.
      else
        api.me().then(
          (me) => me.id === user.id && finish(true),
          () => undefined,
        );
    };
    window.addEventListener('storage', onStorage);
    return () => {
      api.setReauthenticator(null);
      window.removeEventListener('storage', onStorage);
    };
  }, [user.id, finish]);

  if (!asking) return null;
  return (
    <SignInDialog
      user={user}
      onSignedIn={() => finish(true)}
      onLeave={() => {
        const pending = waiting.current.length > 0;
        finish(false);
        // With no request waiting nobody else ends the session.
        if (!pending) api.endSession();
      }}
    />
  );
}

function SignInDialog({
  user,
  onSignedIn,
  onLeave,
}: {
  user: Me;
  onSignedIn(): void;
  onLeave(): void;
}) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const signedIn = await api.login(user.email, password);
      if (signedIn.id !== user.id) {
        await api.logout();
        throw new Error(`This page belongs to ${user.email}; sign in as that user.`);
      }
      onSignedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    // Escape or a click outside must not drop the session silently: only the two buttons close it.
    <Modal title="Your session ended" onClose={() => undefined}>
      <form className="col" onSubmit={submit} data-testid="sign-in-again">
        <p style={{ margin: 0 }}>
          Sign in again to carry on. Your open files and unsaved changes stay as they are; what you
          were doing (a save, for example) goes through once you are signed in.
        </p>
        <label>
          Email
          <input value={user.email} readOnly autoComplete="username" />
        </label>
        <label>
          Password
          <input
            type="password"
            autoFocus
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="sign-in-again-password"
          />
        </label>
        <ErrorBanner error={error} />
        <div className="buttons">
          <button type="button" onClick={onLeave}>
            Go to the sign-in page
          </button>
          <button
            className="primary"
            disabled={busy || !password}
            data-testid="sign-in-again-submit"
          >
            Sign in
          </button>
        </div>
      </form>
    </Modal>
  );
}
