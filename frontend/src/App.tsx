import { lazy, Suspense, useEffect } from 'react';
import { AuthProvider, useAuth } from './modules/auth';
import { match, RouterProvider, useRouter } from './modules/router';
import { LoginPage, RegisterPage } from './pages/AuthPages';
import { DashboardPage } from './pages/DashboardPage';
import { AdminPage } from './pages/AdminPage';

// The IDE carries Monaco and xterm; load it only when a project is opened.
const IdePage = lazy(() => import('./pages/IdePage'));

export function App() {
  return (
    <RouterProvider>
      <AuthProvider>
        <Routes />
      </AuthProvider>
    </RouterProvider>
  );
}

function Routes() {
  const { path, navigate } = useRouter();
  const { user, loading } = useAuth();
  const pathname = path.split('?')[0];
  const publicPage = pathname === '/login' || pathname === '/register';

  useEffect(() => {
    if (!loading && !user && !publicPage)
      navigate(`/login?next=${encodeURIComponent(pathname)}`, true);
  }, [loading, user, publicPage, pathname, navigate]);

  if (pathname === '/login') return <LoginPage />;
  if (pathname === '/register') return <RegisterPage />;
  if (loading || !user) return <div className="editor-empty">Loading…</div>;

  const ide = match('/projects/:id', pathname);
  if (ide)
    return (
      <Suspense fallback={<div className="editor-empty">Loading the editor…</div>}>
        <IdePage key={ide.id} projectId={ide.id} />
      </Suspense>
    );
  if (pathname === '/admin') return <AdminPage />;
  return <DashboardPage />;
}
