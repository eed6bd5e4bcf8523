import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GitDiff, GitStatus } from '../modules/git';

const api = vi.hoisted(() => ({ request: vi.fn() }));
vi.mock('../api/client', () => ({ api }));
// Monaco does not run in jsdom; the diff editor's inputs are what this view decides.
vi.mock('./SafeDiffEditor', () => ({
  SafeDiffEditor: (p: { original: string; modified: string; language: string }) => (
    <pre data-testid="fake-diff" data-language={p.language}>
      {p.original}|{p.modified}
    </pre>
  ),
}));

import { resetGitStores, useGitBranch } from '../modules/git';
import { GitDiffView } from './GitDiffView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let status: GitStatus;
let diff: GitDiff;
const posted: { path: string; body: unknown }[] = [];
const flush = () => act(async () => new Promise((r) => setTimeout(r, 20)));
const $$ = (id: string) => [...host.querySelectorAll<HTMLElement>(`[data-testid=${id}]`)];

beforeEach(() => {
  resetGitStores();
  posted.length = 0;
  status = {
    repository: true,
    branch: 'feature/x',
    ahead: 3,
    behind: 0,
    files: [{ path: 'src/a.ts', index: '.', worktree: 'M', conflicted: false }],
  };
  diff = {
    path: 'src/a.ts',
    original: 'one\ntwo\n',
    modified: 'ONE\ntwo\nthree\n',
    binary: false,
    hunks: [
      { index: 0, header: '@@ -1 +1 @@', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 },
      { index: 1, header: '@@ -2,0 +3 @@', oldStart: 2, oldLines: 0, newStart: 3, newLines: 1 },
    ],
  };
  api.request.mockReset();
  api.request.mockImplementation(
    async (path: string, opts: { method?: string; json?: unknown }) => {
      const url = new URL(path, 'http://x');
      if (opts?.method === 'POST') {
        posted.push({ path: url.pathname, body: opts.json });
        return new Response('{}');
      }
      if (url.pathname.endsWith('/git/status')) return new Response(JSON.stringify(status));
      if (url.pathname.endsWith('/git/diff')) {
        expect(url.searchParams.get('path')).toBe('src/a.ts');
        return new Response(JSON.stringify(diff));
      }
      throw new Error(`unexpected ${path}`);
    },
  );
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

async function render(node: React.ReactNode) {
  await act(async () => root.render(node));
  await flush();
  await flush();
}

describe('GitDiffView', () => {
  it('shows both sides and stages a single hunk by its index', async () => {
    await render(
      <GitDiffView projectId="p1" path="src/a.ts" staged={false} theme="dark" readOnly={false} />,
    );
    expect($$('fake-diff')[0].textContent).toBe('one\ntwo\n|ONE\ntwo\nthree\n');
    expect($$('fake-diff')[0].dataset.language).toBe('typescript');
    expect($$('git-hunk').map((h) => h.textContent)).toEqual([
      expect.stringContaining('@@ -1 +1 @@'),
      expect.stringContaining('@@ -2,0 +3 @@'),
    ]);
    await act(async () => $$('stage-hunk')[1].click());
    await flush();
    expect(posted).toEqual([
      {
        path: '/api/projects/p1/git/stage-hunks',
        body: { path: 'src/a.ts', hunks: [1], unstage: false },
      },
    ]);
  });

  it('unstages a hunk of the staged side; viewers get no hunk buttons', async () => {
    await render(
      <GitDiffView projectId="p1" path="src/a.ts" staged theme="light" readOnly={false} />,
    );
    await act(async () => $$('unstage-hunk')[0].click());
    await flush();
    expect(posted[0].body).toEqual({ path: 'src/a.ts', hunks: [0], unstage: true });

    await render(<GitDiffView projectId="p1" path="src/a.ts" staged theme="light" readOnly />);
    expect($$('git-hunk')).toHaveLength(2);
    expect($$('unstage-hunk')).toHaveLength(0);
    expect($$('diff-unstage-file')).toHaveLength(0);
  });

  it('says so for a binary file instead of showing bytes', async () => {
    diff = { path: 'src/a.ts', original: '', modified: '', binary: true, hunks: [] };
    await render(
      <GitDiffView projectId="p1" path="src/a.ts" staged={false} theme="dark" readOnly={false} />,
    );
    expect(host.textContent).toContain('Binary file');
    expect($$('fake-diff')).toHaveLength(0);
  });
});

function Branch({ id }: { id: string }) {
  const b = useGitBranch(id);
  return <span data-testid="branch">{b ? `${b.branch} +${b.ahead}` : 'none'}</span>;
}

describe('useGitBranch', () => {
  it('gives the status bar the current branch without the panel, and nothing outside a repository', async () => {
    await render(<Branch id="p1" />);
    expect($$('branch')[0].textContent).toBe('feature/x +3');
    status = { repository: false };
    await act(async () => window.dispatchEvent(new Event('focus')));
    await flush();
    expect($$('branch')[0].textContent).toBe('none');
  });
});
