import { useEffect, useRef } from 'react';
import { basename } from '../modules/paths';
import { fileIcon } from '../modules/fileIcons';

export interface TabInfo {
  path: string;
  dirty: boolean;
  saving?: boolean;
  /** Brought back from this browser's unsaved buffers. */
  restored?: boolean;
  /** The file on disk moved on while this tab was dirty, or is gone. */
  disk?: 'changed' | 'deleted';
}

/** The open files above the editor; the active one is kept in view, a middle click closes one. */
export function EditorTabs({
  tabs,
  active,
  closeTitle,
  onSelect,
  onClose,
  activeHidden = false,
  extra,
  children,
}: {
  tabs: TabInfo[];
  active: string | null;
  closeTitle: string;
  onSelect(path: string): void;
  onClose(path: string): void;
  /** Another kind of tab (a diff) is shown: no file tab is the active one. */
  activeHidden?: boolean;
  /** Tabs that are not files, after the files' own. */
  extra?: React.ReactNode;
  children?: React.ReactNode;
}) {
  const strip = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!active) return;
    const el = [...(strip.current?.querySelectorAll<HTMLElement>('.tab') ?? [])].find(
      (t) => t.dataset.path === active,
    );
    el?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [active, tabs.length]);
  return (
    <div className="tabs" role="tablist" ref={strip}>
      {tabs.map((t) => (
        <div
          key={t.path}
          className={`tab${t.path === active && !activeHidden ? ' active' : ''}`}
          role="tab"
          aria-selected={t.path === active && !activeHidden}
          onClick={() => onSelect(t.path)}
          onMouseDown={(e) => {
            // Middle click would otherwise start autoscroll in some browsers.
            if (e.button === 1) e.preventDefault();
          }}
          onAuxClick={(e) => {
            if (e.button === 1) {
              e.preventDefault();
              onClose(t.path);
            }
          }}
          title={t.path}
          data-testid="editor-tab"
          data-path={t.path}
          data-dirty={t.dirty}
          data-disk={t.disk ?? ''}
          data-restored={t.restored ? 'true' : undefined}
        >
          <span aria-hidden className="file-icon">
            {fileIcon(t.path, 'file')}
          </span>
          <span className={t.disk === 'deleted' ? 'tab-deleted' : undefined}>
            {basename(t.path)}
          </span>
          {t.disk === 'changed' ? (
            <span className="tab-mark" title="The file changed on disk since you edited it">
              changed on disk
            </span>
          ) : t.disk === 'deleted' ? (
            <span className="tab-mark" title="The file was deleted on disk">
              deleted
            </span>
          ) : t.restored ? (
            <span className="tab-mark" title="Unsaved changes restored from this browser">
              restored
            </span>
          ) : null}
          {t.dirty ? (
            <span className="dirty" title="Unsaved changes">
              ●
            </span>
          ) : null}
          {t.saving ? <span className="muted">…</span> : null}
          <button
            title={closeTitle}
            aria-label={`Close ${basename(t.path)}`}
            onClick={(e) => {
              e.stopPropagation();
              onClose(t.path);
            }}
          >
            ✕
          </button>
        </div>
      ))}
      {extra}
      <span className="grow" />
      {children}
    </div>
  );
}
