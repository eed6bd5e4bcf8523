import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Project, Template } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { Modal } from '../components/Modal';
import { ConfirmDialog } from '../components/PromptDialog';
import { MembersDialog } from '../components/MembersDialog';
import { TopBar } from '../components/TopBar';
import { useAuth } from '../modules/auth';
import { Link, useRouter } from '../modules/router';
import { git, type GitCredential } from '../modules/git';

export function DashboardPage() {
  const { user } = useAuth();
  const { navigate } = useRouter();
  const [query, setQuery] = useState('');
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<
    null | 'create' | 'import' | { members: Project } | { delete: Project }
  >(null);

  const load = useCallback(async (q: string) => {
    try {
      const page = await api.listProjects({ q, size: 100, sort: 'updatedAt,desc' });
      setProjects(page.items);
      setTotal(page.total);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    const t = setTimeout(() => void load(query), query ? 250 : 0);
    return () => clearTimeout(t);
  }, [query, load]);

  const download = async (p: Project) => {
    try {
      const blob = await api.exportProject(p.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${p.name}.zip`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="app">
      <TopBar />
      <main className="main">
        <div className="page">
          <div className="row">
            <h1 className="grow" style={{ margin: 0, fontSize: 22 }}>
              Projects{' '}
              <span className="muted" style={{ fontSize: 14 }}>
                {projects ? total : ''}
              </span>
            </h1>
            <input
              type="search"
              placeholder="Search projects"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              aria-label="Search projects"
              data-testid="project-search"
            />
            <button onClick={() => setDialog('import')}>Import zip</button>
            <button
              className="primary"
              onClick={() => setDialog('create')}
              data-testid="new-project"
            >
              New project
            </button>
          </div>
          <ErrorBanner error={error} onClose={() => setError(null)} />
          {projects && projects.length === 0 && (
            <p className="notice">
              {query
                ? 'No project matches your search.'
                : 'No projects yet. Create one from a template or import a zip.'}
            </p>
          )}
          <div className="cards">
            {projects?.map((p) => {
              const myRole =
                p.ownerId === user?.id
                  ? 'OWNER'
                  : (p.members.find((m) => m.userId === user?.id)?.role ?? 'VIEWER');
              return (
                <div className="card" key={p.id} data-testid="project-card">
                  <h3>
                    <Link to={`/projects/${p.id}`}>{p.name}</Link>
                  </h3>
                  <span className="muted">{p.description || 'No description'}</span>
                  <span className="muted" style={{ fontSize: 12 }}>
                    {p.templateId ?? 'imported'} · {myRole.toLowerCase()} · {p.members.length}{' '}
                    member{p.members.length === 1 ? '' : 's'}
                    {p.updatedAt ? ` · updated ${new Date(p.updatedAt).toLocaleString()}` : ''}
                  </span>
                  <div className="actions">
                    <button className="primary" onClick={() => navigate(`/projects/${p.id}`)}>
                      Open
                    </button>
                    <button onClick={() => setDialog({ members: p })}>Members</button>
                    <button onClick={() => void download(p)}>Export</button>
                    {myRole === 'OWNER' && (
                      <button className="danger" onClick={() => setDialog({ delete: p })}>
                        Delete
                      </button>
                    )}
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </main>
      {dialog === 'create' && (
        <CreateProjectDialog
          onClose={() => setDialog(null)}
          onCreated={(p) => navigate(`/projects/${p.id}`)}
        />
      )}
      {dialog === 'import' && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onCreated={(p) => navigate(`/projects/${p.id}`)}
        />
      )}
      {dialog && typeof dialog === 'object' && 'members' in dialog && (
        <MembersDialog
          project={dialog.members}
          canManage={
            dialog.members.ownerId === user?.id ||
            dialog.members.members.some((m) => m.userId === user?.id && m.role === 'OWNER')
          }
          onClose={() => {
            setDialog(null);
            void load(query);
          }}
        />
      )}
      {dialog && typeof dialog === 'object' && 'delete' in dialog && (
        <ConfirmDialog
          title="Delete project"
          message={`Delete “${dialog.delete.name}”? Its files, workspace and conversations are removed for every member. This cannot be undone.`}
          confirmLabel="Delete project"
          onConfirm={async () => {
            await api.deleteProject(dialog.delete.id);
            await load(query);
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

function CreateProjectDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (p: Project) => void;
}) {
  const [templates, setTemplates] = useState<Template[]>([]);
  const [source, setSource] = useState<'template' | 'clone'>('template');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [url, setUrl] = useState('');
  const [branch, setBranch] = useState('');
  const [credentialId, setCredentialId] = useState('');
  const [credentials, setCredentials] = useState<GitCredential[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [phase, setPhase] = useState<null | 'creating' | 'cloning'>(null);
  // A project made for a clone that then failed: offered for deletion.
  const [halfMade, setHalfMade] = useState<Project | null>(null);
  useEffect(() => {
    api.templates().then((t) => {
      setTemplates(t);
      setTemplateId((cur) => cur || t.find((x) => x.id === 'blank')?.id || t[0]?.id || '');
    }, setError);
  }, []);
  useEffect(() => {
    if (source !== 'clone' || credentials) return;
    git.credentials().then(setCredentials, () => setCredentials([]));
  }, [source, credentials]);

  const cloneName = name.trim() || repoName(url);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    if (source === 'template') {
      try {
        onCreated(
          await api.createProject({ name, description: description || undefined, templateId }),
        );
      } catch (err) {
        setError(err);
        setBusy(false);
      }
      return;
    }
    let project: Project | null = halfMade;
    try {
      if (!project) {
        setPhase('creating');
        project = await createEmptyProject(templates, cloneName, description);
      }
      setPhase('cloning');
      await git.clone(project.id, url.trim(), branch.trim(), credentialId);
      onCreated(project);
    } catch (err) {
      setError(err);
      setHalfMade(project);
      setPhase(null);
      setBusy(false);
    }
  };
  return (
    <Modal title="New project" onClose={onClose}>
      <form className="col" onSubmit={submit}>
        <div className="row" role="radiogroup" aria-label="Start from">
          <label className="toggle">
            <input
              type="radio"
              name="source"
              checked={source === 'template'}
              disabled={busy || !!halfMade}
              onChange={() => setSource('template')}
            />
            From a template
          </label>
          <label className="toggle">
            <input
              type="radio"
              name="source"
              checked={source === 'clone'}
              disabled={busy}
              onChange={() => setSource('clone')}
              data-testid="source-clone"
            />
            Clone a Git repository
          </label>
        </div>
        {source === 'clone' && (
          <>
            <label>
              Repository URL
              <input
                autoFocus
                required
                placeholder="https://github.com/owner/repo.git"
                value={url}
                disabled={busy}
                onChange={(e) => setUrl(e.target.value)}
                data-testid="clone-url"
              />
            </label>
            <label>
              Branch <span className="muted">(optional — the default branch otherwise)</span>
              <input
                value={branch}
                disabled={busy}
                onChange={(e) => setBranch(e.target.value)}
                data-testid="clone-branch"
              />
            </label>
            <label>
              Credential
              <select
                value={credentialId}
                disabled={busy}
                onChange={(e) => setCredentialId(e.target.value)}
                data-testid="clone-credential"
              >
                <option value="">None (a public repository)</option>
                {credentials?.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.host} — {c.kind === 'ssh-key' ? 'SSH key' : `token for ${c.username ?? ''}`}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted">
              Tokens and SSH keys are managed under “Git credentials” in the top bar.
            </span>
          </>
        )}
        <label>
          Name
          <input
            autoFocus={source === 'template'}
            required={source === 'template'}
            placeholder={source === 'clone' ? repoName(url) : ''}
            value={name}
            disabled={!!halfMade}
            onChange={(e) => setName(e.target.value)}
            data-testid="project-name"
          />
        </label>
        <label>
          Description
          <input
            value={description}
            disabled={!!halfMade}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        {source === 'template' && (
          <>
            <label>
              Template
              <select
                value={templateId}
                onChange={(e) => setTemplateId(e.target.value)}
                data-testid="project-template"
              >
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                    {t.language ? ` (${t.language})` : ''}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted">{templates.find((t) => t.id === templateId)?.description}</span>
          </>
        )}
        {phase && (
          <div className="row" role="status" data-testid="clone-progress">
            <div className="progress" aria-hidden="true" />
            <span className="muted">
              {phase === 'creating'
                ? 'Creating the project…'
                : 'Starting its workspace and cloning — large repositories take a few minutes…'}
            </span>
          </div>
        )}
        <ErrorBanner error={error} />
        {halfMade && !busy && (
          <div className="notice row" data-testid="clone-failed">
            <span className="grow">
              The project “{halfMade.name}” was created but the clone failed. Try again, or delete
              it.
            </span>
            <button
              type="button"
              className="danger"
              onClick={async () => {
                try {
                  await api.deleteProject(halfMade.id);
                  setHalfMade(null);
                  setError(null);
                } catch (err) {
                  setError(err);
                }
              }}
              data-testid="clone-delete-project"
            >
              Delete project
            </button>
          </div>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="primary"
            disabled={busy || (source === 'template' ? !templateId : !url.trim() || !cloneName)}
            data-testid="create-project"
          >
            {source === 'template'
              ? 'Create'
              : busy
                ? 'Cloning…'
                : halfMade
                  ? 'Retry clone'
                  : 'Clone'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** "https://host/owner/repo.git" → "repo". */
function repoName(url: string): string {
  const last = url.trim().replace(/\/+$/, '').split(/[/:]/).pop() ?? '';
  return last.replace(/\.git$/i, '');
}

/**
 * A clone needs an empty project. The `empty` template is one; with only `blank` (a README) the
 * project's files are removed first, so the clone finds an empty folder either way.
 */
async function createEmptyProject(
  templates: Template[],
  name: string,
  description: string,
): Promise<Project> {
  const empty = templates.find((t) => t.id === 'empty');
  const templateId = empty?.id ?? templates.find((t) => t.id === 'blank')?.id ?? 'blank';
  const project = await api.createProject({
    name,
    description: description || undefined,
    templateId,
  });
  if (!empty) {
    for (const f of await api.listFiles(project.id, '')) await api.deleteFile(project.id, f.path);
  }
  return project;
}

function ImportDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (p: Project) => void;
}) {
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.importProject(name || file.name.replace(/\.zip$/i, ''), file));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title="Import a zip" onClose={onClose}>
      <form className="col" onSubmit={submit}>
        <label>
          Zip file
          <input
            type="file"
            accept=".zip,application/zip"
            required
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          Project name
          <input
            value={name}
            placeholder={file?.name.replace(/\.zip$/i, '') ?? ''}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <ErrorBanner error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" disabled={busy || !file}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
