import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileEntry } from '../api/types';
import { FileTree } from './FileTree';

const api = vi.hoisted(() => ({
  listFiles: vi.fn(),
  deleteFile: vi.fn(),
  moveFile: vi.fn(),
  writeFile: vi.fn(),
  fileLimits: vi.fn(),
  uploadFile: vi.fn(),
  openFile: vi.fn(),
  downloadFolder: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const e = (path: string, type: 'file' | 'dir' = 'file'): FileEntry => ({
  name: path.split('/').pop()!,
  path,
  type,
  size: 3,
  modifiedAt: '2026-01-01T00:00:00Z',
});
const tree: Record<string, FileEntry[]> = {
  '': [e('src', 'dir'), e('README.md'), e('logo.png')],
  src: [e('src/main.ts'), e('src/util.ts')],
};

let host: HTMLDivElement;
let root: Root;
const onOpen = vi.fn();
const onDeleted = vi.fn();
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const rows = () =>
  [...host.querySelectorAll<HTMLElement>('[data-testid=tree-item]')].map((r) => r.dataset.path);
const focusRow = (path: string) =>
  act(() => host.querySelector<HTMLElement>(`[data-path="${path}"]`)!.focus());
const focused = () => (document.activeElement as HTMLElement | null)?.dataset?.path;
const key = async (k: string, init: KeyboardEventInit = {}) => {
  const target = (document.activeElement as HTMLElement) ?? host;
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, ...init }));
  });
  await flush();
};

beforeEach(async () => {
  Object.values(api).forEach((f) => f.mockReset());
  api.listFiles.mockImplementation(async (_p: string, dir: string) => tree[dir] ?? []);
  api.deleteFile.mockResolvedValue(undefined);
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => setTimeout(() => f(0), 0));
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() =>
    root.render(
      <FileTree
        projectId="p1"
        refreshKey={0}
        readOnly={false}
        activePath={null}
        onOpen={onOpen}
        onMoved={vi.fn()}
        onDeleted={onDeleted}
      />,
    ),
  );
  await flush();
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  onOpen.mockReset();
  onDeleted.mockReset();
  vi.unstubAllGlobals();
});

describe('FileTree keyboard', () => {
  it('walks rows with the arrows, expands with Right, collapses with Left and opens with Enter', async () => {
    expect(rows()).toEqual(['src', 'logo.png', 'README.md']);
    focusRow('src');
    await key('ArrowRight');
    expect(rows()).toEqual(['src', 'src/main.ts', 'src/util.ts', 'logo.png', 'README.md']);
    await key('ArrowRight');
    expect(focused()).toBe('src/main.ts');
    await key('ArrowDown');
    expect(focused()).toBe('src/util.ts');
    await key('Enter');
    expect(onOpen).toHaveBeenCalledWith('src/util.ts');
    await key('ArrowLeft');
    expect(focused()).toBe('src');
    await key('ArrowLeft');
    expect(rows()).toEqual(['src', 'logo.png', 'README.md']);
    await key('End');
    expect(focused()).toBe('README.md');
    await key('l');
    expect(focused()).toBe('logo.png');
  });

  it('asks before Delete removes a file, naming it, with a destructive button', async () => {
    focusRow('README.md');
    await key('Delete');
    const dialog = document.querySelector('[role=dialog]')!;
    expect(dialog.textContent).toContain('Delete the file README.md?');
    const confirm = dialog.querySelector<HTMLButtonElement>('[data-testid=confirm]')!;
    expect(confirm.className).toContain('danger');
    expect(api.deleteFile).not.toHaveBeenCalled();
    await act(async () => confirm.click());
    await flush();
    expect(api.deleteFile).toHaveBeenCalledWith('p1', 'README.md');
    expect(onDeleted).toHaveBeenCalledWith('README.md');
  });

  it('F2 offers to rename the focused row', async () => {
    focusRow('logo.png');
    await key('F2');
    const input = document.querySelector<HTMLInputElement>('[role=dialog] input')!;
    expect(input.value).toBe('logo.png');
  });
});

describe('FileTree context menu', () => {
  const openMenu = async (path: string | null) => {
    const target = path
      ? host.querySelector<HTMLElement>(`[data-path="${path}"]`)!
      : host.querySelector<HTMLElement>('[data-testid=file-tree]')!;
    act(() => {
      target.dispatchEvent(
        new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 5, clientY: 5 }),
      );
    });
    await flush();
    return [...document.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
  };
  const labels = (items: HTMLButtonElement[]) =>
    items.map((i) => i.querySelector('span')!.textContent);

  it('offers the file actions, and copies paths', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const items = await openMenu('README.md');
    expect(labels(items)).toEqual([
      'New file…',
      'New folder…',
      'Upload files here…',
      'Upload a folder here…',
      'Download',
      'Copy path',
      'Copy relative path',
      'Rename…',
      'Delete…',
    ]);
    expect(document.activeElement).toBe(items[0]);
    act(() => items.find((i) => i.textContent?.startsWith('Copy path'))!.click());
    expect(writeText).toHaveBeenCalledWith('/workspace/README.md');
    const again = await openMenu('README.md');
    act(() => again.find((i) => i.textContent?.startsWith('Copy relative'))!.click());
    expect(writeText).toHaveBeenLastCalledWith('README.md');
  });

  it('offers a folder as a zip, and the root has no rename or delete', async () => {
    expect(labels(await openMenu('src'))).toContain('Download as zip');
    act(() =>
      document
        .querySelector<HTMLElement>('[role=menu]')!
        .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })),
    );
    await flush();
    expect(document.querySelector('[role=menu]')).toBeNull();
    const rootItems = labels(await openMenu(null));
    expect(rootItems).toContain('Upload files here…');
    expect(rootItems).not.toContain('Rename…');
    expect(rootItems).not.toContain('Delete…');
  });

  it('uploads dropped desktop files into the folder they are dropped on', async () => {
    api.fileLimits.mockResolvedValue({ maxFileBytes: 1024 });
    api.uploadFile.mockResolvedValue({});
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'pic.png');
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.assign(drop, { dataTransfer: { types: ['Files'], items: [], files: [png] } });
    act(() => {
      host.querySelector('[data-path="src"]')!.dispatchEvent(drop);
    });
    await flush();
    await flush();
    expect(api.uploadFile).toHaveBeenCalledWith('p1', 'src/pic.png', png);
    expect(document.querySelector('[data-testid=upload-done]')?.textContent).toBe(
      'Uploaded 1 file.',
    );
  });
});
