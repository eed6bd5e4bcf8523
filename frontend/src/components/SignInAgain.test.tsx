import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, TOKENS_KEY } from '../api/client';
import type { Me } from '../api/types';
import { SignInAgain } from './SignInAgain';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
const find = (id: string) => document.querySelector<HTMLElement>(`[data-testid=${id}]`);
const dialog = () => find('sign-in-again');

async function render(node: React.ReactNode) {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root.render(node));
}

async function signIn(password: string) {
  await vi.waitFor(() => expect(dialog()).not.toBeNull());
  const input = find('sign-in-again-password') as HTMLInputElement;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  await act(async () => {
    setValue.call(input, password);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => find('sign-in-again-submit')!.click());
}

const user = { id: 'u1', email: 'ada@example.com', displayName: 'Ada' } as Me;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' },
  });

interface Call {
  url: string;
  method: string;
  auth: string | null;
  ifMatch: string | null;
  body: unknown;
}

function server() {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      auth: headers.get('authorization'),
      ifMatch: headers.get('if-match'),
      body: init?.body,
    });
    if (url.endsWith('/api/auth/refresh')) return json(401, { status: 401, detail: 'Revoked.' });
    if (url.endsWith('/api/auth/login')) {
      const { email, password } = JSON.parse(String(init?.body));
      if (password !== 'right password') return json(401, { status: 401, detail: 'Wrong.' });
      return json(200, {
        user: { id: email === user.email ? 'u1' : 'u2', email },
        accessToken: 'access-2',
        refreshToken: 'refresh-2',
        expiresIn: 900,
      });
    }
    if (headers.get('authorization') !== 'Bearer access-2')
      return json(401, { status: 401, detail: 'Token expired.' });
    return json(200, { path: 'a.txt', etag: '"e2"', size: 5 });
  });
  return { calls, fetchMock };
}

describe('SignInAgain', () => {
  beforeEach(() => {
    localStorage.setItem(
      TOKENS_KEY,
      JSON.stringify({ accessToken: 'access-1', refreshToken: 'refresh-1' }),
    );
  });
  afterEach(async () => {
    await act(async () => root.unmount());
    host.remove();
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('asks to sign in when the session ended during a save, then sends the save again', async () => {
    const { calls, fetchMock } = server();
    vi.stubGlobal('fetch', fetchMock);
    await render(<SignInAgain user={user} />);

    const saving = api.writeFile('p1', 'a.txt', 'hello', '"e1"');
    await signIn('right password');

    await expect(saving).resolves.toMatchObject({ etag: '"e2"' });
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[1]).toMatchObject({ auth: 'Bearer access-2', ifMatch: '"e1"', body: 'hello' });
    await vi.waitFor(() => expect(dialog()).toBeNull());
    expect(window.location.pathname).not.toBe('/login');
  });

  it('shows the dialog when another tab signs out, without leaving the page', async () => {
    vi.stubGlobal('fetch', server().fetchMock);
    await render(<SignInAgain user={user} />);
    expect(dialog()).toBeNull();

    await act(async () => {
      localStorage.removeItem(TOKENS_KEY);
      window.dispatchEvent(new StorageEvent('storage', { key: TOKENS_KEY, newValue: null }));
    });
    await vi.waitFor(() => expect(dialog()).not.toBeNull());
  });

  it('keeps asking after a wrong password, and the save waits', async () => {
    const { calls, fetchMock } = server();
    vi.stubGlobal('fetch', fetchMock);
    await render(<SignInAgain user={user} />);

    let settled = false;
    const saving = api.writeFile('p1', 'a.txt', 'hello', '"e1"').finally(() => (settled = true));
    await signIn('wrong');
    await vi.waitFor(() => expect(calls.some((c) => c.url.endsWith('/api/auth/login'))).toBe(true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    expect(dialog()).not.toBeNull();

    await signIn('right password');
    await expect(saving).resolves.toMatchObject({ etag: '"e2"' });
  });
});
