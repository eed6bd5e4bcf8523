import { useEffect, useRef } from 'react';
import type { FilesEvent } from '../api/types';
import { useWorkspace } from '../modules/workspaceContext';

/** How often the tree is listed again while the event stream is down. */
const FALLBACK_POLL_MS = 15_000;

/**
 * Passes the project's `files` events to the page (tree and open tabs). While the event stream is
 * down — no changes are pushed then — it asks for a re-list now and then and on focus instead.
 */
export function FilesWatch({ onFiles }: { onFiles(e: FilesEvent): void }) {
  const { onFiles: subscribe, streaming } = useWorkspace();
  const handler = useRef(onFiles);
  handler.current = onFiles;

  useEffect(() => subscribe((e) => handler.current(e)), [subscribe]);

  useEffect(() => {
    if (streaming) return;
    const relist = () => handler.current({ changes: [], overflow: true });
    const t = setInterval(
      () => document.visibilityState === 'visible' && relist(),
      FALLBACK_POLL_MS,
    );
    window.addEventListener('focus', relist);
    return () => {
      clearInterval(t);
      window.removeEventListener('focus', relist);
    };
  }, [streaming]);

  return null;
}
