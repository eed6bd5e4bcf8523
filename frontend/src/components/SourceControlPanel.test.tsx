import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import type { GitStatus } from '../modules/git';

// A fake gateway behind the real ApiClient.request signature: routes answer JSON or a problem.
type Handler = (body: unknown, query: URLSearchParams) => unknown;
const server = vi.hoisted(() => ({
  routes: new Map<string, Handler>(),
  calls: [] as { route: string; body: unknown }[],
}));
const api = vi.hoisted(() => ({
  request: vi.fn(),
  workspaceEvents: vi.fn(),
  workspace: vi.fn(),
  ports: vi.fn(),
  startWorkspace: vi.fn(),
  stopWorkspace: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));

import { WorkspaceProvider } from '../modules/workspaceContext';
import { resetGitStores } from '../modules/git';
import { SourceControlPanel } from './SourceControlPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

let host: HTMLDivElement;
let root: Root;
let status: GitStatus;
const onOpenDiff = vi.fn();
const flush = () => act(async () => new Promise((r) => setTimeout(r, 20)));
const $ = (id: string) => host.querySelector<HTMLElement>(`[data-testid=${id}]`);
const $$ = (id: string) => [...host.querySelectorAll<HTMLElement>(`[data-testid=${id}]`)];
const click = async (el: Element | null) => {
  expect(el).not.toBeNull();
  await act(async () => (el as HTMLElement).click());
  await flush();
};
const callsTo = (route: string) => server.calls.filter((c) => c.route === route);

function route(method: string, path: string, h: Handler) {
  server.routes.set(`${method} ${path}`, h);
}

beforeEach(() => {
  resetGitStores();
  server.routes.clear();
  server.calls.length = 0;
  onOpenDiff.mockReset();
  Object.values(api).forEach((f) => f.mockReset());
  api.workspaceEvents.mockImplementation(() => new Promise(() => undefined));
  api.workspace.mockResolvedValue({ projectId: 'p1', status: 'RUNNING', runtime: 'docker' });
  api.ports.mockResolvedValue([]);
  api.request.mockImplementation(
    async (path: string, opts: { method?: string; json?: unknown } = {}) => {
      const url = new URL(path, 'http://x');
      const key = `${opts.method ?? 'GET'} ${url.pathname}`;
      server.calls.push({ route: key, body: opts.json });
      const h = server.routes.get(key);
      if (!h) throw new ApiError(404, { status: 404, detail: `no route ${key}` }, null);
      try {
        const out = h(opts.json, url.searchParams);
        return new Response(out === undefined ? null : JSON.stringify(out), {
          status: out === undefined ? 204 : 200,
        });
      } catch (e) {
        if (e instanceof Problem)
          throw new ApiError(
            e.status,
            {
              status: e.status,
              type: `https://constellation.dev/problems/${e.type}`,
              detail: e.detail,
            },
            null,
          );
        throw e;
      }
    },
  );
  status = {
    repository: true,
    branch: 'main',
    detached: false,
    upstream: 'origin/main',
    ahead: 1,
    behind: 2,
    merging: false,
    rebasing: false,
    files: [
      { path: 'src/app.js', index: 'M', worktree: '.', conflicted: false },
      { path: 'README.md', index: '.', worktree: 'M', conflicted: false },
      { path: 'notes.txt', index: '?', worktree: '?', conflicted: false },
      { path: 'old.txt', index: '.', worktree: 'D', conflicted: false },
    ],
  };
  route('GET', '/api/projects/p1/git/status', () => status);
  route('GET', '/api/projects/p1/git/log', () => [
    {
      sha: 'abcdef1234567',
      parents: [],
      author: 'Ada',
      email: 'ada@example.com',
      date: new Date().toISOString(),
      subject: 'First commit',
    },
  ]);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

async function render(readOnly = false) {
  await act(async () =>
    root.render(
      <WorkspaceProvider
        projectId="p1"
        canControl={!readOnly}
        isOwner={!readOnly}
        onOpenPreview={() => undefined}
      >
        <SourceControlPanel projectId="p1" readOnly={readOnly} onOpenDiff={onOpenDiff} />
      </WorkspaceProvider>,
    ),
  );
  await flush();
  await flush();
}
const rows = (group: string) =>
  $$('scm-file')
    .filter((r) => r.dataset.group === group)
    .map((r) => `${r.querySelector('[data-testid=scm-letter]')!.textContent} ${r.dataset.path}`);

describe('SourceControlPanel', () => {
  it('shows the branch, ahead/behind, staged and working-tree changes with their letters, and history', async () => {
    await render();
    expect($('scm-branch')!.textContent).toContain('main');
    expect($('scm-sync')!.textContent).toBe('1↑ 2↓');
    expect(rows('staged')).toEqual(['M src/app.js']);
    expect(rows('changes')).toEqual(['? notes.txt', 'D old.txt', 'M README.md']);
    expect($('scm-group-merge')).toBeNull();
    expect($('scm-merging')).toBeNull();
    expect($$('scm-commit-item').map((e) => e.textContent)).toEqual([
      expect.stringContaining('First commit'),
    ]);
    expect($$('scm-commit-item')[0].textContent).toContain('abcdef1');
  });

  it('stages and unstages one file or all, and re-reads the status after each', async () => {
    route('POST', '/api/projects/p1/git/stage', () => ({}));
    route('POST', '/api/projects/p1/git/unstage', () => ({}));
    await render();
    const readsBefore = callsTo('GET /api/projects/p1/git/status').length;
    const readme = $$('scm-file').find((r) => r.dataset.path === 'README.md')!;
    await click(readme.querySelector('[data-testid=scm-stage]'));
    expect(callsTo('POST /api/projects/p1/git/stage').map((c) => c.body)).toEqual([
      { paths: ['README.md'] },
    ]);
    expect(callsTo('GET /api/projects/p1/git/status').length).toBeGreaterThan(readsBefore);

    const app = $$('scm-file').find((r) => r.dataset.path === 'src/app.js')!;
    await click(app.querySelector('[data-testid=scm-unstage]'));
    expect(callsTo('POST /api/projects/p1/git/unstage').map((c) => c.body)).toEqual([
      { paths: ['src/app.js'] },
    ]);

    await click($('scm-stage-all-changes'));
    expect(callsTo('POST /api/projects/p1/git/stage')[1].body).toEqual({
      paths: ['notes.txt', 'old.txt', 'README.md'],
    });
  });

  it('a click on a file opens its diff, staged or not', async () => {
    await render();
    const open = (path: string, group: string) =>
      $$('scm-file')
        .find((r) => r.dataset.path === path && r.dataset.group === group)!
        .querySelector('.scm-open');
    await click(open('src/app.js', 'staged'));
    await click(open('README.md', 'changes'));
    expect(onOpenDiff.mock.calls).toEqual([
      ['src/app.js', true],
      ['README.md', false],
    ]);
  });

  it('commits with Ctrl+Enter only when something is staged and a message is written', async () => {
    route('POST', '/api/projects/p1/git/commit', () => ({ sha: 'f00', summary: 'Fix it' }));
    await render();
    const commit = $('scm-commit') as HTMLButtonElement;
    expect(commit.disabled).toBe(true); // no message yet
    const box = $('scm-message') as HTMLTextAreaElement;
    await type(box, 'Fix it');
    expect(commit.disabled).toBe(false);
    await act(async () =>
      box.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }),
      ),
    );
    await flush();
    expect(callsTo('POST /api/projects/p1/git/commit').map((c) => c.body)).toEqual([
      { message: 'Fix it', amend: false },
    ]);
    expect(($('scm-message') as HTMLTextAreaElement).value).toBe('');
  });

  it('with nothing staged Commit is disabled and "stage all and commit" asks first, then stages everything', async () => {
    status.files = status.files!.filter((f) => f.index === '.' || f.index === '?');
    route('POST', '/api/projects/p1/git/stage', () => ({}));
    route('POST', '/api/projects/p1/git/commit', () => ({ sha: 'f00', summary: 'All' }));
    await render();
    await type($('scm-message') as HTMLTextAreaElement, 'All');
    expect(($('scm-commit') as HTMLButtonElement).disabled).toBe(true);
    await click($('scm-stage-all-commit'));
    expect(callsTo('POST /api/projects/p1/git/commit')).toHaveLength(0);
    await click(document.querySelector('[data-testid=confirm]'));
    expect(callsTo('POST /api/projects/p1/git/stage').map((c) => c.body)).toEqual([
      { paths: ['notes.txt', 'old.txt', 'README.md'] },
    ]);
    expect(callsTo('POST /api/projects/p1/git/commit').map((c) => c.body)).toEqual([
      { message: 'All', amend: false },
    ]);
  });

  it('shows a merge in progress: the banner, conflicted files in "Merge changes", Abort merge', async () => {
    status.merging = true;
    status.files = [
      { path: 'a.txt', index: 'U', worktree: 'U', conflicted: true },
      { path: 'b.txt', index: 'M', worktree: '.', conflicted: false },
    ];
    route('POST', '/api/projects/p1/git/merge/abort', () => {
      status.merging = false;
      status.files = [];
      return {};
    });
    await render();
    expect($('scm-merging')!.textContent).toContain('Merging — resolve conflicts, stage, commit');
    expect(rows('merge')).toEqual(['U a.txt']);
    expect(rows('staged')).toEqual(['M b.txt']);
    expect(rows('changes')).toEqual([]);
    expect($$('scm-file').find((r) => r.dataset.path === 'a.txt')!.className).toContain(
      'conflicted',
    );
    await click($('scm-abort-merge'));
    expect(callsTo('POST /api/projects/p1/git/merge/abort')).toHaveLength(1);
    expect($('scm-merging')).toBeNull();
    expect($('scm-clean')).not.toBeNull();
  });

  it('a stopped workspace (409) offers Start instead of changes', async () => {
    route('GET', '/api/projects/p1/git/status', () => {
      throw new Problem(409, 'workspace-stopped', 'The workspace is stopped.');
    });
    api.startWorkspace.mockResolvedValue({ projectId: 'p1', status: 'STARTING' });
    await render();
    expect($('scm-stopped')!.textContent).toContain('Start the workspace to see changes');
    expect($('scm-file')).toBeNull();
    await click($('scm-start'));
    expect(api.startWorkspace).toHaveBeenCalledWith('p1');
  });

  it('a folder that is not a repository offers to initialize one', async () => {
    status = { repository: false };
    route('POST', '/api/projects/p1/git/init', () => {
      status = { repository: true, branch: 'main', ahead: 0, behind: 0, files: [] };
      return {};
    });
    await render();
    expect($('scm-no-repo')).not.toBeNull();
    await click($('scm-init'));
    expect(callsTo('POST /api/projects/p1/git/init')).toHaveLength(1);
    expect($('scm-no-repo')).toBeNull();
    expect($('scm-branch')!.textContent).toContain('main');
  });

  it('shows a failed push as the problem detail and re-enables the buttons', async () => {
    route('POST', '/api/projects/p1/git/push', () => {
      throw new Problem(422, 'git-failed', 'rejected: the remote has commits you do not have');
    });
    await render();
    await click($('scm-push'));
    expect($('error')!.textContent).toContain('rejected: the remote has commits you do not have');
    expect(($('scm-push') as HTMLButtonElement).disabled).toBe(false);
    expect(callsTo('POST /api/projects/p1/git/push')[0].body).toEqual({ setUpstream: false });
  });

  it('viewers read status, diffs and history but get no button that changes anything', async () => {
    status.merging = true;
    await render(true);
    expect(rows('staged')).toEqual(['M src/app.js']);
    expect($('scm-history')).not.toBeNull();
    for (const id of [
      'scm-stage',
      'scm-unstage',
      'scm-stage-all-changes',
      'scm-unstage-all',
      'scm-message',
      'scm-commit',
      'scm-pull',
      'scm-push',
      'scm-abort-merge',
    ])
      expect($(id), id).toBeNull();
    await click($$('scm-file')[0].querySelector('.scm-open'));
    expect(onOpenDiff).toHaveBeenCalled();
    await click($('scm-branch'));
    expect($('scm-new-branch')).toBeNull();
  });
});

async function type(el: HTMLTextAreaElement, text: string) {
  // React listens to the native value setter's input event.
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  await act(async () => {
    setter.call(el, text);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
