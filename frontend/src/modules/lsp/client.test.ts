import { afterEach, describe, expect, it, vi } from 'vitest';
import { monaco } from '../monaco';
import { ApiError } from '../../api/problem';
import { ProblemStore } from '../problems';
import { LspClient, markerOwner } from './client';
import { completion } from './features';

// jsdom has no CSS.escape nor matchMedia; Monaco's theme service needs them once providers are registered.
if (typeof CSS === 'undefined' || !CSS.escape)
  (globalThis as { CSS?: unknown }).CSS = {
    escape: (s: string) => s.replace(/([^\w-])/g, '\\$1'),
  };

if (!window.matchMedia)
  window.matchMedia = ((media: string) => ({
    media,
    matches: false,
    onchange: null,
    addEventListener() {},
    removeEventListener() {},
    addListener() {},
    removeListener() {},
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
}

/**
 * A browser WebSocket whose far end plays a language server: one JSON-RPC message per text frame,
 * `initialize` and `shutdown` answered, other requests answered by the test's handlers.
 */
class FakeServerSocket {
  static all: FakeServerSocket[] = [];
  static capabilities: Record<string, unknown> = {};
  static handlers: Record<string, (params: unknown) => unknown> = {};
  /** How many sockets, from the first, lose their `initialize` on the way. */
  static initializeLost = 0;
  readyState = 0;
  received: Message[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(public url: string) {
    FakeServerSocket.all.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.onopen?.();
    }, 0);
  }
  send(data: string) {
    const msg = JSON.parse(data) as Message;
    this.received.push(msg);
    if (msg.id === undefined || !msg.method) return;
    if (
      msg.method === 'initialize' &&
      FakeServerSocket.all.indexOf(this) < FakeServerSocket.initializeLost
    )
      return;
    const result =
      msg.method === 'initialize'
        ? { capabilities: FakeServerSocket.capabilities }
        : msg.method === 'shutdown'
          ? null
          : (FakeServerSocket.handlers[msg.method]?.(msg.params) ?? null);
    setTimeout(() => this.push({ jsonrpc: '2.0', id: msg.id, result }), 0);
  }
  push(msg: Message) {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(msg) });
  }
  notifications(method: string) {
    return this.received.filter((m) => m.method === method && m.id === undefined);
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason }), 0);
  }
  serverClose(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  static last() {
    return FakeServerSocket.all[FakeServerSocket.all.length - 1];
  }
}

async function until(cond: () => unknown, what: string, ms = 3000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const NO_CANCEL = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose() {} }),
} as unknown as monaco.CancellationToken;

let client: LspClient | null = null;
const models: monaco.editor.ITextModel[] = [];

function setup(
  opts: { ticket?: () => Promise<{ ticket: string }>; initializeTimeoutMs?: number } = {},
) {
  const problems = new ProblemStore();
  let n = 0;
  const api = {
    lspTicket: vi.fn(opts.ticket ?? (async () => ({ ticket: `t${++n}` }))),
    lspUrl: (_p: string, lang: string, ticket: string) => `ws://gw/${lang}?ticket=${ticket}`,
    readFile: vi.fn(async () => ({ content: '', etag: '"1"' })),
    writeFile: vi.fn(async () => ({})),
  };
  const host = { openFile: vi.fn(), isOpen: () => true };
  const states: string[] = [];
  client = new LspClient('p1', api, host, {
    WebSocketImpl: FakeServerSocket as unknown as typeof WebSocket,
    problems,
    maxBackoffMs: 10,
    initializeTimeoutMs: opts.initializeTimeoutMs,
    onState: (_l, s) => states.push(s),
  });
  client.start();
  client.setEnabled(true);
  client.setWorkspaceRunning(true);
  return { api, host, problems, states, client };
}

function model(path: string, text: string) {
  const m = monaco.editor.createModel(text, 'typescript', monaco.Uri.parse(`file:///p1/${path}`));
  models.push(m);
  return m;
}

afterEach(() => {
  client?.dispose();
  client = null;
  models.splice(0).forEach((m) => m.dispose());
  FakeServerSocket.all = [];
  FakeServerSocket.capabilities = {};
  FakeServerSocket.handlers = {};
  FakeServerSocket.initializeLost = 0;
});

describe('LspClient', () => {
  it('opens a document when its first model appears and turns diagnostics into markers and problems', async () => {
    FakeServerSocket.capabilities = { textDocumentSync: 2 };
    const { api, problems } = setup();
    expect(api.lspTicket).not.toHaveBeenCalled();
    const m = model('src/a.ts', 'const x: number = "no";\n');
    await until(
      () => FakeServerSocket.last()?.notifications('textDocument/didOpen').length,
      'didOpen',
    );
    const ws = FakeServerSocket.last();
    expect(api.lspTicket).toHaveBeenCalledWith('p1', 'typescript');
    expect(ws.url).toBe('ws://gw/typescript?ticket=t1');
    expect(ws.notifications('textDocument/didOpen')[0].params).toMatchObject({
      textDocument: {
        uri: 'file:///workspace/src/a.ts',
        languageId: 'typescript',
        text: 'const x: number = "no";\n',
      },
    });

    ws.push({
      jsonrpc: '2.0',
      method: 'textDocument/publishDiagnostics',
      params: {
        uri: 'file:///workspace/src/a.ts',
        diagnostics: [
          {
            range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } },
            severity: 1,
            message: "Type 'string' is not assignable to type 'number'.",
            source: 'typescript',
            code: 2322,
          },
        ],
      },
    });
    await until(() => monaco.editor.getModelMarkers({ resource: m.uri }).length, 'markers');
    const [marker] = monaco.editor.getModelMarkers({
      resource: m.uri,
      owner: markerOwner('typescript'),
    });
    expect(marker).toMatchObject({
      startLineNumber: 1,
      startColumn: 7,
      endColumn: 8,
      severity: monaco.MarkerSeverity.Error,
      code: '2322',
    });
    expect(problems.all()).toEqual([
      expect.objectContaining({
        path: 'src/a.ts',
        line: 1,
        column: 7,
        severity: 'error',
        origin: 'typescript',
      }),
    ]);
    expect(problems.count()).toEqual({ errors: 1, warnings: 0, others: 0 });

    // A diagnostic for a file outside the project root is ignored.
    ws.push({
      jsonrpc: '2.0',
      method: 'textDocument/publishDiagnostics',
      params: {
        uri: 'file:///etc/passwd',
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            message: 'x',
          },
        ],
      },
    });
    ws.push({
      jsonrpc: '2.0',
      method: 'textDocument/publishDiagnostics',
      params: { uri: 'file:///workspace/src/a.ts', diagnostics: [] },
    });
    await until(() => problems.all().length === 0, 'problems cleared');
    expect(monaco.editor.getModelMarkers({ resource: m.uri })).toHaveLength(0);
  });

  it('sends edits as incremental changes and closes the document with its model', async () => {
    FakeServerSocket.capabilities = { textDocumentSync: { openClose: true, change: 2 } };
    setup();
    const m = model('src/b.ts', 'let a = 1;\n');
    await until(
      () => FakeServerSocket.last()?.notifications('textDocument/didOpen').length,
      'didOpen',
    );
    m.applyEdits([{ range: new monaco.Range(1, 5, 1, 6), text: 'count' }]);
    const ws = FakeServerSocket.last();
    await until(() => ws.notifications('textDocument/didChange').length, 'didChange');
    expect(ws.notifications('textDocument/didChange')[0].params).toEqual({
      textDocument: { uri: 'file:///workspace/src/b.ts', version: m.getVersionId() },
      contentChanges: [
        {
          range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } },
          rangeLength: 1,
          text: 'count',
        },
      ],
    });
    m.dispose();
    await until(() => ws.notifications('textDocument/didClose').length, 'didClose');
  });

  it('maps server completions to Monaco suggestions and resolves their documentation', async () => {
    FakeServerSocket.capabilities = {
      textDocumentSync: 1,
      completionProvider: { triggerCharacters: ['.'], resolveProvider: true },
    };
    FakeServerSocket.handlers['textDocument/completion'] = () => ({
      isIncomplete: false,
      items: [
        { label: 'createServer', kind: 3, detail: 'function', data: { id: 7 } },
        { label: 'STATUS_CODES', kind: 21 },
      ],
    });
    FakeServerSocket.handlers['completionItem/resolve'] = (item) => ({
      ...(item as object),
      documentation: { kind: 'markdown', value: 'Creates a **server**.' },
    });
    const { client: c } = setup();
    const m = model('src/c.ts', 'import http from "node:http";\nhttp.\n');
    await until(() => c.target(m), 'connection ready');
    const provider = completion(c);
    const list = await provider.provideCompletionItems(
      m,
      new monaco.Position(2, 6),
      {
        triggerKind: monaco.languages.CompletionTriggerKind.TriggerCharacter,
        triggerCharacter: '.',
      },
      NO_CANCEL,
    );
    const ws = FakeServerSocket.last();
    expect(ws.received.find((r) => r.method === 'textDocument/completion')?.params).toMatchObject({
      textDocument: { uri: 'file:///workspace/src/c.ts' },
      position: { line: 1, character: 5 },
      context: { triggerKind: 2, triggerCharacter: '.' },
    });
    expect(list?.suggestions.map((s) => [s.label, s.kind])).toEqual([
      ['createServer', monaco.languages.CompletionItemKind.Function],
      ['STATUS_CODES', monaco.languages.CompletionItemKind.Constant],
    ]);
    const resolved = await provider.resolveCompletionItem!(list!.suggestions[0], NO_CANCEL);
    expect(resolved?.documentation).toMatchObject({ value: 'Creates a **server**.' });
    expect(ws.received.find((r) => r.method === 'completionItem/resolve')?.params).toMatchObject({
      label: 'createServer',
      data: { id: 7 },
    });

    // A trigger character the server did not ask for does not reach it.
    const none = await provider.provideCompletionItems(
      m,
      new monaco.Position(2, 6),
      {
        triggerKind: monaco.languages.CompletionTriggerKind.TriggerCharacter,
        triggerCharacter: '@',
      },
      NO_CANCEL,
    );
    expect(none).toBeUndefined();
  });

  it('reconnects with a new ticket after a drop and reopens its documents with their current text', async () => {
    FakeServerSocket.capabilities = { textDocumentSync: 1 };
    const { api, problems } = setup();
    const m = model('src/d.ts', 'one');
    await until(
      () => FakeServerSocket.last()?.notifications('textDocument/didOpen').length,
      'didOpen',
    );
    const first = FakeServerSocket.last();
    first.push({
      jsonrpc: '2.0',
      method: 'textDocument/publishDiagnostics',
      params: {
        uri: 'file:///workspace/src/d.ts',
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            message: 'x',
          },
        ],
      },
    });
    await until(() => problems.all().length === 1, 'a problem');
    first.serverClose(1011, 'server error');
    m.setValue('two');
    // Stale diagnostics go with the connection that reported them.
    expect(problems.all()).toHaveLength(0);
    await until(
      () =>
        FakeServerSocket.all.length === 2 &&
        FakeServerSocket.last().notifications('textDocument/didOpen').length,
      'reopened',
    );
    expect(api.lspTicket).toHaveBeenCalledTimes(2);
    expect(FakeServerSocket.last().url).toContain('ticket=t2');
    expect(FakeServerSocket.last().notifications('textDocument/didOpen')[0].params).toMatchObject({
      textDocument: { uri: 'file:///workspace/src/d.ts', text: 'two' },
    });
  });

  it('gives up on a server that never answers initialize and connects again', async () => {
    FakeServerSocket.initializeLost = 1;
    const { api, client: c } = setup({ initializeTimeoutMs: 50 });
    model('src/lost.ts', '');
    await until(() => c.state('typescript') === 'ready', 'ready on the second socket', 5000);
    expect(FakeServerSocket.all).toHaveLength(2);
    expect(FakeServerSocket.all[0].readyState).toBe(3);
    expect(api.lspTicket).toHaveBeenCalledTimes(2);
    expect(FakeServerSocket.last().notifications('textDocument/didOpen')).toHaveLength(1);
  });

  it('stops trying on 4404 (no server for the language)', async () => {
    const { api, states, client: c } = setup();
    model('src/e.ts', '');
    await until(() => FakeServerSocket.last()?.readyState === 1, 'socket open');
    FakeServerSocket.last().serverClose(4404, 'no server');
    await new Promise((r) => setTimeout(r, 60));
    expect(api.lspTicket).toHaveBeenCalledTimes(1);
    expect(FakeServerSocket.all).toHaveLength(1);
    expect(c.state('typescript')).toBe('unavailable');
    expect(states).toContain('unavailable');
  });

  it('retries a 4409 while the workspace is said to run (a socket that raced the start)', async () => {
    const { api, client: c } = setup();
    model('src/f.ts', '');
    await until(() => FakeServerSocket.last()?.readyState === 1, 'socket open');
    FakeServerSocket.last().serverClose(4409, 'workspace stopped');
    await until(() => c.state('typescript') === 'reconnecting', 'reconnecting');
    await until(() => c.state('typescript') === 'ready', 'ready again', 5000);
    expect(api.lspTicket).toHaveBeenCalledTimes(2);
  });

  it('waits after a 4409 once the workspace is known to be stopped, until it runs again', async () => {
    const { api, client: c } = setup();
    model('src/f.ts', '');
    await until(() => FakeServerSocket.last()?.readyState === 1, 'socket open');
    c.setWorkspaceRunning(false);
    FakeServerSocket.last().serverClose(4409, 'workspace stopped');
    await new Promise((r) => setTimeout(r, 60));
    expect(c.state('typescript')).toBe('stopped');
    expect(api.lspTicket).toHaveBeenCalledTimes(1);
    c.setWorkspaceRunning(true);
    await until(() => c.state('typescript') === 'ready', 'ready again');
    expect(api.lspTicket).toHaveBeenCalledTimes(2);
  });

  it('connects nothing while the workspace is stopped', async () => {
    const { api, client: c } = setup();
    c.setWorkspaceRunning(false);
    model('src/g.ts', '');
    await new Promise((r) => setTimeout(r, 30));
    expect(api.lspTicket).not.toHaveBeenCalled();
    c.setWorkspaceRunning(true);
    await until(() => c.state('typescript') === 'ready', 'ready');
  });

  it('is silent for a VIEWER: a 403 ticket opens no socket and is not retried', async () => {
    const { api, client: c } = setup({
      ticket: async () => {
        throw new ApiError(403, null, null);
      },
    });
    model('src/h.ts', '');
    await until(() => c.state('typescript') === 'forbidden', 'forbidden');
    await new Promise((r) => setTimeout(r, 40));
    expect(api.lspTicket).toHaveBeenCalledTimes(1);
    expect(FakeServerSocket.all).toHaveLength(0);
  });

  it('leaves files of languages without a server alone', async () => {
    const { api } = setup();
    const m = monaco.editor.createModel(
      'fn main() {}',
      'rust',
      monaco.Uri.parse('file:///p1/main.rs'),
    );
    models.push(m);
    const other = monaco.editor.createModel('', 'typescript', monaco.Uri.parse('file:///p2/x.ts'));
    models.push(other);
    model('src/../../p2/y.ts', '');
    await new Promise((r) => setTimeout(r, 30));
    expect(api.lspTicket).not.toHaveBeenCalled();
  });
});
