import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  git,
  groupFiles,
  LETTER_TITLES,
  useGitStatus,
  useRefreshWhenRunning,
  type GitBranches,
  type GitCommit,
  type GitFile,
} from '../modules/git';
import { useWorkspace } from '../modules/workspaceContext';
import { basename } from '../modules/paths';
import { ErrorBanner } from './ErrorBanner';
import { ConfirmDialog, PromptDialog } from './PromptDialog';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The Source Control view (VS Code's shape): branch and sync, the commit box, merge / staged /
 * working-tree groups, and a short history. Viewers see everything and change nothing.
 */
export function SourceControlPanel({
  projectId,
  readOnly,
  onOpenDiff,
  onOpenFile,
}: {
  projectId: string;
  readOnly: boolean;
  onOpenDiff(path: string, staged: boolean): void;
  onOpenFile?(path: string): void;
}) {
  const ws = useWorkspace();
  const { status, stopped, error: readError, loading, refresh } = useGitStatus(projectId);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const [ask, setAsk] = useState<null | 'stage-all-commit' | 'new-branch'>(null);
  const [log, setLog] = useState<GitCommit[] | null>(null);
  const [logKey, setLogKey] = useState(0);
  const running = ws.status?.status === 'RUNNING';
  useRefreshWhenRunning(projectId, running);

  const head = status?.repository ? `${status.branch ?? ''}:${status.ahead}:${status.behind}` : '';
  useEffect(() => {
    if (!status?.repository) return;
    let cancelled = false;
    git.log(projectId, 20).then(
      (l) => !cancelled && setLog(l),
      () => !cancelled && setLog(null),
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, status?.repository, head, logKey]);

  /** Runs one git action at a time; shows its problem's detail; re-reads the status after it. */
  const run = useCallback(
    async (name: string, fn: () => Promise<unknown>) => {
      setBusy(name);
      setError(null);
      try {
        await fn();
        return true;
      } catch (e) {
        setError(e);
        return false;
      } finally {
        setBusy(null);
        await refresh();
        setLogKey((k) => k + 1);
      }
    },
    [refresh],
  );

  const files = status?.files ?? [];
  const groups = groupFiles(files);
  const canCommit = !readOnly && groups.staged.length > 0 && message.trim() !== '' && !busy;
  const commit = async (stageAll: boolean) => {
    const ok = await run('commit', async () => {
      if (stageAll) await git.stage(projectId, [...new Set(groups.changes.map((f) => f.path))]);
      await git.commit(projectId, message.trim());
    });
    if (ok) setMessage('');
  };
  const onMessageKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (isMac ? e.metaKey : e.ctrlKey)) {
      e.preventDefault();
      if (readOnly || !message.trim() || busy) return;
      if (groups.staged.length > 0) void commit(false);
      else if (groups.changes.length > 0) setAsk('stage-all-commit');
    }
  };

  let body;
  if (stopped) {
    body = (
      <div className="pad col" data-testid="scm-stopped">
        <span className="muted">Start the workspace to see changes.</span>
        {ws.canControl && (
          <button
            className="primary"
            onClick={() => void ws.start()}
            disabled={ws.status?.status === 'STARTING'}
            data-testid="scm-start"
          >
            {ws.status?.status === 'STARTING' ? 'Starting…' : 'Start workspace'}
          </button>
        )}
      </div>
    );
  } else if (!status) {
    body = <div className="pad muted">{loading ? 'Reading the repository…' : null}</div>;
  } else if (!status.repository) {
    body = (
      <div className="pad col" data-testid="scm-no-repo">
        <span className="muted">This project is not a Git repository.</span>
        {!readOnly && (
          <button
            className="primary"
            disabled={!!busy}
            onClick={() => void run('init', () => git.init(projectId))}
            data-testid="scm-init"
          >
            {busy === 'init' ? 'Initializing…' : 'Initialize repository'}
          </button>
        )}
      </div>
    );
  } else {
    const mod = isMac ? '⌘' : 'Ctrl';
    body = (
      <>
        <BranchBar
          projectId={projectId}
          readOnly={readOnly}
          branch={status.detached ? `(detached) ${status.branch ?? ''}` : (status.branch ?? '')}
          upstream={status.upstream ?? null}
          ahead={status.ahead ?? 0}
          behind={status.behind ?? 0}
          busy={busy}
          run={run}
          onNewBranch={() => setAsk('new-branch')}
        />
        {status.merging && (
          <div className="banner warn scm-merging" data-testid="scm-merging">
            <span className="grow">Merging — resolve conflicts, stage, commit.</span>
            {!readOnly && (
              <button
                disabled={!!busy}
                onClick={() => void run('abort', () => git.abortMerge(projectId))}
                data-testid="scm-abort-merge"
              >
                Abort merge
              </button>
            )}
          </div>
        )}
        {!readOnly && (
          <div className="scm-commit col">
            <textarea
              rows={2}
              placeholder={`Message (${mod}+Enter to commit)`}
              aria-label="Commit message"
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              onKeyDown={onMessageKey}
              data-testid="scm-message"
            />
            <div className="row">
              <button
                className="primary grow"
                disabled={!canCommit}
                title={
                  groups.staged.length === 0
                    ? 'Nothing is staged'
                    : !message.trim()
                      ? 'Write a message first'
                      : `Commit (${mod}+Enter)`
                }
                onClick={() => void commit(false)}
                data-testid="scm-commit"
              >
                {busy === 'commit' ? 'Committing…' : 'Commit'}
              </button>
              {groups.staged.length === 0 && groups.changes.length > 0 && (
                <button
                  disabled={!message.trim() || !!busy}
                  onClick={() => setAsk('stage-all-commit')}
                  title="Stage every change, then commit"
                  data-testid="scm-stage-all-commit"
                >
                  Stage all and commit
                </button>
              )}
            </div>
          </div>
        )}
        <ErrorBanner error={error} onClose={() => setError(null)} />
        {files.length === 0 && (
          <div className="pad muted" data-testid="scm-clean">
            No changes.
          </div>
        )}
        <FileGroup
          title="Merge changes"
          kind="merge"
          files={groups.merge}
          readOnly={readOnly}
          busy={!!busy}
          onOpen={(f) => (onOpenFile ? onOpenFile(f.path) : onOpenDiff(f.path, false))}
          onAction={(f) => void run('stage', () => git.stage(projectId, [f.path]))}
          onAll={() =>
            void run('stage', () =>
              git.stage(
                projectId,
                groups.merge.map((f) => f.path),
              ),
            )
          }
        />
        <FileGroup
          title="Staged changes"
          kind="staged"
          files={groups.staged}
          readOnly={readOnly}
          busy={!!busy}
          onOpen={(f) => onOpenDiff(f.path, true)}
          onAction={(f) => void run('unstage', () => git.unstage(projectId, [f.path]))}
          onAll={() =>
            void run('unstage', () =>
              git.unstage(
                projectId,
                groups.staged.map((f) => f.path),
              ),
            )
          }
        />
        <FileGroup
          title="Changes"
          kind="changes"
          files={groups.changes}
          readOnly={readOnly}
          busy={!!busy}
          onOpen={(f) => onOpenDiff(f.path, false)}
          onAction={(f) => void run('stage', () => git.stage(projectId, [f.path]))}
          onAll={() =>
            void run('stage', () =>
              git.stage(
                projectId,
                groups.changes.map((f) => f.path),
              ),
            )
          }
        />
        <History log={log} />
      </>
    );
  }

  return (
    <div className="pane scm" data-testid="scm-panel">
      <div className="pane-head">
        <span>Source control</span>
        <span className="grow" />
        {busy && <span className="muted">…</span>}
        <button
          className="link"
          title="Refresh"
          aria-label="Refresh source control"
          onClick={() => {
            void refresh();
            setLogKey((k) => k + 1);
          }}
        >
          ↻
        </button>
      </div>
      {readError && !stopped ? <ErrorBanner error={readError} /> : null}
      <div className="pane-body">{body}</div>
      {ask === 'stage-all-commit' && (
        <ConfirmDialog
          title="Nothing is staged"
          message="There are no staged changes. Stage all your changes and commit them?"
          confirmLabel="Stage all and commit"
          onConfirm={() => commit(true)}
          onClose={() => setAsk(null)}
        />
      )}
      {ask === 'new-branch' && (
        <PromptDialog
          title="Create a branch"
          label={`New branch from ${status?.branch ?? 'the current commit'}`}
          submitLabel="Create and switch"
          onSubmit={async (name) => {
            await git.createBranch(projectId, name, true);
            await refresh();
          }}
          onClose={() => setAsk(null)}
        />
      )}
    </div>
  );
}

function BranchBar(props: {
  projectId: string;
  readOnly: boolean;
  branch: string;
  upstream: string | null;
  ahead: number;
  behind: number;
  busy: string | null;
  run(name: string, fn: () => Promise<unknown>): Promise<boolean>;
  onNewBranch(): void;
}) {
  const { projectId, readOnly, busy, run } = props;
  const [open, setOpen] = useState(false);
  const [branches, setBranches] = useState<GitBranches | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    setListError(null);
    git.branches(projectId).then(setBranches, setListError);
    const close = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', esc);
    };
  }, [open, projectId]);

  const pick = (action: () => Promise<unknown>, name: string) => {
    setOpen(false);
    void run(name, action);
  };
  const others = (branches?.branches ?? []).filter((b) => b.name !== branches?.current);

  return (
    <div className="scm-branch row">
      <div className="menu-anchor grow" ref={menu}>
        <button
          className="link scm-branch-name"
          onClick={() => setOpen((o) => !o)}
          aria-haspopup="menu"
          aria-expanded={open}
          title={readOnly ? 'Branches' : 'Switch or create a branch'}
          data-testid="scm-branch"
        >
          ⎇ {props.branch || '(no branch)'}
        </button>
        {open && (
          <ul className="menu scm-branch-menu" role="menu" data-testid="scm-branch-menu">
            {!readOnly && (
              <li>
                <button
                  className="link"
                  role="menuitem"
                  onClick={() => {
                    setOpen(false);
                    props.onNewBranch();
                  }}
                  data-testid="scm-new-branch"
                >
                  + Create new branch…
                </button>
              </li>
            )}
            {listError ? (
              <li className="muted">{String((listError as Error).message ?? listError)}</li>
            ) : !branches ? (
              <li className="muted">Loading…</li>
            ) : others.length === 0 ? (
              <li className="muted">No other branch.</li>
            ) : (
              others.map((b) => (
                <li key={`${b.remote}:${b.name}`} data-testid="scm-branch-item">
                  <span className="grow" title={b.sha}>
                    {b.name}
                    {b.remote && <span className="muted"> (remote)</span>}
                  </span>
                  {!readOnly && (
                    <>
                      <button
                        className="link"
                        role="menuitem"
                        disabled={!!busy}
                        onClick={() =>
                          pick(
                            () =>
                              git.checkout(
                                projectId,
                                b.remote ? b.name.replace(/^[^/]+\//, '') : b.name,
                              ),
                            'checkout',
                          )
                        }
                      >
                        Switch
                      </button>
                      <button
                        className="link"
                        role="menuitem"
                        disabled={!!busy}
                        title={`Merge ${b.name} into the current branch`}
                        onClick={() => pick(() => git.merge(projectId, b.name), 'merge')}
                      >
                        Merge
                      </button>
                    </>
                  )}
                </li>
              ))
            )}
          </ul>
        )}
      </div>
      <span
        className="muted scm-sync"
        title={props.upstream ? `Tracking ${props.upstream}` : 'No upstream branch'}
        data-testid="scm-sync"
      >
        {props.ahead}↑ {props.behind}↓
      </span>
      {!readOnly && (
        <>
          <button
            disabled={!!busy}
            onClick={() => void run('pull', () => git.pull(projectId))}
            data-testid="scm-pull"
          >
            {busy === 'pull' ? 'Pulling…' : 'Pull'}
          </button>
          <button
            disabled={!!busy}
            onClick={() => void run('push', () => git.push(projectId, !props.upstream))}
            data-testid="scm-push"
          >
            {busy === 'push' ? 'Pushing…' : 'Push'}
          </button>
        </>
      )}
    </div>
  );
}

function FileGroup(props: {
  title: string;
  kind: 'merge' | 'staged' | 'changes';
  files: GitFile[];
  readOnly: boolean;
  busy: boolean;
  onOpen(f: GitFile): void;
  onAction(f: GitFile): void;
  onAll(): void;
}) {
  const { files, kind, readOnly } = props;
  if (files.length === 0) return null;
  const unstage = kind === 'staged';
  const actionLabel = unstage ? 'Unstage' : kind === 'merge' ? 'Mark resolved (stage)' : 'Stage';
  return (
    <section className="scm-group" data-testid={`scm-group-${kind}`}>
      <div className="scm-group-head row">
        <span className="grow">
          {props.title} <span className="badge">{files.length}</span>
        </span>
        {!readOnly && (
          <button
            className="link"
            disabled={props.busy}
            onClick={props.onAll}
            title={unstage ? 'Unstage all' : 'Stage all'}
            aria-label={unstage ? `Unstage all (${props.title})` : `Stage all (${props.title})`}
            data-testid={unstage ? 'scm-unstage-all' : `scm-stage-all-${kind}`}
          >
            {unstage ? '−' : '+'} all
          </button>
        )}
      </div>
      <ul>
        {files.map((f) => {
          const letter = kind === 'merge' ? 'U' : kind === 'staged' ? f.index : f.worktree;
          return (
            <li
              key={f.path}
              className={`scm-file${f.conflicted ? ' conflicted' : ''}`}
              data-testid="scm-file"
              data-path={f.path}
              data-group={kind}
            >
              <button
                className="link scm-open grow"
                onClick={() => props.onOpen(f)}
                title={f.origPath ? `${f.origPath} → ${f.path}` : f.path}
              >
                <span className="scm-name">{basename(f.path)}</span>{' '}
                <span className="muted scm-dir">{dirname(f.path)}</span>
              </button>
              {!readOnly && (
                <button
                  className="link scm-action"
                  disabled={props.busy}
                  onClick={() => props.onAction(f)}
                  title={actionLabel}
                  aria-label={`${actionLabel} ${f.path}`}
                  data-testid={unstage ? 'scm-unstage' : 'scm-stage'}
                >
                  {unstage ? '−' : '+'}
                </button>
              )}
              <span
                className={`scm-letter l-${letterClass(letter)}`}
                title={LETTER_TITLES[letter] ?? letter}
                data-testid="scm-letter"
              >
                {letter}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function History({ log }: { log: GitCommit[] | null }) {
  if (!log) return null;
  return (
    <section className="scm-group scm-history" data-testid="scm-history">
      <div className="scm-group-head row">
        <span className="grow">History</span>
      </div>
      {log.length === 0 ? (
        <div className="pad muted">No commits yet.</div>
      ) : (
        <ul>
          {log.map((c) => (
            <li
              key={c.sha}
              data-testid="scm-commit-item"
              title={`${c.sha}\n${c.author} <${c.email ?? ''}>`}
            >
              <span className="grow scm-subject">{c.subject}</span>
              <span className="muted">
                {c.author} · {when(c.date)} · <code>{c.sha.slice(0, 7)}</code>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function dirname(path: string) {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function letterClass(letter: string) {
  return letter === '?' ? 'untracked' : letter;
}

/** "5 min ago" up to a day, then the date. */
function when(iso: string) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}
