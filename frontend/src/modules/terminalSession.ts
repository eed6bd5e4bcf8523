import type { ApiClient } from '../api/client';
import { messageOf } from '../api/problem';

/**
 * `stopped`: the workspace is stopped (close 4409); nothing reconnects until {@link
 * TerminalSession.resume} — a terminal never starts a workspace by itself. `exited`: the shell ended.
 */
export type TerminalState =
  'connecting' | 'open' | 'reconnecting' | 'stopped' | 'exited' | 'closed';

export interface TerminalSessionEvents {
  onData(data: Uint8Array | string): void;
  onState(state: TerminalState, detail?: string): void;
  /** The server named the session (first frame after the upgrade); its scrollback follows. */
  onSession?(id: string, title: string | undefined, reattached: boolean): void;
  /** The session asked for is gone (4404); a new one is being opened. */
  onSessionLost?(id: string): void;
  onExit?(code: number | undefined): void;
}

export const WORKSPACE_STOPPED = 4409;
export const SESSION_NOT_FOUND = 4404;

/**
 * One terminal's connection to a server-side session that outlives its socket: a one-time ticket,
 * then the WebSocket (`&session=` to reattach). Output comes as binary frames; text frames are JSON
 * control messages (`session`, `exit`). A dropped socket reattaches to the same session with a new
 * ticket (backoff up to 10 s).
 */
export class TerminalSession {
  private ws: WebSocket | null = null;
  private disposed = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private size: { cols: number; rows: number } | null = null;
  private readonly encoder = new TextEncoder();
  private sessionId: string | null;
  private state: TerminalState = 'closed';
  /** Set by suspend(): a connect already under way must not open a socket. */
  private suspended = false;

  constructor(
    private readonly api: ApiClient,
    private readonly projectId: string,
    private readonly events: TerminalSessionEvents,
    opts: { sessionId?: string | null; WebSocketImpl?: typeof WebSocket } = {},
  ) {
    this.sessionId = opts.sessionId ?? null;
    this.WebSocketImpl = opts.WebSocketImpl ?? WebSocket;
  }
  private readonly WebSocketImpl: typeof WebSocket;

  get id(): string | null {
    return this.sessionId;
  }

  get current(): TerminalState {
    return this.state;
  }

  private setState(s: TerminalState, detail?: string) {
    this.state = s;
    this.events.onState(s, detail);
  }

  async connect(): Promise<void> {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.attempt === 0) this.setState('connecting');
    let ticket: string;
    try {
      ticket = (await this.api.terminalTicket(this.projectId)).ticket;
    } catch (e) {
      this.scheduleReconnect(messageOf(e));
      return;
    }
    if (this.disposed || this.suspended) return;
    const ws = new this.WebSocketImpl(
      this.api.terminalUrl(this.projectId, ticket, window.location, this.sessionId ?? undefined),
    );
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    const reattaching = this.sessionId !== null;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      if (this.size) this.sendResize(this.size.cols, this.size.rows);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') {
        const control = parseControl(ev.data);
        if (!control) {
          // An older server sent output as text; show it rather than lose it.
          this.events.onData(ev.data);
        } else if (control.type === 'session' && typeof control.id === 'string') {
          // The size again, now that the server has spoken: the gateway now and then loses a frame
          // sent within ~2 ms of the upgrade, and a reattached tmux then keeps its old size.
          if (this.size) this.sendResize(this.size.cols, this.size.rows);
          this.sessionId = control.id;
          this.events.onSession?.(
            control.id,
            typeof control.title === 'string' ? control.title : undefined,
            reattaching,
          );
        } else if (control.type === 'exit') {
          this.events.onExit?.(typeof control.code === 'number' ? control.code : undefined);
          this.finish('exited');
        }
      } else this.events.onData(new Uint8Array(ev.data as ArrayBuffer));
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.disposed || this.state === 'exited') return;
      if (ev.code === WORKSPACE_STOPPED) {
        // Stop is not undone: wait for resume() (the workspace's status RUNNING).
        this.attempt = 0;
        this.setState('stopped', ev.reason || undefined);
        return;
      }
      if (ev.code === SESSION_NOT_FOUND && this.sessionId) {
        const lost = this.sessionId;
        this.sessionId = null;
        this.events.onSessionLost?.(lost);
        this.attempt = 0;
        void this.connect();
        return;
      }
      this.scheduleReconnect(ev.reason || undefined);
    };
  }

  /** The workspace runs again: reconnect now (after a 4409, or instead of waiting out a backoff). */
  resume() {
    if (this.disposed || this.state === 'exited' || this.ws) return;
    this.suspended = false;
    this.attempt = 0;
    void this.connect();
  }

  /** The workspace stopped: stop reconnecting until resume(). */
  suspend() {
    if (this.disposed || this.state === 'exited') return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.suspended = true;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.attempt = 0;
    this.setState('stopped');
  }

  private scheduleReconnect(detail?: string) {
    if (this.disposed) return;
    this.attempt++;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(this.attempt - 1, 5));
    this.setState('reconnecting', detail);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  /** Keystrokes go as binary frames so no byte is re-encoded; resize is the one JSON text frame. */
  send(data: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(this.encoder.encode(data));
    return true;
  }

  resize(cols: number, rows: number) {
    this.size = { cols, rows };
    this.sendResize(cols, rows);
  }

  private sendResize(cols: number, rows: number) {
    if (this.ws?.readyState === WebSocket.OPEN)
      this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  private finish(state: TerminalState) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.setState(state);
  }

  /** Closes the socket; the server-side session stays (it is killed through the API). */
  dispose() {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.setState('closed');
  }
}

function parseControl(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string'
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
