import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Project, Role } from '../api/types';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';

const ROLES: Role[] = ['VIEWER', 'EDITOR', 'OWNER'];

export function MembersDialog({ project, canManage, onClose }: { project: Project; canManage: boolean; onClose: () => void }) {
  const [members, setMembers] = useState(project.members);
  const [error, setError] = useState<unknown>(null);
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<Role>('EDITOR');

  const refresh = async () => setMembers((await api.getProject(project.id)).members);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await refresh();
    } catch (e) {
      setError(e);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (userId.trim()) void run(() => api.setMember(project.id, userId.trim(), role)).then(() => setUserId(''));
  };

  return (
    <Modal title={`Members of ${project.name}`} onClose={onClose}>
      <table>
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>
                {m.displayName ?? m.email ?? m.userId}
                {m.userId === project.ownerId && <span className="muted"> (owner)</span>}
              </td>
              <td>
                {canManage ? (
                  <select value={m.role} onChange={(e) => void run(() => api.setMember(project.id, m.userId, e.target.value as Role))} aria-label="Role">
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
                  <button className="link danger" onClick={() => void run(() => api.removeMember(project.id, m.userId))}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage && (
        <form className="row" onSubmit={add}>
          <input className="grow" placeholder="User id" value={userId} onChange={(e) => setUserId(e.target.value)} aria-label="User id" />
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label="New member role">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button className="primary">Add</button>
        </form>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="buttons">
        <button onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
