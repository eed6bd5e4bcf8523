import type { FileEntry } from '../api/types';
import { dirname, join } from './paths';
import { formatBytes } from './fileKind';

/** A file picked or dropped, and where in the project it goes. */
export interface UploadItem {
  path: string;
  file: File;
}

export interface UploadApi {
  listFiles(projectId: string, dir: string): Promise<FileEntry[]>;
  uploadFile(projectId: string, path: string, body: Blob): Promise<unknown>;
}

export interface UploadPlan {
  items: UploadItem[];
  /** Over the server's limit: not sent at all. */
  tooLarge: UploadItem[];
  /** Paths that already exist: replaced only when the person says so. */
  existing: string[];
}

export interface UploadProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  current?: string;
}

/** Items for files chosen in a file picker, placed in `dir`. */
export function fromFileList(files: ArrayLike<File>, dir: string): UploadItem[] {
  return Array.from(files).map((file) => ({
    // A folder picker (webkitdirectory) gives each file its path inside the folder.
    path: join(
      dir,
      (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
    ),
    file,
  }));
}

// The subset of the File and Directory Entries API that drops use.
interface FsEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, err: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (e: FsEntry[]) => void, err: (e: unknown) => void): void };
}

/** Items for a drop from the desktop; folders are walked where the browser offers entries. */
export async function fromDrop(dt: DataTransfer, dir: string): Promise<UploadItem[]> {
  const entries: FsEntry[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    const entry = (
      item as DataTransferItem & { webkitGetAsEntry?(): FsEntry | null }
    ).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (!entries.length) return fromFileList(dt.files, dir);
  const out: UploadItem[] = [];
  for (const e of entries) await walk(e, dir, out);
  return out;
}

async function walk(entry: FsEntry, dir: string, out: UploadItem[]) {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, err) => entry.file!(ok, err));
    out.push({ path: join(dir, entry.name), file });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries answers in batches until it answers with none.
    for (;;) {
      const batch = await new Promise<FsEntry[]>((ok, err) => reader.readEntries(ok, err));
      if (!batch.length) break;
      for (const child of batch) await walk(child, join(dir, entry.name), out);
    }
  }
}

/** Sorts items into those to send, those too big, and the paths they would replace. */
export async function planUpload(
  api: UploadApi,
  projectId: string,
  items: UploadItem[],
  maxBytes: number,
): Promise<UploadPlan> {
  const tooLarge = items.filter((i) => i.file.size > maxBytes);
  const ok = items.filter((i) => i.file.size <= maxBytes);
  const dirs = [...new Set(ok.map((i) => dirname(i.path)))];
  const present = new Set<string>();
  await Promise.all(
    dirs.map((d) =>
      api.listFiles(projectId, d).then(
        (entries) => entries.forEach((e) => present.add(e.path)),
        () => undefined, // a folder that does not exist yet holds nothing to replace
      ),
    ),
  );
  return { items: ok, tooLarge, existing: ok.map((i) => i.path).filter((p) => present.has(p)) };
}

/** Sends the items one at a time (their bytes as they are), reporting progress. */
export async function runUpload(
  api: UploadApi,
  projectId: string,
  items: UploadItem[],
  onProgress: (p: UploadProgress) => void,
  signal?: { cancelled: boolean },
): Promise<string[]> {
  const bytesTotal = items.reduce((n, i) => n + i.file.size, 0);
  let bytesDone = 0;
  const done: string[] = [];
  for (const item of items) {
    onProgress({
      done: done.length,
      total: items.length,
      bytesDone,
      bytesTotal,
      current: item.path,
    });
    // Checked after reporting, so a Stop pressed while a file was sent ends before the next one.
    if (signal?.cancelled) break;
    await api.uploadFile(projectId, item.path, item.file);
    bytesDone += item.file.size;
    done.push(item.path);
  }
  onProgress({ done: done.length, total: items.length, bytesDone, bytesTotal });
  return done;
}

export const limitText = (maxBytes: number) => `Each file can be at most ${formatBytes(maxBytes)}.`;
