import { useState, type ReactNode } from 'react';
import { GitCredentialsDialog } from './GitCredentialsDialog';
import { useAuth } from '../modules/auth';
import { Link } from '../modules/router';
import { useTheme } from '../modules/theme';

export function TopBar({ children }: { children?: ReactNode }) {
  const { user, logout } = useAuth();
  const [theme, setTheme] = useTheme();
  const [credentials, setCredentials] = useState(false);
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
          <button
            className="link"
            onClick={() => setCredentials(true)}
            title="Tokens and SSH keys for cloning, pulling and pushing"
            data-testid="git-credentials-open"
          >
            Git credentials
          </button>
          <button className="link" onClick={() => void logout()}>
            Sign out
          </button>
        </>
      )}
      {credentials && <GitCredentialsDialog onClose={() => setCredentials(false)} />}
    </header>
  );
}
