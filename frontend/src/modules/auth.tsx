import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, onSessionExpired } from '../api/client';
import type { User } from '../api/types';
import { useRouter } from './router';

interface AuthState {
  user: User | null;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  register(email: string, password: string, displayName: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
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

  const login = useCallback(async (email: string, password: string) => {
    setUser(await api.login(email, password));
  }, []);
  const register = useCallback(async (email: string, password: string, displayName: string) => {
    setUser(await api.register(email, password, displayName));
  }, []);
  const logout = useCallback(async () => {
    await api.logout();
    setUser(null);
    navigate('/login');
  }, [navigate]);

  return (
    <AuthContext.Provider value={{ user, loading, login, register, logout }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
