import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';

const api = vi.hoisted(() => ({
  request: vi.fn(),
  listProjects: vi.fn(),
  templates: vi.fn(),
  createProject: vi.fn(),
  deleteProject: vi.fn(),
  listFiles: vi.fn(),
  deleteFile: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));
vi.mock('../modules/auth', () => ({
  useAuth: () => ({ user: { id: 'u1', roles: [], displayName: 'Ada', email: 'a@x' } }),
}));
const navigate = vi.hoisted(() => vi.fn());
vi.mock('../modules/router', () => ({
  useRouter: () => ({ path: '/', navigate }),
  Link: ({ children }: { children: unknown }) => children,
}));

import { DashboardPage } from './DashboardPage';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
const cloned: unknown[] = [];
let cloneAnswer: () => Response;
const flush = () => act(async () => new Promise((r) => setTimeout(r, 20)));
const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid=${id}]`);

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  navigate.mockReset();
  cloned.length = 0;
  api.listProjects.mockResolvedValue({ items: [], total: 0 });
  api.templates.mockResolvedValue([
    { id: 'blank', name: 'Blank' },
    { id: 'empty', name: 'Empty' },
    { id: 'node', name: 'Node' },
  ]);
  api.createProject.mockImplementation(async (b: { name: string }) => ({
    id: 'p9',
    name: b.name,
    members: [],
  }));
  cloneAnswer = () =>
    new Response(JSON.stringify({ branch: 'main', head: 'abc' }), { status: 201 });
  api.request.mockImplementation(
    async (path: string, opts: { method?: string; json?: unknown }) => {
      if (path === '/api/git/credentials')
        return new Response(
          JSON.stringify([
            { id: 'c1', host: 'git.example.com', kind: 'https-token', username: 'ada' },
          ]),
        );
      if (path === '/api/projects/p9/git/clone' && opts.method === 'POST') {
        cloned.push(opts.json);
        const r = cloneAnswer();
        if (!r.ok) throw new ApiError(r.status, { status: r.status, detail: await r.text() }, null);
        return r;
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

async function openCloneForm(url: string) {
  await act(async () => root.render(<DashboardPage />));
  await flush();
  await act(async () => $('new-project')!.click());
  await flush();
  await act(async () => $('source-clone')!.click());
  await flush();
  await fill($('clone-url') as HTMLInputElement, url);
  const select = $('clone-credential') as HTMLSelectElement;
  await act(async () => {
    select.value = 'c1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('New project → Clone a Git repository', () => {
  it('creates an empty project named after the repository, clones into it with the credential, then opens it', async () => {
    await openCloneForm('https://git.example.com/team/widgets.git');
    expect(($('project-name') as HTMLInputElement).placeholder).toBe('widgets');
    await act(async () => $('create-project')!.click());
    await flush();
    expect(api.createProject).toHaveBeenCalledWith({
      name: 'widgets',
      description: undefined,
      templateId: 'empty',
    });
    expect(cloned).toEqual([
      { url: 'https://git.example.com/team/widgets.git', credentialId: 'c1' },
    ]);
    expect(navigate).toHaveBeenCalledWith('/projects/p9');
  });

  it('a failed clone shows git’s message and offers to delete the half-made project', async () => {
    cloneAnswer = () => new Response('Authentication failed for the repository', { status: 422 });
    api.deleteProject.mockResolvedValue(undefined);
    await openCloneForm('https://git.example.com/team/secret.git');
    await act(async () => $('create-project')!.click());
    await flush();
    expect(navigate).not.toHaveBeenCalled();
    expect($('error')!.textContent).toContain('Authentication failed for the repository');
    expect($('create-project')!.textContent).toBe('Retry clone');
    await act(async () => $('clone-delete-project')!.click());
    await flush();
    expect(api.deleteProject).toHaveBeenCalledWith('p9');
    expect($('clone-failed')).toBeNull();
  });
});

async function fill(el: HTMLInputElement, text: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  await act(async () => {
    setter.call(el, text);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
