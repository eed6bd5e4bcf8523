import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { api } from '../api/client';
import type { FileEntry } from '../api/types';
import { basename, dirname, join } from '../modules/paths';
import { ConfirmDialog, PromptDialog } from './PromptDialog';
import { ErrorBanner } from './ErrorBanner';

interface Props {
  projectId: string;
  refreshKey: number;
  readOnly: boolean;
  activePath: string | null;
  onOpen(path: string): void;
  onMoved(from: string, to: string): void;
  onDeleted(path: string): void;
}

type Dialog =
  | { kind: 'new-file' | 'new-folder'; dir: string }
  | { kind: 'rename'; entry: FileEntry }
  | { kind: 'delete'; entry: FileEntry };

/** Lazy file tree: each folder is listed when first expanded; expanded folders are re-listed on refresh. */
export function FileTree({
  projectId,
  refreshKey,
  readOnly,
  activePath,
  onOpen,
  onMoved,
  onDeleted,
}: Props) {
  const [dirs, setDirs] = useState<Record<string, FileEntry[]>>({});
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['']));
  const [selected, setSelected] = useState<FileEntry | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;

  const loadDir = useCallback(
    async (dir: string) => {
      const entries = await api.listFiles(projectId, dir);
      entries.sort((a, b) =>
        a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'dir' ? -1 : 1,
      );
      setDirs((d) => ({ ...d, [dir]: entries }));
    },
    [projectId],
  );

  const refresh = useCallback(async () => {
    try {
      await Promise.all(
        [...expandedRef.current].map((d) =>
          loadDir(d).catch((e) => (d === '' ? Promise.reject(e) : undefined)),
        ),
      );
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [loadDir]);

  useEffect(() => {
    void refresh();
  }, [refresh, refreshKey]);

  const toggle = (entry: FileEntry) => {
    setSelected(entry);
    if (entry.type === 'file') {
      onOpen(entry.path);
      return;
    }
    const next = new Set(expanded);
    if (next.has(entry.path)) next.delete(entry.path);
    else {
      next.add(entry.path);
      loadDir(entry.path).catch(setError);
    }
    setExpanded(next);
  };

  const targetDir = selected
    ? selected.type === 'dir'
      ? selected.path
      : dirname(selected.path)
    : '';

  const move = async (from: string, to: string) => {
    if (from === to) return;
    await api.moveFile(projectId, from, to);
    onMoved(from, to);
    await refresh();
  };

  const onDrop = (e: DragEvent, dir: string) => {
    e.preventDefault();
    setDropTarget(null);
    const from = e.dataTransfer.getData('text/x-constellation-path');
    if (!from || dir === from || dir.startsWith(from + '/')) return;
    move(from, join(dir, basename(from))).catch(setError);
  };

  const renderDir = (dir: string, depth: number) => {
    const entries = dirs[dir];
    if (!entries)
      return depth === 0 ? (
        <div className="muted" style={{ padding: 8 }}>
          Loading…
        </div>
      ) : null;
    if (entries.length === 0 && depth === 0)
      return (
        <div className="muted" style={{ padding: 8 }}>
          No files yet.
        </div>
      );
    return (
      <ul className={depth === 0 ? 'tree' : undefined} role={depth === 0 ? 'tree' : 'group'}>
        {entries.map((entry) => {
          const open = expanded.has(entry.path);
          const isSelected = entry.path === (selected?.path ?? activePath);
          return (
            <li
              key={entry.path}
              role="treeitem"
              aria-expanded={entry.type === 'dir' ? open : undefined}
            >
              <div
                className={`tree-item${isSelected ? ' selected' : ''}${dropTarget === entry.path ? ' drop' : ''}`}
                style={{ paddingLeft: 6 + depth * 14 }}
                onClick={() => toggle(entry)}
                draggable={!readOnly}
                onDragStart={(e) => e.dataTransfer.setData('text/x-constellation-path', entry.path)}
                onDragOver={
                  entry.type === 'dir' && !readOnly
                    ? (e) => {
                        e.preventDefault();
                        setDropTarget(entry.path);
                      }
                    : undefined
                }
                onDragLeave={() => setDropTarget(null)}
                onDrop={
                  entry.type === 'dir' && !readOnly ? (e) => onDrop(e, entry.path) : undefined
                }
                data-testid="tree-item"
                data-path={entry.path}
                title={entry.path}
              >
                <span aria-hidden>{entry.type === 'dir' ? (open ? '▾' : '▸') : '·'}</span>
                <span className="name">{entry.name}</span>
                {!readOnly && (
                  <span className="ops" onClick={(e) => e.stopPropagation()}>
                    <button
                      className="link"
                      title="Rename or move"
                      onClick={() => setDialog({ kind: 'rename', entry })}
                    >
                      ✎
                    </button>
                    <button
                      className="link"
                      title="Delete"
                      onClick={() => setDialog({ kind: 'delete', entry })}
                    >
                      ✕
                    </button>
                  </span>
                )}
              </div>
              {entry.type === 'dir' && open && renderDir(entry.path, depth + 1)}
            </li>
          );
        })}
      </ul>
    );
  };

  return (
    <div className="pane">
      <div className="pane-head">
        <span className="grow">Files</span>
        {!readOnly && (
          <>
            <button
              className="link"
              title="New file"
              onClick={() => setDialog({ kind: 'new-file', dir: targetDir })}
              data-testid="new-file"
            >
              + File
            </button>
            <button
              className="link"
              title="New folder"
              onClick={() => setDialog({ kind: 'new-folder', dir: targetDir })}
            >
              + Folder
            </button>
          </>
        )}
        <button className="link" title="Refresh" onClick={() => void refresh()}>
          ⟳
        </button>
      </div>
      <div
        className="pane-body"
        onDragOver={readOnly ? undefined : (e) => e.preventDefault()}
        onDrop={readOnly ? undefined : (e) => onDrop(e, '')}
        onClick={(e) => e.target === e.currentTarget && setSelected(null)}
      >
        <ErrorBanner error={error} onClose={() => setError(null)} />
        {renderDir('', 0)}
      </div>
      {dialog?.kind === 'new-file' && (
        <PromptDialog
          title="New file"
          label={`Path (in ${dialog.dir || 'the project root'})`}
          submitLabel="Create"
          onSubmit={async (name) => {
            const path = join(dialog.dir, name);
            await api.writeFile(projectId, path, '');
            setExpanded((s) => new Set([...s, ...ancestors(path)]));
            await refresh();
            onOpen(path);
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'new-folder' && (
        <PromptDialog
          title="New folder"
          label={`Folder name (in ${dialog.dir || 'the project root'})`}
          submitLabel="Create"
          onSubmit={async (name) => {
            // The file API has no mkdir: a folder exists once it holds a file, so add a placeholder.
            const dir = join(dialog.dir, name);
            await api.writeFile(projectId, join(dir, '.gitkeep'), '');
            setExpanded((s) => new Set([...s, ...ancestors(dir), dir]));
            await refresh();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'rename' && (
        <PromptDialog
          title={`Rename or move ${dialog.entry.name}`}
          label="New path"
          initial={dialog.entry.path}
          submitLabel="Move"
          onSubmit={(to) => move(dialog.entry.path, to.replace(/^\/+/, ''))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete"
          message={`Delete ${dialog.entry.path}${dialog.entry.type === 'dir' ? ' and everything in it' : ''}?`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await api.deleteFile(projectId, dialog.entry.path);
            onDeleted(dialog.entry.path);
            setSelected(null);
            await refresh();
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  let d = dirname(path);
  while (d) {
    out.push(d);
    d = dirname(d);
  }
  return out;
}

/** Every file path in the project (for quick open), skipping bulky folders; capped. */
export async function listAllFiles(projectId: string, limit = 3000): Promise<string[]> {
  const skip = new Set(['node_modules', '.git', 'target', 'dist', 'build', '.venv', '__pycache__']);
  const out: string[] = [];
  const queue = [''];
  while (queue.length && out.length < limit) {
    const batch = queue.splice(0, 8);
    const lists = await Promise.all(
      batch.map((d) => api.listFiles(projectId, d).catch(() => [] as FileEntry[])),
    );
    for (const entries of lists)
      for (const e of entries) {
        if (e.type === 'dir') {
          if (!skip.has(e.name)) queue.push(e.path);
        } else out.push(e.path);
      }
  }
  return out.slice(0, limit);
}
