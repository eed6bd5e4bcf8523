import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, type Tokens, type TokenStore } from '../api/client';
import { WorkspaceLive, statusLabel, type LiveState } from './workspaceLive';

class MemoryStore implements TokenStore {
  tokens: Tokens | null = { accessToken: 'access-1', refreshToken: 'refresh-1' };
  get() {
    return this.tokens;
  }
  set(t: Tokens | null) {
    this.tokens = t;
  }
}

/** A text/event-stream body the test writes to, as the workspace-service would. */
function sseStream() {
  const enc = new TextEncoder();
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      ctrl = c;
    },
  });
  return {
    body,
    send: (event: string, data: unknown) =>
      ctrl.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)),
    comment: () => ctrl.enqueue(enc.encode(': keep-alive\n\n')),
    end: () => ctrl.close(),
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
    },
  });
const tick = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

let live: WorkspaceLive | null = null;
afterEach(() => {
  live?.stop();
  live = null;
});

function setup(route: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; auth: string | null; signal?: AbortSignal | null }[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({
      url,
      auth: new Headers(init?.headers).get('authorization'),
      signal: init?.signal,
    });
    return route(url, init);
  });
  const api = new ApiClient({ store: new MemoryStore(), fetch: fetchImpl as typeof fetch });
  const states: LiveState[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  live = new WorkspaceLive(api, 'p1', (s) => states.push(s), {
    // Timers are run by the test, so a backoff is observed, not waited out.
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    clearTimeout: () => undefined,
  });
  return { calls, states, timers, live, last: () => states[states.length - 1] };
}

describe('WorkspaceLive', () => {
  it('reads the event stream with the bearer token and shows each status with its phase', async () => {
    const s = sseStream();
    const t = setup((url) =>
      url.endsWith('/workspace/events')
        ? new Response(s.body, { headers: { 'content-type': 'text/event-stream' } })
        : json(200, []),
    );
    t.live.start();
    await until(() => t.last()?.streaming === true, 'stream open');
    expect(t.calls[0].url).toBe('/api/projects/p1/workspace/events');
    expect(t.calls[0].auth).toBe('Bearer access-1');

    s.send('status', { projectId: 'p1', status: 'STOPPED', phase: 'stopped', runtime: 'docker' });
    await until(() => t.last().status?.status === 'STOPPED', 'STOPPED');
    s.comment();
    s.send('status', { projectId: 'p1', status: 'STARTING', phase: 'creating' });
    await until(() => t.last().status?.phase === 'creating', 'creating');
    expect(statusLabel(t.last().status)).toBe('STARTING (creating…)');
    s.send('status', { projectId: 'p1', status: 'FAILED', phase: 'failed', reason: 'no image' });
    await until(() => t.last().status?.status === 'FAILED', 'FAILED');
    expect(t.last().status?.reason).toBe('no image');
    expect(statusLabel(t.last().status)).toBe('FAILED');
  });

  it('shows an idle warning until the next status, and lists ports with their share links', async () => {
    const s = sseStream();
    const t = setup((url) => {
      if (url.endsWith('/workspace/events'))
        return new Response(s.body, { headers: { 'content-type': 'text/event-stream' } });
      if (url.endsWith('/ports'))
        return json(200, [
          {
            port: 3000,
            url: 'http://p3000-p1.preview.localhost:8000/',
            share: { url: 'http://share/x', expiresAt: '2030-01-01T00:00:00Z' },
          },
        ]);
      return json(404, { status: 404, title: 'nf', detail: 'nf', type: 'x' });
    });
    t.live.start();
    await until(() => t.last()?.streaming === true, 'stream open');
    s.send('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' });
    s.send('idle-warning', { stopsAt: '2030-01-01T00:01:00Z' });
    await until(() => t.last().idleWarning !== null, 'idle warning');
    expect(t.last().idleWarning?.stopsAt).toBe('2030-01-01T00:01:00Z');
    s.send('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' });
    await until(() => t.last().idleWarning === null, 'warning cleared');

    s.send('ports', { ports: [{ port: 3000, url: 'http://p3000-p1.preview.localhost:8000/' }] });
    await until(() => !!t.last().ports?.[0]?.share, 'ports with share');
    expect(t.last().ports?.map((p) => p.port)).toEqual([3000]);
    expect(t.last().ports?.[0].share?.url).toBe('http://share/x');

    s.send('terminals', { sessions: [{ id: 's1', title: 'bash' }] });
    await until(() => t.last().sessions?.length === 1, 'sessions');

    // Stopping ends ports and sessions at once.
    s.send('status', { projectId: 'p1', status: 'STOPPED', phase: 'stopped' });
    await until(() => t.last().status?.status === 'STOPPED', 'stopped');
    expect(t.last().ports).toEqual([]);
    expect(t.last().sessions).toEqual([]);
  });

  it('when the stream ends, polls the status and reconnects with a growing backoff', async () => {
    const streams: ReturnType<typeof sseStream>[] = [];
    const t = setup((url) => {
      if (url.endsWith('/workspace/events')) {
        // The first stream works; reconnects then fail, so the backoff grows.
        if (streams.length >= 1)
          return json(503, { status: 503, title: 'x', detail: 'x', type: 'x' });
        const s = sseStream();
        streams.push(s);
        return new Response(s.body, { headers: { 'content-type': 'text/event-stream' } });
      }
      return json(200, { projectId: 'p1', status: 'STOPPED', runtime: 'docker' });
    });
    t.live.start();
    await until(() => streams.length === 1 && t.last()?.streaming === true, 'first stream');
    streams[0].end();
    await until(() => t.last().streaming === false, 'stream down');
    await until(() => t.last().status?.status === 'STOPPED', 'polled status');
    expect(t.calls.some((c) => c.url === '/api/projects/p1/workspace')).toBe(true);
    const retry = t.timers.find((x) => x.ms === 1000);
    expect(retry).toBeDefined();
    retry!.fn();
    await until(() => t.timers.some((x) => x.ms === 2000), 'longer backoff');
    t.timers.find((x) => x.ms === 2000)!.fn();
    await until(() => t.timers.some((x) => x.ms === 4000), 'longer backoff');
  });

  it('an older server without the stream (404) is polled and retried rarely', async () => {
    const t = setup((url) =>
      url.endsWith('/workspace/events')
        ? json(404, { status: 404, title: 'Not found', detail: 'none', type: 'x' })
        : json(200, { projectId: 'p1', status: 'RUNNING', runtime: 'local' }),
    );
    t.live.start();
    await until(() => t.last()?.status?.status === 'RUNNING', 'polled RUNNING');
    expect(t.timers.some((x) => x.ms === 3000)).toBe(true);
    expect(Math.max(...t.timers.map((x) => x.ms))).toBeGreaterThanOrEqual(30_000);
  });

  it('stop() aborts the stream (page leave)', async () => {
    const s = sseStream();
    const t = setup(
      () => new Response(s.body, { headers: { 'content-type': 'text/event-stream' } }),
    );
    t.live.start();
    await until(() => t.last()?.streaming === true, 'stream open');
    t.live.stop();
    await tick();
    expect(t.calls[0].signal?.aborted).toBe(true);
  });

  it('passes files events on, and asks for a re-list after the stream was down', async () => {
    const streams: ReturnType<typeof sseStream>[] = [];
    const t = setup((url) => {
      if (url.endsWith('/workspace/events')) {
        const s = sseStream();
        streams.push(s);
        return new Response(s.body, { headers: { 'content-type': 'text/event-stream' } });
      }
      return json(200, { projectId: 'p1', status: 'RUNNING', runtime: 'docker' });
    });
    const heard: unknown[] = [];
    t.live.onFiles((e) => heard.push(e));
    t.live.start();
    await until(() => t.last()?.streaming === true, 'stream');
    expect(heard).toEqual([]);

    streams[0].send('files', {
      changes: [
        { path: 'a.txt', kind: 'modified' },
        { path: 'b', kind: 'bogus' },
      ],
      overflow: false,
    });
    await until(() => heard.length === 1, 'files event');
    expect(heard[0]).toEqual({ changes: [{ path: 'a.txt', kind: 'modified' }], overflow: false });

    streams[0].end();
    await until(() => t.last().streaming === false, 'stream down');
    t.timers.find((x) => x.ms === 1000)!.fn();
    await until(() => heard.length === 2, 're-list after reconnect');
    expect(heard[1]).toEqual({ changes: [], overflow: true });
  });
});
