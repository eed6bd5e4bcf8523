import { describe, expect, it, vi } from 'vitest';
import { ApiClient, type Tokens, type TokenStore } from './client';
import { ApiError, messageOf, parseProblem } from './problem';

class MemoryStore implements TokenStore {
  constructor(public tokens: Tokens | null) {}
  get() {
    return this.tokens;
  }
  set(t: Tokens | null) {
    this.tokens = t;
  }
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const problem = (status: number, detail: string) =>
  json(
    status,
    {
      type: 'https://constellation.dev/problems/x',
      title: 'Title',
      status,
      detail,
      requestId: 'req-1',
    },
    'application/problem+json',
  );

function fakeServer(validToken: () => string) {
  let refreshes = 0;
  const calls: { url: string; auth: string | null }[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({ url, auth: headers.get('authorization') });
    if (url.endsWith('/api/auth/refresh')) {
      refreshes++;
      const body = JSON.parse(String(init?.body));
      if (body.refreshToken !== 'refresh-1') return problem(401, 'Refresh token reused.');
      await new Promise((r) => setTimeout(r, 5));
      return json(200, {
        user: {},
        accessToken: 'access-2',
        refreshToken: 'refresh-2',
        expiresIn: 900,
      });
    }
    if (headers.get('authorization') !== `Bearer ${validToken()}`)
      return problem(401, 'Token expired.');
    return json(200, { ok: true, url });
  });
  return { fetchImpl, calls, refreshes: () => refreshes };
}

describe('ApiClient', () => {
  it('sends the bearer token and parses JSON', async () => {
    const store = new MemoryStore({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const server = fakeServer(() => 'access-1');
    const client = new ApiClient({ store, fetch: server.fetchImpl as typeof fetch });
    await client.me();
    expect(server.calls[0].auth).toBe('Bearer access-1');
  });

  it('turns a problem response into an ApiError whose message is the detail', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const fetchImpl = vi.fn(async () => problem(409, 'A project with that name already exists.'));
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const err = await client.createProject({ name: 'x', templateId: 'blank' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.message).toBe('A project with that name already exists.');
    expect(err.requestId).toBe('req-1');
    expect(messageOf(err)).not.toContain('{');
  });

  it('never shows raw JSON or HTML when the error body is not a problem', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const fetchImpl = vi.fn(
      async () =>
        new Response('<html>Bad gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const err = await client.templates().catch((e) => e);
    expect(err.message).toMatch(/server had a problem/);
    expect(err.message).not.toContain('<html>');
  });

  it('reports a network failure as a sentence', async () => {
    const client = new ApiClient({
      store: new MemoryStore(null),
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    });
    const err = await client.health().catch((e) => e);
    expect(messageOf(err)).toMatch(/could not be reached/);
  });

  it('refreshes an expired access token and retries once', async () => {
    const store = new MemoryStore({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const server = fakeServer(() => 'access-2');
    const client = new ApiClient({ store, fetch: server.fetchImpl as typeof fetch });
    const res = await client.getProject('p1');
    expect(res).toMatchObject({ ok: true });
    expect(server.refreshes()).toBe(1);
    expect(store.tokens).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(server.calls.map((c) => c.auth)).toEqual(['Bearer access-1', null, 'Bearer access-2']);
  });

  it('refreshes only once for concurrent 401s', async () => {
    const store = new MemoryStore({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const server = fakeServer(() => 'access-2');
    const client = new ApiClient({ store, fetch: server.fetchImpl as typeof fetch });
    const results = await Promise.all([
      client.getProject('a'),
      client.getProject('b'),
      client.listFiles('c'),
      client.me(),
    ]);
    expect(results).toHaveLength(4);
    expect(server.refreshes()).toBe(1);
  });

  it('clears the session and signals expiry when the refresh is refused', async () => {
    const store = new MemoryStore({ accessToken: 'access-1', refreshToken: 'stolen' });
    const server = fakeServer(() => 'access-2');
    const expired = vi.fn();
    const client = new ApiClient({
      store,
      fetch: server.fetchImpl as typeof fetch,
      onSessionExpired: expired,
    });
    const err = await client.me().catch((e) => e);
    expect(err.status).toBe(401);
    expect(store.tokens).toBeNull();
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('does not try to refresh on a failed login', async () => {
    const store = new MemoryStore(null);
    const fetchImpl = vi.fn(async () => problem(401, 'Wrong email or password.'));
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const err = await client.login('a@b.c', 'x').catch((e) => e);
    expect(err.message).toBe('Wrong email or password.');
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it('registers, then signs in: sign-up itself returns no tokens', async () => {
    const store = new MemoryStore(null);
    const calls: string[] = [];
    const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      calls.push(url);
      if (url.endsWith('/api/auth/register'))
        return json(202, { message: 'Registration received.' });
      return json(200, {
        user: { id: 'u1', email: 'a@example.com' },
        accessToken: 'access-1',
        refreshToken: 'refresh-1',
        expiresIn: 900,
      });
    });
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const user = await client.register('a@example.com', 'long enough password', 'A');
    expect(calls.map((u) => u.replace(/^.*\/api/, '/api'))).toEqual([
      '/api/auth/register',
      '/api/auth/login',
    ]);
    expect(user.id).toBe('u1');
    expect(store.tokens?.accessToken).toBe('access-1');
  });

  it('sends If-Match when saving with an etag and reports 412', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    let ifMatch: string | null = null;
    const fetchImpl = vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => {
      ifMatch = new Headers(init?.headers).get('if-match');
      return problem(412, 'The file changed since you opened it.');
    });
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const err = await client.writeFile('p', 'src/a.js', 'x', '"abc"').catch((e) => e);
    expect(ifMatch).toBe('"abc"');
    expect(err.status).toBe(412);
  });

  it('streams an answer from text/event-stream split at awkward places', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const wire =
      'event: delta\ndata: {"text":"Hel"}\n\nevent: delta\r\ndata: {"text":"lo ✓"}\r\n\r\nevent: done\ndata: {"messageId":"m1","usage":{"inputTokens":3,"outputTokens":2}}\n\n';
    const bytes = new TextEncoder().encode(wire);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
        c.close();
      },
    });
    const fetchImpl = vi.fn(
      async () =>
        new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    );
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    let text = '';
    let done: unknown = null;
    await client.sendMessage('c1', 'hi', undefined, {
      onDelta: (t) => (text += t),
      onDone: (d) => (done = d),
    });
    expect(text).toBe('Hello ✓');
    expect(done).toEqual({ messageId: 'm1', usage: { inputTokens: 3, outputTokens: 2 } });
  });

  it('turns an error event into an ApiError with the problem detail', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const wire =
      'event: delta\ndata: {"text":"partial"}\n\nevent: error\ndata: {"title":"Upstream","status":502,"detail":"The AI service is unavailable."}\n\n';
    const fetchImpl = vi.fn(
      async () =>
        new Response(wire, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    );
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const err = await client
      .sendMessage('c1', 'hi', undefined, { onDelta: () => undefined })
      .catch((e) => e);
    expect(err.message).toBe('The AI service is unavailable.');
    expect(err.status).toBe(502);
  });

  it("reads claude-service's own wire format: no space after the colon, keepalive comments", async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const usage = {
      inputTokens: 1,
      outputTokens: 36,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 135,
    };
    const wire = `event:delta\ndata:{"text":"Here is "}\n\n:keepalive\n\nevent:delta\ndata:{"text":" the answer"}\n\nevent:done\ndata:${JSON.stringify({ messageId: 'm1', usage })}\n\n`;
    const fetchImpl = vi.fn(
      async () =>
        new Response(wire, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    );
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const deltas: string[] = [];
    let done: unknown = null;
    await client.sendMessage('c1', 'hi', undefined, {
      onDelta: (t) => deltas.push(t),
      onDone: (d) => (done = d),
    });
    expect(deltas).toEqual(['Here is ', ' the answer']);
    expect(done).toEqual({ messageId: 'm1', usage });
  });

  it('sends agent mode and hands each event of the turn over in order', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const tool = {
      stepId: 's1',
      step: 0,
      tool: 'run_command',
      input: { command: 'ls' },
      status: 'running',
    };
    const wire =
      [
        `event:turn\ndata:${JSON.stringify({ turnId: 't', mode: 'agent', model: 'm', contextWindow: 200000 })}`,
        'event:delta\ndata:{"text":"Listing.","step":0}',
        `event:tool\ndata:${JSON.stringify(tool)}`,
        'event:tool-output\ndata:{"stepId":"s1","text":"a.js\\n"}',
        'event:some-future-event\ndata:{}',
        `event:done\ndata:${JSON.stringify({ messageId: 'm1', usage: { inputTokens: 1, outputTokens: 2, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUsd: 0.001 }, stopReason: 'end_turn' })}`,
      ].join('\n\n') + '\n\n';
    let body: unknown = null;
    const fetchImpl = vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => {
      body = JSON.parse(String(init?.body));
      return new Response(wire, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    });
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    const seen: string[] = [];
    await client.sendMessage(
      'c1',
      'list',
      undefined,
      {
        onDelta: (t, step) => seen.push(`delta ${t} ${step}`),
        onEvent: (e) => seen.push(e.type),
        onDone: (d) => seen.push(`done ${d.stopReason}`),
      },
      undefined,
      'agent',
    );
    expect(body).toEqual({ content: 'list', mode: 'agent' });
    expect(seen).toEqual(['turn', 'delta Listing. 0', 'tool', 'tool-output', 'done end_turn']);
  });

  it('looks a user up by email and reports an unknown one readably', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const urls: string[] = [];
    const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      urls.push(url);
      return url.includes('ann%2Btest%40example.com')
        ? json(200, { id: 'u-ann', email: 'ann+test@example.com', displayName: 'Ann' })
        : problem(404, 'No active account uses bob@example.com.');
    });
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    expect(await client.lookupUser(' ann+test@example.com ')).toEqual({
      id: 'u-ann',
      email: 'ann+test@example.com',
      displayName: 'Ann',
    });
    expect(urls[0]).toBe('/api/users/lookup?email=ann%2Btest%40example.com');
    const err = await client.lookupUser('bob@example.com').catch((e) => e);
    expect(err.status).toBe(404);
    expect(messageOf(err)).toBe('No active account uses bob@example.com.');
  });

  it('asks for users by id once per 100 distinct ids, and not at all for none', async () => {
    const store = new MemoryStore({ accessToken: 'a', refreshToken: 'r' });
    const urls: string[] = [];
    const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      urls.push(url);
      const ids = decodeURIComponent(new URL(url, 'http://x').searchParams.get('ids') ?? '').split(
        ',',
      );
      return json(
        200,
        ids.map((id) => ({ id, email: `${id}@example.com`, displayName: id })),
      );
    });
    const client = new ApiClient({ store, fetch: fetchImpl as typeof fetch });
    expect(await client.usersByIds([])).toEqual([]);
    expect(urls).toEqual([]);
    const ids = Array.from({ length: 150 }, (_, i) => `u${i}`);
    const users = await client.usersByIds([...ids, 'u1', '']);
    expect(users.map((u) => u.id)).toEqual(ids);
    expect(urls).toHaveLength(2);
    expect(urls[0].startsWith('/api/users?ids=u0,u1,u2,')).toBe(true);
  });

  it('builds the terminal WebSocket URL on the same host', () => {
    const client = new ApiClient({ store: new MemoryStore(null) });
    expect(client.terminalUrl('p 1', 't/1', { protocol: 'https:', host: 'ide.example.com' })).toBe(
      'wss://ide.example.com/api/projects/p%201/terminal?ticket=t%2F1',
    );
    expect(client.terminalUrl('p', 't', { protocol: 'http:', host: 'localhost:8000' })).toBe(
      'ws://localhost:8000/api/projects/p/terminal?ticket=t',
    );
    expect(client.terminalUrl('p', 't', { protocol: 'http:', host: 'localhost:8000' }, 's/1')).toBe(
      'ws://localhost:8000/api/projects/p/terminal?ticket=t&session=s%2F1',
    );
  });

  it('calls the issue-12 endpoints as the contract says', async () => {
    const seen: { method: string; url: string; body: unknown }[] = [];
    const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push({
        method: init?.method ?? 'GET',
        url: String(input),
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      });
      return init?.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, {});
    });
    const client = new ApiClient({
      store: new MemoryStore({ accessToken: 'a', refreshToken: 'r' }),
      fetch: fetchImpl as typeof fetch,
    });
    await client.updatePreferences({ autoStartWorkspace: true });
    await client.previewSession('p', 3000, '/x');
    await client.sharePort('p', 3000, 60);
    await client.unsharePort('p', 3000);
    await client.renameTerminal('p', 's1', 'server');
    await client.killTerminal('p', 's1');
    await client.updateWorkspaceSettings('p', { memoryMb: 1024 });
    expect(seen).toEqual([
      { method: 'PATCH', url: '/api/auth/me/preferences', body: { autoStartWorkspace: true } },
      { method: 'POST', url: '/api/projects/p/ports/3000/preview-session', body: { path: '/x' } },
      { method: 'POST', url: '/api/projects/p/ports/3000/share', body: { expiresInMinutes: 60 } },
      { method: 'DELETE', url: '/api/projects/p/ports/3000/share', body: undefined },
      { method: 'PATCH', url: '/api/projects/p/terminals/s1', body: { title: 'server' } },
      { method: 'DELETE', url: '/api/projects/p/terminals/s1', body: undefined },
      { method: 'PUT', url: '/api/projects/p/workspace/settings', body: { memoryMb: 1024 } },
    ]);
  });
});

describe('parseProblem', () => {
  it('reads RFC 9457 fields', () => {
    expect(
      parseProblem(
        '{"title":"Bad","status":400,"detail":"name must not be blank","requestId":"r"}',
        'application/problem+json',
      ),
    ).toMatchObject({ detail: 'name must not be blank', requestId: 'r' });
  });
  it('ignores non-JSON', () => {
    expect(parseProblem('oops', 'text/plain')).toBeNull();
    expect(parseProblem('{broken', 'application/json')).toBeNull();
    expect(parseProblem('[1,2]', 'application/json')).toBeNull();
  });
});
