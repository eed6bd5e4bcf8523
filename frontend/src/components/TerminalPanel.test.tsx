import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// xterm draws on a real screen; here a stand-in records what the panel does with it.
const terms = vi.hoisted(() => [] as { input(d: string): void; written: string[] }[]);
vi.mock('@xterm/xterm', () => ({
  Terminal: class {
    cols = 80;
    rows = 24;
    options = {};
    written: string[] = [];
    buffer = { active: { getLine: () => undefined } };
    private data: ((d: string) => void) | null = null;
    constructor() {
      terms.push(this);
    }
    loadAddon() {}
    open() {}
    write(d: string | Uint8Array) {
      this.written.push(typeof d === 'string' ? d : new TextDecoder().decode(d));
    }
    reset() {}
    focus() {}
    refresh() {}
    dispose() {}
    input(d: string) {
      this.data?.(d);
    }
    onData(cb: (d: string) => void) {
      this.data = cb;
      return { dispose() {} };
    }
    onResize() {
      return { dispose() {} };
    }
    registerLinkProvider() {
      return { dispose() {} };
    }
  },
}));
vi.mock('@xterm/addon-fit', () => ({
  FitAddon: class {
    fit() {}
  },
}));
vi.mock('@xterm/xterm/css/xterm.css', () => ({}));

const api = vi.hoisted(() => ({
  workspaceEvents: vi.fn(),
  workspace: vi.fn(),
  ports: vi.fn(),
  terminals: vi.fn(),
  terminalTicket: vi.fn(),
  terminalUrl: vi.fn(),
  startWorkspace: vi.fn(),
  stopWorkspace: vi.fn(),
  killTerminal: vi.fn(),
  renameTerminal: vi.fn(),
  exec: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));

import { WorkspaceProvider } from '../modules/workspaceContext';
import { TerminalPanel } from './TerminalPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

class FakeSocket {
  static all: FakeSocket[] = [];
  static readonly OPEN = 1;
  readyState = 0;
  binaryType = '';
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send() {}
  close() {}
}

/** The events stream, written by the test. */
let push: (event: string, data: unknown) => void;
let host: HTMLDivElement;
let root: Root;
const flush = () => act(async () => new Promise((r) => setTimeout(r, 10)));

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  terms.length = 0;
  FakeSocket.all = [];
  localStorage.clear();
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      disconnect() {}
    },
  );
  const enc = new TextEncoder();
  api.workspaceEvents.mockImplementation(async () => {
    return new ReadableStream<Uint8Array>({
      start(c) {
        push = (event, data) =>
          c.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      },
    });
  });
  api.ports.mockResolvedValue([]);
  api.terminalTicket.mockResolvedValue({ ticket: 't' });
  api.terminalUrl.mockImplementation(
    (id: string, t: string, _l: unknown, s?: string) =>
      `ws://x/api/projects/${id}/terminal?ticket=${t}${s ? `&session=${s}` : ''}`,
  );
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
  vi.unstubAllGlobals();
});

async function render() {
  await act(async () =>
    root.render(
      <WorkspaceProvider projectId="p1" canControl isOwner onOpenPreview={() => undefined}>
        <TerminalPanel projectId="p1" visible theme="dark" readOnly={false} onCommand={() => {}} />
      </WorkspaceProvider>,
    ),
  );
  await flush();
}
const tabs = () =>
  [...host.querySelectorAll('[data-testid=terminal-tab]')].map((t) =>
    t.getAttribute('data-session'),
  );

describe('TerminalPanel', () => {
  it('after a reload reattaches to every session the server lists', async () => {
    localStorage.setItem(
      'constellation.terminals.p1',
      JSON.stringify([{ sessionId: 's2', title: 'server' }]),
    );
    api.terminals.mockResolvedValue([
      { id: 's1', title: 'bash', createdAt: '2026-01-01T00:00:00Z' },
      { id: 's2', title: 'server', createdAt: '2026-01-01T00:00:01Z' },
    ]);
    await render();
    await act(async () => push('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' }));
    await flush();
    expect(tabs()).toEqual(['s2', 's1']);
    expect(FakeSocket.all.map((s) => s.url.split('&session=')[1]).sort()).toEqual(['s1', 's2']);
  });

  it('on a stopped workspace shows Start instead of connecting, and asks before starting on a keystroke', async () => {
    api.startWorkspace.mockResolvedValue({
      projectId: 'p1',
      status: 'STARTING',
      runtime: 'docker',
    });
    await render();
    await act(async () => push('status', { projectId: 'p1', status: 'STOPPED', phase: 'stopped' }));
    await flush();
    expect(host.querySelector('[data-testid=terminal-stopped]')?.textContent).toContain(
      'Workspace stopped',
    );
    expect(FakeSocket.all).toHaveLength(0);
    expect(api.terminals).not.toHaveBeenCalled();

    await act(async () => terms[0].input('l'));
    expect(document.body.textContent).toContain('Start the workspace?');
    expect(api.startWorkspace).not.toHaveBeenCalled();
    await act(async () =>
      (document.querySelector('[data-testid=confirm-start]') as HTMLButtonElement).click(),
    );
    await flush();
    expect(api.startWorkspace).toHaveBeenCalledWith('p1');
    // Starting is not running: the terminal waits for the RUNNING status before it connects.
    expect(FakeSocket.all).toHaveLength(0);
    await act(async () => push('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' }));
    await flush();
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('a 4409 close waits for RUNNING and does not reconnect before', async () => {
    api.terminals.mockResolvedValue([{ id: 's1', title: 'bash' }]);
    await render();
    await act(async () => push('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' }));
    await flush();
    expect(FakeSocket.all).toHaveLength(1);
    await act(async () => FakeSocket.all[0].onclose?.({ code: 4409, reason: 'workspace-stopped' }));
    await act(async () => new Promise((r) => setTimeout(r, 800)));
    expect(FakeSocket.all).toHaveLength(1);
    expect(host.querySelector('[data-testid=terminal-tab] .badge')?.textContent).toBe('stopped');
    await act(async () => push('status', { projectId: 'p1', status: 'STOPPED', phase: 'stopped' }));
    await act(async () => push('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' }));
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
  });
});
