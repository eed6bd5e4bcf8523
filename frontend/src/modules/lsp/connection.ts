import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  ExitNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type ProtocolConnection,
  type ServerCapabilities,
} from 'vscode-languageserver-protocol/browser';
import {
  WebSocketMessageReader,
  WebSocketMessageWriter,
  type IWebSocket,
} from 'vscode-ws-jsonrpc/socket';
import { ApiError } from '../../api/problem';
import { WORKSPACE_ROOT, type ServerLanguage } from './languages';

/**
 * `ready`: initialized, features on. `stopped`: the workspace is not running (close 4409), nothing
 * reconnects until {@link LspConnection.resume}. `unavailable`: no server for the language (4404 or a
 * 404 ticket) — given up for good. `forbidden`: the caller may not use servers (a VIEWER) — silent.
 */
export type LspState =
  | 'idle'
  | 'connecting'
  | 'ready'
  | 'reconnecting'
  | 'stopped'
  | 'unavailable'
  | 'forbidden'
  | 'closed';

export const WORKSPACE_STOPPED = 4409;
export const NO_SERVER = 4404;

export interface LspApi {
  lspTicket(projectId: string, language: string): Promise<{ ticket: string }>;
  lspUrl(projectId: string, language: string, ticket: string): string;
}

export interface LspConnectionEvents {
  onState(state: LspState, detail?: string): void;
  /** Called before the connection listens: register notification and request handlers here. */
  setup(conn: ProtocolConnection): void;
  /** Initialized: (re)open documents, enable features. */
  onReady(conn: ProtocolConnection, capabilities: ServerCapabilities): void;
}

export interface LspConnectionOptions {
  WebSocketImpl?: typeof WebSocket;
  /** Backoff: 500 ms doubling up to this. */
  maxBackoffMs?: number;
  /**
   * How long a server may take to answer `initialize` before the socket is dropped and tried again,
   * doubling with each attempt. A socket can open onto a server that never saw the request: the
   * gateway now and then loses a frame sent within ~2 ms of the upgrade (measured with tcpdump).
   */
  initializeTimeoutMs?: number;
}

const CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
    configuration: true,
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: false },
    completion: {
      completionItem: {
        snippetSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        insertReplaceSupport: true,
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
        labelDetailsSupport: true,
        deprecatedSupport: true,
        tagSupport: { valueSet: [1] },
      },
      contextSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    signatureHelp: {
      signatureInformation: {
        documentationFormat: ['markdown', 'plaintext'],
        parameterInformation: { labelOffsetSupport: true },
        activeParameterSupport: true,
      },
      contextSupport: true,
    },
    definition: { linkSupport: true },
    references: {},
    rename: { prepareSupport: true },
    formatting: {},
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: [
            '',
            'quickfix',
            'refactor',
            'refactor.extract',
            'refactor.inline',
            'refactor.rewrite',
            'source',
            'source.organizeImports',
          ],
        },
      },
      isPreferredSupport: true,
      resolveSupport: { properties: ['edit'] },
      dataSupport: true,
    },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
  },
};

/** The server did not answer `initialize` in time: the close reason says so, and it retries. */
class InitializeTimeout extends Error {
  constructor() {
    super('initialize timed out');
  }
}

/**
 * One language server of one project, over the gateway's WebSocket: a one-time ticket, then one
 * JSON-RPC message per text frame (vscode-ws-jsonrpc's reader/writer, vscode-jsonrpc's connection).
 * A dropped socket reconnects with a new ticket and backoff and initializes again; the owner then
 * reopens its documents in {@link LspConnectionEvents.onReady}.
 */
export class LspConnection {
  private ws: WebSocket | null = null;
  private conn: ProtocolConnection | null = null;
  private caps: ServerCapabilities | null = null;
  private state: LspState = 'idle';
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private suspended = false;
  private disposed = false;
  private readonly WebSocketImpl: typeof WebSocket;
  private readonly maxBackoffMs: number;
  private readonly initializeTimeoutMs: number;

  constructor(
    private readonly api: LspApi,
    private readonly projectId: string,
    readonly language: ServerLanguage,
    private readonly events: LspConnectionEvents,
    opts: LspConnectionOptions = {},
  ) {
    this.WebSocketImpl = opts.WebSocketImpl ?? WebSocket;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.initializeTimeoutMs = opts.initializeTimeoutMs ?? 8_000;
  }

  get current(): LspState {
    return this.state;
  }

  /** The live connection while `ready`, else null. */
  get connection(): ProtocolConnection | null {
    return this.state === 'ready' ? this.conn : null;
  }

  get capabilities(): ServerCapabilities | null {
    return this.state === 'ready' ? this.caps : null;
  }

  private setState(s: LspState, detail?: string) {
    if (this.state === s && !detail) return;
    this.state = s;
    this.events.onState(s, detail);
  }

  /** Gave up for good: no server, or not allowed. */
  get final(): boolean {
    return this.state === 'unavailable' || this.state === 'forbidden' || this.state === 'closed';
  }

  async connect(): Promise<void> {
    if (this.disposed || this.final || this.suspended) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.attempt === 0) this.setState('connecting');
    let ticket: string;
    try {
      ticket = (await this.api.lspTicket(this.projectId, this.language)).ticket;
    } catch (e) {
      if (this.disposed || this.suspended) return;
      if (e instanceof ApiError && e.status === 403) return this.setState('forbidden');
      if (e instanceof ApiError && e.status === 404) return this.setState('unavailable');
      if (e instanceof ApiError && e.status === 409) return this.setState('stopped');
      this.scheduleReconnect(e instanceof Error ? e.message : undefined);
      return;
    }
    if (this.disposed || this.suspended) return;
    const ws = new this.WebSocketImpl(this.api.lspUrl(this.projectId, this.language, ticket));
    this.ws = ws;
    const closeListeners: ((code: number, reason: string) => void)[] = [];
    // vscode-ws-jsonrpc's own toSocket() takes ws.onclose for itself; we need the close code too.
    const socket: IWebSocket = {
      send: (content) => ws.send(content),
      onMessage: (cb) => (ws.onmessage = (ev) => cb(ev.data)),
      onError: (cb) => (ws.onerror = () => cb('WebSocket error')),
      onClose: (cb) => closeListeners.push(cb),
      dispose: () => ws.close(),
    };
    ws.onclose = (ev) => {
      closeListeners.forEach((cb) => cb(ev.code, ev.reason));
      this.dropped(ws, ev.code, ev.reason);
    };
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const conn = createProtocolConnection(
        new WebSocketMessageReader(socket),
        new WebSocketMessageWriter(socket),
      );
      this.conn = conn;
      this.events.setup(conn);
      conn.listen();
      void this.initialize(ws, conn);
    };
  }

  private async initialize(ws: WebSocket, conn: ProtocolConnection) {
    const patience = Math.min(60_000, this.initializeTimeoutMs * 2 ** Math.min(this.attempt, 3));
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const result = await Promise.race([
        conn.sendRequest(InitializeRequest.type, {
          processId: null,
          rootUri: WORKSPACE_ROOT,
          workspaceFolders: [{ uri: WORKSPACE_ROOT, name: 'workspace' }],
          capabilities: CAPABILITIES,
          clientInfo: { name: 'Constellation IDE' },
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new InitializeTimeout()), patience);
        }),
      ]);
      clearTimeout(timer);
      if (this.ws !== ws) return;
      await conn.sendNotification(InitializedNotification.type, {});
      this.caps = result.capabilities;
      this.attempt = 0;
      this.setState('ready');
      this.events.onReady(conn, result.capabilities);
    } catch (e) {
      clearTimeout(timer);
      // A socket that closed mid-handshake is handled by its close event. Browsers accept only
      // 1000 and 3000–4999 from a client; 4000 is ours for "retry". A browser's close event
      // carries the code and reason it sent itself, so the retry says why.
      if (this.ws === ws)
        ws.close(4000, e instanceof InitializeTimeout ? e.message : 'initialize failed');
    }
  }

  private dropped(ws: WebSocket, code: number, reason: string) {
    if (this.ws !== ws) return;
    this.ws = null;
    this.conn?.dispose();
    this.conn = null;
    this.caps = null;
    if (this.disposed) return;
    if (code === WORKSPACE_STOPPED && this.suspended) {
      this.attempt = 0;
      this.setState('stopped', reason || undefined);
    } else if (code === WORKSPACE_STOPPED) {
      // The workspace's status says it runs: the socket raced its start (or a restart of
      // workspace-service). Try again with backoff; a real stop suspends this connection.
      this.scheduleReconnect(reason || 'the workspace is not running yet');
    } else if (code === NO_SERVER) {
      this.setState('unavailable', reason || undefined);
    } else {
      this.scheduleReconnect(reason || `closed (${code})`);
    }
  }

  private scheduleReconnect(detail?: string) {
    if (this.disposed || this.suspended) return;
    this.attempt++;
    const delay = Math.min(this.maxBackoffMs, 500 * 2 ** Math.min(this.attempt - 1, 8));
    this.setState('reconnecting', detail);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  /** The workspace runs: connect now (after a stop, or instead of waiting out a backoff). */
  resume() {
    if (this.disposed || this.final || this.ws) return;
    this.suspended = false;
    this.attempt = 0;
    void this.connect();
  }

  /** The workspace stopped: close and wait for resume(). */
  suspend() {
    if (this.disposed || this.final) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.suspended = true;
    this.closeSocket();
    this.attempt = 0;
    this.setState('stopped');
  }

  private closeSocket() {
    const ws = this.ws;
    const conn = this.conn;
    this.ws = null;
    this.conn = null;
    this.caps = null;
    if (conn && ws?.readyState === 1) {
      // Polite shutdown; the gateway stops the server process when the socket closes anyway.
      void conn
        .sendRequest(ShutdownRequest.type)
        .then(() => conn.sendNotification(ExitNotification.type))
        .catch(() => undefined)
        .finally(() => {
          conn.dispose();
          ws.close(1000);
        });
      setTimeout(() => ws.readyState === 1 && ws.close(1000), 1000);
    } else {
      conn?.dispose();
      ws?.close(1000);
    }
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.closeSocket();
    this.setState('closed');
  }
}
