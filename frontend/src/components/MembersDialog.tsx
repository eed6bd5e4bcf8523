import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Member, Project, Role, UserSummary } from '../api/types';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';

const ROLES: Role[] = ['VIEWER', 'EDITOR', 'OWNER'];

/** How a member is shown: the directory's name and email when known, else the id. */
export function describeMember(
  m: Member,
  directory: Map<string, UserSummary>,
): { name: string; email?: string } {
  const u = directory.get(m.userId);
  const email = u?.email;
  const name = u?.displayName || email || m.userId;
  return { name, email: email && email !== name ? email : undefined };
}

export function MembersDialog({
  project,
  canManage,
  onClose,
}: {
  project: Project;
  canManage: boolean;
  onClose: () => void;
}) {
  const [members, setMembers] = useState(project.members);
  const [directory, setDirectory] = useState(() => new Map<string, UserSummary>());
  const [error, setError] = useState<unknown>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('EDITOR');
  const [busy, setBusy] = useState(false);

  const learn = useCallback(async (list: Member[]) => {
    const users = await api.usersByIds(list.map((m) => m.userId));
    setDirectory((d) => new Map([...d, ...users.map((u) => [u.id, u] as const)]));
  }, []);

  useEffect(() => {
    // Names are a nicety: without them the dialog still works with ids.
    learn(project.members).catch(() => undefined);
  }, [learn, project.members]);

  const refresh = async () => {
    const next = (await api.getProject(project.id)).members;
    setMembers(next);
    await learn(next).catch(() => undefined);
  };
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
      await refresh();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const wanted = email.trim();
    if (!wanted) return;
    const ok = await run(async () => {
      let user: UserSummary;
      try {
        user = await api.lookupUser(wanted);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404)
          throw new Error(`No active account uses ${wanted}. They need to register first.`, {
            cause: err,
          });
        throw err;
      }
      setDirectory((d) => new Map(d).set(user.id, user));
      await api.setMember(project.id, user.id, role);
    });
    if (ok) setEmail('');
  };

  return (
    <Modal title={`Members of ${project.name}`} onClose={onClose}>
      <table data-testid="members">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const who = describeMember(m, directory);
            return (
              <tr key={m.userId} data-testid="member">
                <td title={m.userId}>
                  {who.name}
                  {m.userId === project.ownerId && <span className="muted"> (owner)</span>}
                  {who.email && (
                    <div className="muted" style={{ fontSize: 12 }}>
                      {who.email}
                    </div>
                  )}
                </td>
                <td>
                  {canManage ? (
                    <select
                      value={m.role}
                      disabled={busy}
                      onChange={(e) =>
                        void run(() => api.setMember(project.id, m.userId, e.target.value as Role))
                      }
                      aria-label={`Role of ${who.name}`}
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                <td>
                  {canManage && m.userId !== project.ownerId && (
                    <button
                      className="link danger"
                      disabled={busy}
                      onClick={() => void run(() => api.removeMember(project.id, m.userId))}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canManage && (
        <form className="row" onSubmit={(e) => void add(e)}>
          <input
            className="grow"
            type="email"
            placeholder="Email of a registered user"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-label="Email of the new member"
            data-testid="member-email"
          />
          <select
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            aria-label="New member role"
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button className="primary" disabled={busy || !email.trim()} data-testid="add-member">
            Add
          </button>
        </form>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="buttons">
        <button onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
