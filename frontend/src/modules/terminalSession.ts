import type { ApiClient } from '../api/client';
import { messageOf } from '../api/problem';

export type TerminalState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface TerminalSessionEvents {
  onData(data: Uint8Array | string): void;
  onState(state: TerminalState, detail?: string): void;
}

/**
 * One terminal's connection: a one-time ticket, then the WebSocket; binary or text frames both
 * carry terminal bytes. A dropped socket reconnects with a new ticket (backoff up to 10 s).
 */
export class TerminalSession {
  private ws: WebSocket | null = null;
  private disposed = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private size: { cols: number; rows: number } | null = null;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly api: ApiClient,
    private readonly projectId: string,
    private readonly events: TerminalSessionEvents,
    private readonly WebSocketImpl: typeof WebSocket = WebSocket,
  ) {}

  async connect(): Promise<void> {
    if (this.disposed) return;
    if (this.attempt === 0) this.events.onState('connecting');
    let ticket: string;
    try {
      ticket = (await this.api.terminalTicket(this.projectId)).ticket;
    } catch (e) {
      this.scheduleReconnect(messageOf(e));
      return;
    }
    if (this.disposed) return;
    const ws = new this.WebSocketImpl(this.api.terminalUrl(this.projectId, ticket));
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.events.onState('open');
      if (this.size) this.sendResize(this.size.cols, this.size.rows);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') this.events.onData(ev.data);
      else this.events.onData(new Uint8Array(ev.data as ArrayBuffer));
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.disposed) return;
      this.scheduleReconnect(ev.reason || undefined);
    };
  }

  private scheduleReconnect(detail?: string) {
    if (this.disposed) return;
    this.attempt++;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(this.attempt - 1, 5));
    this.events.onState('reconnecting', detail);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  /** Keystrokes go as binary frames so no byte is re-encoded; resize is the one JSON text frame. */
  send(data: string) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(this.encoder.encode(data));
  }

  resize(cols: number, rows: number) {
    this.size = { cols, rows };
    this.sendResize(cols, rows);
  }

  private sendResize(cols: number, rows: number) {
    if (this.ws?.readyState === WebSocket.OPEN)
      this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  dispose() {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.events.onState('closed');
  }
}
