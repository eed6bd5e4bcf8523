import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GitCredential } from '../modules/git';

const api = vi.hoisted(() => ({ request: vi.fn() }));
vi.mock('../api/client', () => ({ api }));

import { GitCredentialsDialog } from './GitCredentialsDialog';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let stored: GitCredential[];
const sent: { method: string; path: string; body: unknown }[] = [];
const flush = () => act(async () => new Promise((r) => setTimeout(r, 20)));
const $ = (id: string) => host.querySelector<HTMLElement>(`[data-testid=${id}]`);
const $$ = (id: string) => [...host.querySelectorAll<HTMLElement>(`[data-testid=${id}]`)];
const click = async (el: Element | null) => {
  expect(el).not.toBeNull();
  await act(async () => (el as HTMLElement).click());
  await flush();
};

beforeEach(() => {
  sent.length = 0;
  stored = [
    {
      id: 'c1',
      host: 'github.com',
      kind: 'https-token',
      username: 'ada',
      createdAt: '2026-12-01T10:00:00Z',
    },
  ];
  api.request.mockReset();
  api.request.mockImplementation(
    async (path: string, opts: { method?: string; json?: unknown } = {}) => {
      const method = opts.method ?? 'GET';
      sent.push({ method, path, body: opts.json });
      if (method === 'GET') return new Response(JSON.stringify(stored));
      if (method === 'POST') {
        const b = opts.json as { kind: string; host: string; username?: string };
        const c: GitCredential = {
          id: `c${stored.length + 1}`,
          host: b.host,
          kind: b.kind as GitCredential['kind'],
          username: b.username ?? null,
          publicKey: b.kind === 'ssh-key' ? 'ssh-ed25519 AAAAC3Nz constellation' : null,
        };
        stored = [...stored, c];
        return new Response(JSON.stringify(c), { status: 201 });
      }
      stored = stored.filter((c) => !path.endsWith(`/${c.id}`));
      return new Response(null, { status: 204 });
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

async function render() {
  await act(async () => root.render(<GitCredentialsDialog onClose={() => undefined} />));
  await flush();
}

describe('GitCredentialsDialog', () => {
  it('lists credentials without secrets and adds an https token from a password field', async () => {
    await render();
    expect($$('git-credential').map((r) => r.textContent)).toEqual([
      expect.stringContaining('github.com'),
    ]);
    await click($('git-add-token'));
    expect(($('git-credential-token') as HTMLInputElement).type).toBe('password');
    await fill($('git-credential-host') as HTMLInputElement, 'git.example.com');
    await fill($('git-credential-username') as HTMLInputElement, 'bob');
    await fill($('git-credential-token') as HTMLInputElement, 's3cret-token');
    await click($('git-credential-save'));
    expect(sent.find((s) => s.method === 'POST')?.body).toEqual({
      kind: 'https-token',
      host: 'git.example.com',
      username: 'bob',
      token: 's3cret-token',
    });
    expect($$('git-credential')).toHaveLength(2);
    expect(host.textContent).not.toContain('s3cret-token');
  });

  it('creates an SSH key and shows its public key to copy', async () => {
    await render();
    await click($('git-add-ssh'));
    await fill($('git-credential-host') as HTMLInputElement, 'gitlab.com');
    await click($('git-credential-save'));
    expect(sent.find((s) => s.method === 'POST')?.body).toEqual({
      kind: 'ssh-key',
      host: 'gitlab.com',
    });
    expect($('git-public-key')!.textContent).toContain('ssh-ed25519 AAAAC3Nz constellation');
  });

  it('deletes only after confirmation', async () => {
    await render();
    await click($('git-credential-delete'));
    expect(sent.some((s) => s.method === 'DELETE')).toBe(false);
    await click($('confirm'));
    expect(sent.filter((s) => s.method === 'DELETE').map((s) => s.path)).toEqual([
      '/api/git/credentials/c1',
    ]);
    expect($$('git-credential')).toHaveLength(0);
  });
});

async function fill(el: HTMLInputElement, text: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  await act(async () => {
    setter.call(el, text);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
