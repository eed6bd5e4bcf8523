import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DiskBar } from './DiskBar';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

const handlers = () => ({
  onCompare: vi.fn(),
  onReload: vi.fn(),
  onKeepMine: vi.fn(),
  onSaveAsNew: vi.fn(),
  onClose: vi.fn(),
});
const button = (label: string) =>
  [...host.querySelectorAll('button')].find((b) => b.textContent?.startsWith(label));

describe('DiskBar', () => {
  it('offers Compare, Reload and Keep mine for a file changed on disk', async () => {
    const h = handlers();
    await act(async () => root.render(<DiskBar state="changed" readOnly={false} {...h} />));
    expect(host.textContent).toContain('changed on disk');
    for (const [label, fn] of [
      ['Compare', h.onCompare],
      ['Reload', h.onReload],
      ['Keep mine', h.onKeepMine],
    ] as const) {
      await act(async () => button(label)!.click());
      expect(fn).toHaveBeenCalledOnce();
    }
    expect(button('Save as new')).toBeUndefined();
  });

  it('offers Save as new and Close for a deleted file, and no writing to a viewer', async () => {
    const h = handlers();
    await act(async () => root.render(<DiskBar state="deleted" readOnly={false} {...h} />));
    expect(host.textContent).toContain('deleted on disk');
    await act(async () => button('Save as new')!.click());
    expect(h.onSaveAsNew).toHaveBeenCalledOnce();
    await act(async () => button('Close')!.click());
    expect(h.onClose).toHaveBeenCalledOnce();

    await act(async () => root.render(<DiskBar state="deleted" readOnly {...h} />));
    expect(button('Save as new')).toBeUndefined();
  });
});
