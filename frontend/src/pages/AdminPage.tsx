import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Health, UsagePage, UsageRow, User } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { TopBar } from '../components/TopBar';
import { useAuth } from '../modules/auth';
import { formatUsd, periodStart, type Period } from '../modules/usage';

export function AdminPage() {
  const { user: me } = useAuth();
  const [users, setUsers] = useState<User[] | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshed, setRefreshed] = useState(0);

  const load = useCallback(() => {
    setRefreshed((n) => n + 1);
    api.listUsers(0, 200).then((p) => setUsers(p.items), setError);
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
            <h2 style={{ fontSize: 17 }}>AI spend</h2>
            <SpendView users={users} refresh={refreshed} />
          </section>
        </div>
      </main>
    </div>
  );
}

type Grouping = 'user' | 'project' | 'model';

const GROUPINGS: Record<Grouping, string> = { user: 'User', project: 'Project', model: 'Model' };
const PERIODS: Record<Period, string> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'All time',
};

function formatRate(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

/** Spend by user, project or model: one table for the chosen grouping, most expensive first. */
function SpendView({ users, refresh }: { users: User[] | null; refresh: number }) {
  const [groupBy, setGroupBy] = useState<Grouping>('user');
  const [period, setPeriod] = useState<Period>('30d');
  // The page keeps the grouping it was asked with: until a new one arrives, the old rows are shown
  // under their own heading, not under the newly chosen one.
  const [report, setReport] = useState<{ groupBy: Grouping; page: UsagePage } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    api.usage({ groupBy, from: periodStart(period), size: 100 }).then(
      (p) => current && setReport({ groupBy, page: p }),
      (e) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [groupBy, period, refresh]);

  const page = report?.page;
  const shown = report?.groupBy ?? groupBy;
  const name = (row: UsageRow): string => {
    if (shown === 'user') {
      const u = users?.find((x) => x.id === row.userId);
      return u ? `${u.displayName} (${u.email})` : (row.userId ?? '');
    }
    return (shown === 'project' ? row.projectId : row.model) ?? '';
  };

  return (
    <>
      <div className="row" style={{ gap: 12 }}>
        <label>
          Spend by{' '}
          <select
            aria-label="Spend by"
            value={groupBy}
            onChange={(e) => setGroupBy(e.target.value as Grouping)}
          >
            {Object.entries(GROUPINGS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period{' '}
          <select
            aria-label="Period"
            value={period}
            onChange={(e) => setPeriod(e.target.value as Period)}
          >
            {Object.entries(PERIODS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={error} />
      {page && page.items.length === 0 && <p className="muted">No AI usage in this period.</p>}
      {page && page.items.length > 0 && (
        <table data-testid="spend">
          <thead>
            <tr>
              <th>{GROUPINGS[shown]}</th>
              <th>Requests</th>
              <th>Tokens</th>
              <th title="Share of the prompt tokens served from Anthropic's prompt cache">
                Cache hits
              </th>
              <th>Cost</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((row) => (
              <tr key={name(row)} data-testid="spend-row">
                <td>{name(row)}</td>
                <td>{row.requests.toLocaleString()}</td>
                <td>{row.totalTokens.toLocaleString()}</td>
                <td>{formatRate(row.cacheHitRate)}</td>
                <td>{formatUsd(row.costUsd)}</td>
              </tr>
            ))}
            <tr>
              <th>Total</th>
              <th>{page.totals.requests.toLocaleString()}</th>
              <th>{page.totals.totalTokens.toLocaleString()}</th>
              <th>{formatRate(page.totals.cacheHitRate)}</th>
              <th data-testid="spend-total">{formatUsd(page.totals.costUsd)}</th>
            </tr>
          </tbody>
        </table>
      )}
      {page && page.total > page.items.length && (
        <p className="muted">
          The {page.items.length} largest of {page.total} shown.
        </p>
      )}
    </>
  );
}
