import { describe, expect, it, vi } from 'vitest';
import type { FileEntry } from '../api/types';
import { fromDrop, fromFileList, planUpload, runUpload, type UploadApi } from './upload';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);
const entry = (path: string): FileEntry => ({
  name: path.split('/').pop()!,
  path,
  type: 'file',
  size: 1,
  modifiedAt: '',
});

function fakeApi(existing: Record<string, string[]>): UploadApi & {
  uploaded: { path: string; size: number }[];
} {
  const uploaded: { path: string; size: number }[] = [];
  return {
    uploaded,
    listFiles: vi.fn(async (_p: string, dir: string) => {
      if (!(dir in existing)) throw new Error('404');
      return existing[dir].map(entry);
    }),
    uploadFile: vi.fn(async (_p: string, path: string, body: Blob) => {
      uploaded.push({ path, size: body.size });
      return {};
    }),
  };
}

describe('upload', () => {
  it('places picked files in the folder, keeping a picked folder’s own paths', () => {
    const a = file('a.png', 3);
    const b = Object.assign(file('b.txt', 1), { webkitRelativePath: 'site/css/b.txt' });
    expect(fromFileList([a, b], 'assets').map((i) => i.path)).toEqual([
      'assets/a.png',
      'assets/site/css/b.txt',
    ]);
    expect(fromFileList([a], '').map((i) => i.path)).toEqual(['a.png']);
  });

  it('walks dropped folders through webkitGetAsEntry, batch by batch', async () => {
    const fileEntry = (name: string) => ({
      isFile: true,
      isDirectory: false,
      name,
      file: (ok: (f: File) => void) => ok(file(name, 2)),
    });
    const batches = [[fileEntry('x.js'), fileEntry('y.js')], [fileEntry('z.js')], []];
    const dirEntry = {
      isFile: false,
      isDirectory: true,
      name: 'src',
      createReader: () => ({ readEntries: (ok: (e: unknown[]) => void) => ok(batches.shift()!) }),
    };
    const dt = {
      items: [{ webkitGetAsEntry: () => dirEntry }, { webkitGetAsEntry: () => fileEntry('r.md') }],
      files: [],
    } as unknown as DataTransfer;
    const items = await fromDrop(dt, 'app');
    expect(items.map((i) => i.path)).toEqual([
      'app/src/x.js',
      'app/src/y.js',
      'app/src/z.js',
      'app/r.md',
    ]);
  });

  it('leaves out files over the limit and finds those that would be replaced', async () => {
    const api = fakeApi({ docs: ['docs/a.txt'] });
    const plan = await planUpload(
      api,
      'p',
      [
        { path: 'docs/a.txt', file: file('a.txt', 5) },
        { path: 'docs/big.bin', file: file('big.bin', 11) },
        { path: 'new/b.txt', file: file('b.txt', 10) },
      ],
      10,
    );
    expect(plan.tooLarge.map((i) => i.path)).toEqual(['docs/big.bin']);
    expect(plan.items.map((i) => i.path)).toEqual(['docs/a.txt', 'new/b.txt']);
    expect(plan.existing).toEqual(['docs/a.txt']);
  });

  it('sends each file’s bytes and reports progress in files and bytes', async () => {
    const api = fakeApi({});
    const seen: string[] = [];
    const done = await runUpload(
      api,
      'p',
      [
        { path: 'a.bin', file: file('a.bin', 100) },
        { path: 'b.bin', file: file('b.bin', 300) },
      ],
      (p) => seen.push(`${p.done}/${p.total} ${p.bytesDone}/${p.bytesTotal}`),
    );
    expect(done).toEqual(['a.bin', 'b.bin']);
    expect(api.uploaded).toEqual([
      { path: 'a.bin', size: 100 },
      { path: 'b.bin', size: 300 },
    ]);
    expect(seen).toEqual(['0/2 0/400', '1/2 100/400', '2/2 400/400']);
  });

  it('stops between files when cancelled', async () => {
    const api = fakeApi({});
    const token = { cancelled: false };
    const done = await runUpload(
      api,
      'p',
      [
        { path: 'a', file: file('a', 1) },
        { path: 'b', file: file('b', 1) },
      ],
      (p) => {
        if (p.done === 1) token.cancelled = true;
      },
      token,
    );
    expect(done).toEqual(['a']);
  });
});
