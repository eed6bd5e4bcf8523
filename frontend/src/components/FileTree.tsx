import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { api } from '../api/client';
import type { FileEntry } from '../api/types';
import { download } from '../modules/fileKind';
import { fileIcon } from '../modules/fileIcons';
import { basename, dirname, join } from '../modules/paths';
import { fromDrop, fromFileList, type UploadItem } from '../modules/upload';
import { ContextMenu, type MenuItem } from './ContextMenu';
import { ConfirmDialog, PromptDialog } from './PromptDialog';
import { ErrorBanner } from './ErrorBanner';
import { UploadDialog } from './UploadDialog';

/** Where the project's files are inside the workspace container (for "Copy path"). */
export const WORKSPACE_DIR = '/workspace';

const ROOT: FileEntry = { name: '', path: '', type: 'dir', size: 0, modifiedAt: '' };

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
  const [menu, setMenu] = useState<{ x: number; y: number; entry: FileEntry } | null>(null);
  const [upload, setUpload] = useState<{ items: UploadItem[]; maxBytes: number } | null>(null);
  const [uploadDir, setUploadDir] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const treeRef = useRef<HTMLDivElement>(null);
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

  const startUpload = async (items: Promise<UploadItem[]> | UploadItem[]) => {
    try {
      const [list, limits] = await Promise.all([items, api.fileLimits(projectId)]);
      if (list.length) setUpload({ items: list, maxBytes: limits.maxFileBytes });
    } catch (e) {
      setError(e);
    }
  };

  const pickUpload = (dir: string, folder = false) => {
    setUploadDir(dir);
    (folder ? folderInput : fileInput).current?.click();
  };

  const onDrop = (e: DragEvent, dir: string) => {
    e.preventDefault();
    e.stopPropagation();
    setDropTarget(null);
    if (Array.from(e.dataTransfer.types ?? []).includes('Files')) {
      if (!readOnly) void startUpload(fromDrop(e.dataTransfer, dir));
      return;
    }
    const from = e.dataTransfer.getData('text/x-constellation-path');
    if (!from || dir === from || dir.startsWith(from + '/')) return;
    move(from, join(dir, basename(from))).catch(setError);
  };

  // The rows as shown, top to bottom: what the arrow keys walk through.
  const visibleRows = (): FileEntry[] => {
    const out: FileEntry[] = [];
    const add = (dir: string) => {
      for (const e of dirs[dir] ?? []) {
        out.push(e);
        if (e.type === 'dir' && expanded.has(e.path)) add(e.path);
      }
    };
    add('');
    return out;
  };

  const focusRow = (entry: FileEntry) => {
    setSelected(entry);
    requestAnimationFrame(() =>
      [...(treeRef.current?.querySelectorAll<HTMLElement>('.tree-item') ?? [])]
        .find((el) => el.dataset.path === entry.path)
        ?.focus(),
    );
  };

  const setOpen = (entry: FileEntry, open: boolean) => {
    if (entry.type !== 'dir' || expanded.has(entry.path) === open) return;
    const next = new Set(expanded);
    if (open) {
      next.add(entry.path);
      loadDir(entry.path).catch(setError);
    } else next.delete(entry.path);
    setExpanded(next);
  };

  const copy = (text: string) => {
    navigator.clipboard?.writeText(text).catch(setError);
  };

  const menuItems = (entry: FileEntry): MenuItem[] => {
    const isRoot = entry.path === '';
    const dir = entry.type === 'dir' ? entry.path : dirname(entry.path);
    const items: MenuItem[] = [];
    if (!readOnly) {
      items.push(
        { label: 'New file…', onSelect: () => setDialog({ kind: 'new-file', dir }) },
        { label: 'New folder…', onSelect: () => setDialog({ kind: 'new-folder', dir }) },
        { label: 'Upload files here…', onSelect: () => pickUpload(dir) },
        { label: 'Upload a folder here…', onSelect: () => pickUpload(dir, true) },
      );
    }
    items.push({
      label: entry.type === 'dir' ? 'Download as zip' : 'Download',
      separator: !readOnly,
      onSelect: () => void download(projectId, entry.path, entry.type).catch(setError),
    });
    if (!isRoot) {
      items.push(
        { label: 'Copy path', onSelect: () => copy(`${WORKSPACE_DIR}/${entry.path}`) },
        { label: 'Copy relative path', onSelect: () => copy(entry.path) },
      );
      if (!readOnly)
        items.push(
          {
            label: 'Rename…',
            keys: 'F2',
            separator: true,
            onSelect: () => setDialog({ kind: 'rename', entry }),
          },
          {
            label: 'Delete…',
            keys: 'Delete',
            danger: true,
            onSelect: () => setDialog({ kind: 'delete', entry }),
          },
        );
    }
    return items;
  };

  const openMenuAt = (entry: FileEntry, el: Element) => {
    const r = el.getBoundingClientRect();
    setMenu({ x: r.left + 24, y: r.bottom, entry });
  };

  const onTreeKey = (e: KeyboardEvent) => {
    if (dialog || menu) return;
    const rows = visibleRows();
    if (!rows.length) return;
    const current = rows.findIndex((r) => r.path === (selected?.path ?? activePath));
    const entry = current >= 0 ? rows[current] : null;
    const go = (i: number) => focusRow(rows[Math.max(0, Math.min(rows.length - 1, i))]);
    switch (e.key) {
      case 'ArrowDown':
        go(current + 1);
        break;
      case 'ArrowUp':
        go(current < 0 ? 0 : current - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!entry || entry.type !== 'dir') return;
        if (!expanded.has(entry.path)) setOpen(entry, true);
        else if (dirs[entry.path]?.length) focusRow(dirs[entry.path][0]);
        break;
      case 'ArrowLeft': {
        if (!entry) return;
        if (entry.type === 'dir' && expanded.has(entry.path)) setOpen(entry, false);
        else {
          const parent = rows.find((r) => r.path === dirname(entry.path));
          if (parent) focusRow(parent);
        }
        break;
      }
      case 'Enter':
        if (!entry) return;
        if (entry.type === 'file') onOpen(entry.path);
        else setOpen(entry, !expanded.has(entry.path));
        break;
      case 'Delete':
        if (!entry || readOnly) return;
        setDialog({ kind: 'delete', entry });
        break;
      case 'F2':
        if (!entry || readOnly) return;
        setDialog({ kind: 'rename', entry });
        break;
      case 'ContextMenu':
        if (!entry) return;
        openMenuAt(entry, e.target as Element);
        break;
      default:
        if (e.key === 'F10' && e.shiftKey && entry) {
          openMenuAt(entry, e.target as Element);
          break;
        }
        // Type-ahead: a letter jumps to the next row starting with it.
        if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && /\S/.test(e.key)) {
          const k = e.key.toLowerCase();
          const order = [...rows.slice(current + 1), ...rows.slice(0, current + 1)];
          const hit = order.find((r) => r.name.toLowerCase().startsWith(k));
          if (hit) focusRow(hit);
          break;
        }
        return;
    }
    e.preventDefault();
  };

  const rowsNow = visibleRows();
  const focusPath =
    rowsNow.find((r) => r.path === (selected?.path ?? activePath))?.path ?? rowsNow[0]?.path;

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
              aria-selected={isSelected}
            >
              <div
                className={`tree-item${isSelected ? ' selected' : ''}${dropTarget === entry.path ? ' drop' : ''}`}
                style={{ paddingLeft: 6 + depth * 14 }}
                tabIndex={entry.path === focusPath ? 0 : -1}
                onFocus={() => selected?.path !== entry.path && setSelected(entry)}
                onClick={() => toggle(entry)}
                onContextMenu={(e) => {
                  e.preventDefault();
                  e.stopPropagation();
                  setSelected(entry);
                  setMenu({ x: e.clientX, y: e.clientY, entry });
                }}
                draggable={!readOnly}
                onDragStart={(e) => e.dataTransfer.setData('text/x-constellation-path', entry.path)}
                onDragOver={
                  entry.type === 'dir' && !readOnly
                    ? (e) => {
                        e.preventDefault();
                        e.stopPropagation();
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
                <span aria-hidden className="twisty">
                  {entry.type === 'dir' ? (open ? '▾' : '▸') : ''}
                </span>
                <span aria-hidden className="file-icon">
                  {fileIcon(entry.path, entry.type, open)}
                </span>
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
            <button
              className="link"
              title={`Upload files to ${targetDir || 'the project root'} (or drop them on a folder)`}
              onClick={() => pickUpload(targetDir)}
              data-testid="upload"
            >
              ⤒ Upload…
            </button>
          </>
        )}
        <button className="link" title="Refresh" onClick={() => void refresh()}>
          ⟳
        </button>
      </div>
      <div
        className={`pane-body${dropTarget === '' ? ' drop-root' : ''}`}
        ref={treeRef}
        onDragOver={
          readOnly
            ? undefined
            : (e) => {
                e.preventDefault();
                setDropTarget('');
              }
        }
        onDragLeave={(e) => e.target === e.currentTarget && setDropTarget(null)}
        onDrop={readOnly ? undefined : (e) => onDrop(e, '')}
        onClick={(e) => e.target === e.currentTarget && setSelected(null)}
        onContextMenu={(e) => {
          e.preventDefault();
          setMenu({ x: e.clientX, y: e.clientY, entry: ROOT });
        }}
        onKeyDown={onTreeKey}
        data-testid="file-tree"
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
          title={dialog.entry.type === 'dir' ? 'Delete folder' : 'Delete file'}
          message={
            dialog.entry.type === 'dir'
              ? `Delete the folder ${dialog.entry.path} and everything in it? This cannot be undone.`
              : `Delete the file ${dialog.entry.path}? This cannot be undone.`
          }
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
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          items={menuItems(menu.entry)}
          onClose={() => setMenu(null)}
        />
      )}
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        data-testid="upload-input"
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files?.length) void startUpload(fromFileList(files, uploadDir));
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={folderInput}
        type="file"
        hidden
        {...{ webkitdirectory: '' }}
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files?.length) void startUpload(fromFileList(files, uploadDir));
          e.currentTarget.value = '';
        }}
      />
      {upload && (
        <UploadDialog
          api={api}
          projectId={projectId}
          items={upload.items}
          maxBytes={upload.maxBytes}
          onUploaded={(paths) => {
            setExpanded((s) => new Set([...s, ...paths.flatMap(ancestors)]));
            void refresh();
          }}
          onClose={() => setUpload(null)}
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
