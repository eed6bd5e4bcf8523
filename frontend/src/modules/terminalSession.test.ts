import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { TerminalSession, type TerminalState } from './terminalSession';

/** Just enough of a browser WebSocket for the session: the test plays the server. */
class FakeSocket {
  static all: FakeSocket[] = [];
  static readonly OPEN = 1;
  readyState = 0;
  binaryType = 'blob';
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(d: unknown) {
    this.sent.push(d);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  text(s: string) {
    this.onmessage?.({ data: s });
  }
  binary(s: string) {
    this.onmessage?.({ data: new TextEncoder().encode(s).buffer });
  }
  serverClose(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

const fakeApi = {
  terminalTicket: vi.fn(async () => ({ ticket: 't' })),
  terminalUrl: (id: string, ticket: string, _l: unknown, session?: string) =>
    `ws://x/api/projects/${id}/terminal?ticket=${ticket}${session ? `&session=${session}` : ''}`,
} as unknown as ApiClient;
const flush = () => vi.advanceTimersByTimeAsync(0);

let states: TerminalState[];
let data: string[];
let sessions: { id: string; title?: string; reattached: boolean }[];
let lost: string[];
let session: TerminalSession | null;

function make(sessionId: string | null = null) {
  session = new TerminalSession(
    fakeApi,
    'p1',
    {
      onData: (d) => data.push(typeof d === 'string' ? d : new TextDecoder().decode(d)),
      onState: (s) => states.push(s),
      onSession: (id, title, reattached) => sessions.push({ id, title, reattached }),
      onSessionLost: (id) => lost.push(id),
    },
    { sessionId, WebSocketImpl: FakeSocket as unknown as typeof WebSocket },
  );
  return session;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  FakeSocket.all = [];
  states = [];
  data = [];
  sessions = [];
  lost = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  session?.dispose();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('TerminalSession', () => {
  it('takes the session id from the control frame and reattaches to it after a drop', async () => {
    const s = make();
    await s.connect();
    const first = FakeSocket.all[0];
    expect(first.url).not.toContain('session=');
    first.open();
    first.text(JSON.stringify({ type: 'session', id: 's-1', title: 'bash' }));
    first.binary('$ echo mark-1\r\nmark-1\r\n');
    expect(sessions).toEqual([{ id: 's-1', title: 'bash', reattached: false }]);
    expect(data.join('')).toContain('mark-1');
    expect(s.id).toBe('s-1');

    first.serverClose(1006);
    expect(states.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(600);
    const second = FakeSocket.all[1];
    expect(second.url).toContain('&session=s-1');
    second.open();
    second.text(JSON.stringify({ type: 'session', id: 's-1', title: 'bash' }));
    expect(sessions[1].reattached).toBe(true);
  });

  it('a 1001 "going away" (workspace-service restarting) shows the reason and reattaches to the same session', async () => {
    const s = make();
    await s.connect();
    const first = FakeSocket.all[0];
    first.open();
    first.text(JSON.stringify({ type: 'session', id: 's-9', title: 'bash' }));
    first.serverClose(1001, 'service restarting');
    expect(states.at(-1)).toBe('reconnecting');
    // A restart takes seconds: the first tries fail (1006) and back off, then one gets through.
    await vi.advanceTimersByTimeAsync(600);
    FakeSocket.all[1].serverClose(1006);
    await vi.advanceTimersByTimeAsync(1100);
    const third = FakeSocket.all[2];
    expect(third.url).toContain('&session=s-9');
    third.open();
    third.text(JSON.stringify({ type: 'session', id: 's-9', title: 'bash' }));
    expect(sessions.at(-1)).toEqual({ id: 's-9', title: 'bash', reattached: true });
    expect(states.at(-1)).toBe('open');
  });

  it('a text frame that is not a control message is shown, not dropped (older servers)', async () => {
    const s = make();
    await s.connect();
    FakeSocket.all[0].open();
    FakeSocket.all[0].text('plain output');
    expect(data).toEqual(['plain output']);
  });

  it('on 4409 waits for resume() and never reconnects by itself (Stop is not undone)', async () => {
    const s = make('s-1');
    await s.connect();
    FakeSocket.all[0].serverClose(4409, 'workspace-stopped');
    expect(states.at(-1)).toBe('stopped');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(s.send('x')).toBe(false);

    s.resume();
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.all[1].url).toContain('&session=s-1');
  });

  it('suspend() closes the socket and cancels a pending reconnect', async () => {
    const s = make();
    await s.connect();
    FakeSocket.all[0].open();
    FakeSocket.all[0].serverClose(1001);
    s.suspend();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(states.at(-1)).toBe('stopped');
  });

  it('a connect under way when the workspace stops opens no socket', async () => {
    let release!: () => void;
    (fakeApi.terminalTicket as ReturnType<typeof vi.fn>).mockImplementationOnce(
      () => new Promise((r) => (release = () => r({ ticket: 't' }))),
    );
    const s = make();
    const connecting = s.connect();
    s.suspend();
    release();
    await connecting;
    expect(FakeSocket.all).toHaveLength(0);
    expect(states.at(-1)).toBe('stopped');
  });

  it('on 4404 the lost session is reported and a new shell is opened', async () => {
    const s = make('gone');
    await s.connect();
    FakeSocket.all[0].serverClose(4404, 'no such session');
    await flush();
    expect(lost).toEqual(['gone']);
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.all[1].url).not.toContain('session=');
    expect(s.id).toBeNull();
  });

  it('after the exit frame the shell is not reopened', async () => {
    const s = make();
    await s.connect();
    FakeSocket.all[0].open();
    FakeSocket.all[0].text(JSON.stringify({ type: 'exit', code: 0 }));
    FakeSocket.all[0].serverClose(1000);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(states.at(-1)).toBe('exited');
    s.resume();
    await flush();
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('sends its size again once the server has named the session (a first frame can be lost)', async () => {
    const s = make('abc');
    s.resize(120, 40);
    await s.connect();
    FakeSocket.all[0].open();
    FakeSocket.all[0].text(JSON.stringify({ type: 'session', id: 'abc' }));
    const resize = JSON.stringify({ type: 'resize', cols: 120, rows: 40 });
    expect(FakeSocket.all[0].sent).toEqual([resize, resize]);
  });

  it('keystrokes go as binary frames, resize as JSON text', async () => {
    const s = make();
    s.resize(100, 30);
    await s.connect();
    FakeSocket.all[0].open();
    expect(FakeSocket.all[0].sent[0]).toBe(JSON.stringify({ type: 'resize', cols: 100, rows: 30 }));
    expect(s.send('ls\r')).toBe(true);
    expect(new TextDecoder().decode(FakeSocket.all[0].sent[1] as Uint8Array)).toBe('ls\r');
  });
});
