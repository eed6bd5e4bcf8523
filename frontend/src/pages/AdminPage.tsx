import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Health, User } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { TopBar } from '../components/TopBar';
import { useAuth } from '../modules/auth';

export function AdminPage() {
  const { user: me } = useAuth();
  const [users, setUsers] = useState<User[] | null>(null);
  const [usage, setUsage] = useState<unknown>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [usageError, setUsageError] = useState<unknown>(null);

  const load = useCallback(() => {
    api.listUsers(0, 200).then((p) => setUsers(p.items), setError);
    api.usage().then(setUsage, setUsageError);
    api
      .health()
      .then(setHealth, (e) =>
        setHealth({ status: 'DOWN', services: { gateway: String((e as Error).message) } }),
      );
  }, []);
  useEffect(load, [load]);

  const update = async (u: User, patch: { disabled?: boolean; roles?: User['roles'] }) => {
    try {
      const updated = await api.updateUser(u.id, patch);
      setUsers(
        (list) =>
          list?.map((x) => (x.id === u.id ? { ...x, ...patch, ...(updated ?? {}) } : x)) ?? null,
      );
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="app">
      <TopBar>
        <button className="link" onClick={load}>
          Refresh
        </button>
      </TopBar>
      <main className="main">
        <div className="page col">
          <h1 style={{ margin: 0, fontSize: 22 }}>Administration</h1>
          <ErrorBanner error={error} onClose={() => setError(null)} />

          <section>
            <h2 style={{ fontSize: 17 }}>
              Service health{' '}
              {health && (
                <span className={`badge ${health.status}`} data-testid="health-status">
                  {health.status}
                </span>
              )}
            </h2>
            <div className="row" style={{ flexWrap: 'wrap' }}>
              {health &&
                Object.entries(health.services ?? {}).map(([name, status]) => (
                  <span key={name} className="notice">
                    {name}{' '}
                    <span className={`badge ${typeof status === 'string' ? status : ''}`}>
                      {typeof status === 'string' ? status : JSON.stringify(status)}
                    </span>
                  </span>
                ))}
            </div>
          </section>

          <section>
            <h2 style={{ fontSize: 17 }}>Users</h2>
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Roles</th>
                  <th>Created</th>
                  <th>Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {users?.map((u) => {
                  const isAdmin = u.roles.includes('ADMIN');
                  return (
                    <tr key={u.id}>
                      <td>{u.displayName}</td>
                      <td>{u.email}</td>
                      <td>{u.roles.join(', ')}</td>
                      <td>{u.createdAt ? new Date(u.createdAt).toLocaleDateString() : ''}</td>
                      <td>
                        {u.disabled ? (
                          <span className="badge DOWN">disabled</span>
                        ) : (
                          <span className="badge UP">active</span>
                        )}
                      </td>
                      <td className="row">
                        {u.id !== me?.id && (
                          <>
                            <button onClick={() => void update(u, { disabled: !u.disabled })}>
                              {u.disabled ? 'Enable' : 'Disable'}
                            </button>
                            <button
                              onClick={() =>
                                void update(u, { roles: isAdmin ? ['USER'] : ['USER', 'ADMIN'] })
                              }
                            >
                              {isAdmin ? 'Remove admin' : 'Make admin'}
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>

          <section>
            <h2 style={{ fontSize: 17 }}>AI usage</h2>
            <ErrorBanner error={usageError} />
            {usage !== null && <UsageView usage={usage} />}
          </section>
        </div>
      </main>
    </div>
  );
}

/** The usage report's shape is the claude-service's to choose; show any list of records as a table, numbers summed. */
function UsageView({ usage }: { usage: unknown }) {
  const rows = Array.isArray(usage)
    ? usage
    : usage && typeof usage === 'object' && Array.isArray((usage as { items?: unknown }).items)
      ? (usage as { items: unknown[] }).items
      : null;
  if (!rows) {
    const entries =
      usage && typeof usage === 'object' ? Object.entries(usage as Record<string, unknown>) : [];
    return (
      <table>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (rows.length === 0) return <p className="muted">No AI usage recorded yet.</p>;
  const cols = Array.from(
    new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : []))),
  );
  const totals = cols.map((c) =>
    rows.reduce<number | null>(
      (acc, r) =>
        typeof (r as Record<string, unknown>)[c] === 'number'
          ? (acc ?? 0) + (r as Record<string, number>)[c]
          : acc,
      null,
    ),
  );
  return (
    <table data-testid="usage">
      <thead>
        <tr>
          {cols.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {cols.map((c) => {
              const v = (r as Record<string, unknown>)[c];
              return (
                <td key={c}>
                  {typeof v === 'number'
                    ? v.toLocaleString()
                    : typeof v === 'object'
                      ? JSON.stringify(v)
                      : String(v ?? '')}
                </td>
              );
            })}
          </tr>
        ))}
        <tr>
          {totals.map((t, i) => (
            <th key={i}>
              {i === 0 && t === null ? 'Total' : t === null ? '' : t.toLocaleString()}
            </th>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
