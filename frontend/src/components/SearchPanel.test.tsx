import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  search: vi.fn(),
  replaceInFiles: vi.fn(),
  undoReplace: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));

import { SearchPanel } from './SearchPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let push: (line: unknown) => void;
let end: () => void;
const wait = (ms: number) => act(async () => new Promise((r) => setTimeout(r, ms)));

function type(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  const enc = new TextEncoder();
  api.search.mockImplementation(
    async () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          push = (line) => c.enqueue(enc.encode(JSON.stringify(line) + '\n'));
          end = () => c.close();
        },
      }),
  );
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('SearchPanel', () => {
  it('streams results in grouped by file, shows the cap, and opens a hit at its line', async () => {
    const onOpen = vi.fn();
    act(() =>
      root.render(
        <SearchPanel
          projectId="p1"
          readOnly={false}
          focusToken={1}
          seed="needle"
          onOpen={onOpen}
          onChanged={() => {}}
        />,
      ),
    );
    const input = host.querySelector<HTMLInputElement>('[data-testid=search-query]')!;
    expect(input.value).toBe('needle');
    expect(document.activeElement).toBe(input);
    await wait(300);
    expect(api.search).toHaveBeenCalledWith(
      'p1',
      expect.objectContaining({ query: 'needle', regex: false, include: [], exclude: [] }),
      expect.anything(),
    );
    const match = { line: 3, column: 5, length: 6, text: 'let needle = 1', textOffset: 0 };
    await act(async () => push({ path: 'src/a.ts', etag: '"1"', matches: [match] }));
    await wait(20);
    // Shown while the search still runs.
    expect(host.querySelectorAll('[data-testid=search-file]')).toHaveLength(1);
    expect(host.querySelector('[data-testid=search-summary]')!.textContent).toContain('Searching');
    await act(async () => {
      push({
        done: true,
        files: 1,
        matches: 1,
        truncated: true,
        limitHit: true,
        timedOut: false,
        engine: 'walk',
      });
      end();
    });
    await wait(20);
    expect(host.querySelector('[data-testid=search-summary]')!.textContent).toContain(
      'Only the first 1 results are shown',
    );
    const hit = host.querySelector<HTMLButtonElement>('[data-testid=search-hit]')!;
    expect(hit.querySelector('mark')!.textContent).toBe('needle');
    act(() => hit.click());
    expect(onOpen).toHaveBeenCalledWith('src/a.ts', match);
  });

  it('sends the toggles and globs, and a new query replaces the running search', async () => {
    act(() =>
      root.render(
        <SearchPanel
          projectId="p1"
          readOnly
          focusToken={0}
          seed=""
          onOpen={() => {}}
          onChanged={() => {}}
        />,
      ),
    );
    const input = host.querySelector<HTMLInputElement>('[data-testid=search-query]')!;
    act(() => type(input, 'a'));
    act(() =>
      host.querySelector<HTMLButtonElement>('[aria-label="Use regular expression"]')!.click(),
    );
    act(() => host.querySelector<HTMLButtonElement>('[aria-label="Match case"]')!.click());
    act(() =>
      type(
        host.querySelector<HTMLInputElement>('[aria-label="Files to include"]')!,
        '*.ts, src/**',
      ),
    );
    await wait(300);
    expect(api.search).toHaveBeenCalledTimes(1);
    expect(api.search.mock.calls[0][1]).toEqual({
      query: 'a',
      regex: true,
      caseSensitive: true,
      wholeWord: false,
      include: ['*.ts', 'src/**'],
      exclude: [],
    });
    // Viewers search but get no replace.
    expect(host.querySelector('[data-testid=search-replacement]')).toBeNull();
  });
});
