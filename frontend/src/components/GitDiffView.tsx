import { useCallback, useEffect, useRef, useState } from 'react';
import type { editor } from 'monaco-editor';
import { git, gitStore, useGitStatus, type GitDiff, type GitHunk } from '../modules/git';
import { languageOf } from '../modules/languages';
import { monacoTheme, type Theme } from '../modules/theme';
import { ErrorBanner } from './ErrorBanner';
import { SafeDiffEditor } from './SafeDiffEditor';

/**
 * One file's changes in Monaco's diff editor: HEAD → index for staged changes, index → working file
 * for unstaged ones, with a Stage / Unstage action per hunk (git applies the hunk, not us).
 */
export function GitDiffView({
  projectId,
  path,
  staged,
  theme,
  readOnly,
  onOpenFile,
}: {
  projectId: string;
  path: string;
  staged: boolean;
  theme: Theme;
  readOnly: boolean;
  onOpenFile?(path: string): void;
}) {
  const [diff, setDiff] = useState<GitDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const widget = useRef<editor.IStandaloneDiffEditor | null>(null);
  // The status changes after a save or any git action; the diff follows it.
  const { status } = useGitStatus(projectId);

  const load = useCallback(async () => {
    try {
      setDiff(await git.diff(projectId, path, staged));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [projectId, path, staged]);
  useEffect(() => {
    void load();
  }, [load, status]);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      await gitStore(projectId).refresh();
      await load();
    }
  };
  const reveal = (h: GitHunk) =>
    widget.current?.getModifiedEditor().revealLineInCenter(Math.max(1, h.newStart));
  const hunks = diff?.hunks ?? [];

  return (
    <div className="pane git-diff" data-testid="git-diff">
      <div className="pane-head git-diff-head">
        <span title={path}>
          {path} · {staged ? 'staged (HEAD ↔ index)' : 'changes (index ↔ working tree)'}
        </span>
        <span className="grow" />
        {onOpenFile && (
          <button className="link" onClick={() => onOpenFile(path)}>
            Open file
          </button>
        )}
        {!readOnly && (
          <button
            className="link"
            disabled={busy}
            onClick={() =>
              void act(() =>
                staged ? git.unstage(projectId, [path]) : git.stage(projectId, [path]),
              )
            }
            data-testid={staged ? 'diff-unstage-file' : 'diff-stage-file'}
          >
            {staged ? 'Unstage file' : 'Stage file'}
          </button>
        )}
      </div>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {hunks.length > 0 && (
        <ul className="git-hunks" data-testid="git-hunks">
          {hunks.map((h) => (
            <li key={h.index} data-testid="git-hunk">
              <button className="link grow hunk-header" onClick={() => reveal(h)} title="Show">
                <code>{h.header}</code>
              </button>
              {!readOnly && (
                <button
                  className="link"
                  disabled={busy}
                  onClick={() => void act(() => git.stageHunks(projectId, path, [h.index], staged))}
                  data-testid={staged ? 'unstage-hunk' : 'stage-hunk'}
                >
                  {staged ? 'Unstage hunk' : 'Stage hunk'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="pane-body" style={{ overflow: 'hidden' }} data-testid="git-diff-editor">
        {!diff ? (
          <div className="pad muted">{error ? null : 'Loading the diff…'}</div>
        ) : diff.binary ? (
          <div className="pad muted">Binary file — no text diff to show.</div>
        ) : (
          <SafeDiffEditor
            key={`${path}:${staged}`}
            original={diff.original}
            modified={diff.modified}
            language={languageOf(path)}
            theme={monacoTheme(theme)}
            onMount={(w) => {
              widget.current = w;
            }}
            options={{
              readOnly: true,
              originalEditable: false,
              automaticLayout: true,
              minimap: { enabled: false },
              renderSideBySide: true,
              fontSize: 13,
              scrollBeyondLastLine: false,
            }}
          />
        )}
      </div>
    </div>
  );
}
