import { api } from '../api/client';
import { basename } from './paths';

/** How a tab shows a file. Only 'text', 'markdown' and 'svg' have an editor (and can be saved). */
export type Viewer = 'text' | 'markdown' | 'svg' | 'image' | 'binary';

const PREVIEWABLE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The server says whether the bytes are text; the name only picks a preview for text. */
export function viewerFor(file: { binary: boolean; mediaType: string }, path: string): Viewer {
  if (file.binary) return PREVIEWABLE_IMAGES.has(file.mediaType) ? 'image' : 'binary';
  if (file.mediaType === 'image/svg+xml') return 'svg';
  if (/\.(md|markdown)$/i.test(path)) return 'markdown';
  return 'text';
}

export const hasEditor = (v: Viewer) => v === 'text' || v === 'markdown' || v === 'svg';

/** "1.2 MB", "640 KB", "12 bytes" (1 KB = 1024 bytes, as the server counts). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(1))} ${units[i]}`;
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads a file as it is on disk, or a folder as a zip. */
export async function download(projectId: string, path: string, type: 'file' | 'dir') {
  if (type === 'dir') {
    saveBlob(await api.downloadFolder(projectId, path), `${path ? basename(path) : 'project'}.zip`);
  } else {
    saveBlob((await api.openFile(projectId, path)).blob, basename(path));
  }
}
