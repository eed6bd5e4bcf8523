import type { ReactNode } from 'react';
import { useAuth } from '../modules/auth';
import { Link } from '../modules/router';
import { useTheme } from '../modules/theme';

export function TopBar({ children }: { children?: ReactNode }) {
  const { user, logout } = useAuth();
  const [theme, setTheme] = useTheme();
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        ✦ Constellation
      </Link>
      <nav>
        <Link to="/">Projects</Link>
        {user?.roles.includes('ADMIN') && <Link to="/admin">Admin</Link>}
      </nav>
      <div className="grow row">{children}</div>
      <button
        className="link"
        onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        title="Toggle theme"
        data-testid="theme"
      >
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
      {user && (
        <>
          <span className="muted" title={user.email}>
            {user.displayName}
          </span>
          <button className="link" onClick={() => void logout()}>
            Sign out
          </button>
        </>
      )}
    </header>
  );
}
