import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, onSessionExpired } from '../api/client';
import type { Me, Preferences } from '../api/types';
import { useRouter } from './router';

interface AuthState {
  user: Me | null;
  /** Stores the user's preferences server-side and shows them at once. */
  setPreferences(patch: Partial<Preferences>): Promise<void>;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  register(email: string, password: string, displayName: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  const [loading, setLoading] = useState(() => api.tokens !== null);
  const { navigate } = useRouter();

  useEffect(() => {
    onSessionExpired(() => {
      setUser(null);
      const here = window.location.pathname;
      if (here !== '/login' && here !== '/register')
        navigate(`/login?next=${encodeURIComponent(here)}`, true);
    });
    if (api.tokens) {
      api
        .me()
        .then(setUser, () => setUser(null))
        .finally(() => setLoading(false));
    }
  }, [navigate]);

  // The sign-in answer has no preferences; /me has them.
  const withMe = useCallback(async (signedIn: Me) => {
    setUser(signedIn);
    await api.me().then(setUser, () => undefined);
  }, []);
  const login = useCallback(
    async (email: string, password: string) => withMe(await api.login(email, password)),
    [withMe],
  );
  const register = useCallback(
    async (email: string, password: string, displayName: string) =>
      withMe(await api.register(email, password, displayName)),
    [withMe],
  );
  const setPreferences = useCallback(async (patch: Partial<Preferences>) => {
    const preferences = await api.updatePreferences(patch);
    setUser((u) => (u ? { ...u, preferences } : u));
  }, []);
  const logout = useCallback(async () => {
    await api.logout();
    setUser(null);
    navigate('/login');
  }, [navigate]);

  return (
    <AuthContext.Provider value={{ user, loading, login, register, logout, setPreferences }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
