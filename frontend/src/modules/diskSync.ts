/** What an open tab knows about its file. */
export interface TabDiskState {
  etag: string | null;
  dirty: boolean;
}

/** The file as read again after a change on disk; null when it is gone. */
export interface OnDisk {
  content: string;
  etag: string | null;
}

export type DiskAction =
  /** Nothing moved as far as this tab is concerned (our own save coming back, a touch). */
  | { kind: 'same' }
  /** The editor already holds what is on disk: the tab is clean at the new ETag. */
  | { kind: 'in-sync'; etag: string | null; content: string }
  /** Not dirty: show the new text (keeping cursor and scroll). */
  | { kind: 'refresh'; etag: string | null; content: string }
  /** Dirty and changed underneath: mark the tab, let the user compare, reload or keep theirs. */
  | { kind: 'changed'; etag: string | null; content: string }
  /** Gone: mark the tab, offer "Save as new". */
  | { kind: 'deleted' };

/** Decides how an open tab follows a change of its file on disk. */
export function onDiskChange(
  tab: TabDiskState,
  editorText: string,
  disk: OnDisk | null,
): DiskAction {
  if (!disk) return { kind: 'deleted' };
  if (disk.etag && disk.etag === tab.etag) return { kind: 'same' };
  if (disk.content === editorText)
    return { kind: 'in-sync', etag: disk.etag, content: disk.content };
  if (!tab.dirty) return { kind: 'refresh', etag: disk.etag, content: disk.content };
  return { kind: 'changed', etag: disk.etag, content: disk.content };
}
