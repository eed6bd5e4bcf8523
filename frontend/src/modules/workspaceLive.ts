import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import { readSse } from '../api/sse';
import type {
  FilesEvent,
  IdleWarning,
  Port,
  TerminalSessionInfo,
  Workspace,
  WorkspaceStatusEvent,
} from '../api/types';

export interface LiveState {
  /** null until the first answer (stream or poll). */
  status: WorkspaceStatusEvent | null;
  idleWarning: IdleWarning | null;
  /** null when not known yet. */
  ports: Port[] | null;
  sessions: TerminalSessionInfo[] | null;
  /** Whether the event stream is open (otherwise the state comes from polling). */
  streaming: boolean;
}

export const INITIAL_LIVE: LiveState = {
  status: null,
  idleWarning: null,
  ports: null,
  sessions: null,
  streaming: false,
};

export interface LiveOptions {
  /** Backoff of the stream's reconnects: 1 s doubling up to this. */
  maxBackoffMs?: number;
  /** How often the status is polled while the stream is down. */
  pollMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (t: unknown) => void;
}

const fromWorkspace = (w: Workspace): WorkspaceStatusEvent => ({
  projectId: w.projectId,
  status: w.status,
  runtime: w.runtime,
});

/**
 * A project's workspace as the server pushes it: `GET /workspace/events` (SSE, with the bearer
 * token, so read with fetch) reconnecting with backoff. While the stream is down — or the server is
 * older and has none — the status is polled, so the badge is never left stale.
 */
export class WorkspaceLive {
  private state: LiveState = INITIAL_LIVE;
  private abort: AbortController | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private pollTimer: unknown = null;
  private portsAsked = false;
  private connectedBefore = false;
  private readonly filesListeners = new Set<(e: FilesEvent) => void>();
  private readonly maxBackoffMs: number;
  private readonly pollMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(
    private readonly api: ApiClient,
    private readonly projectId: string,
    private readonly onChange: (s: LiveState) => void,
    opts: LiveOptions = {},
  ) {
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 3_000;
    this.setTimer = opts.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimeout ?? ((t) => clearTimeout(t as number));
  }

  get current(): LiveState {
    return this.state;
  }

  start() {
    this.stopped = false;
    void this.connect();
  }

  /** Ends the stream and every timer (page leave). */
  stop() {
    this.stopped = true;
    this.abort?.abort();
    this.abort = null;
    this.clearTimer(this.retryTimer);
    this.clearTimer(this.pollTimer);
  }

  /**
   * Hears the `files` events (changes on disk). After the stream was down the listener gets an
   * overflow, as changes made meanwhile were not pushed. Answers the unsubscribe function.
   */
  onFiles(fn: (e: FilesEvent) => void): () => void {
    this.filesListeners.add(fn);
    return () => this.filesListeners.delete(fn);
  }

  /** A workspace answer from an action (start/stop) or a poll: shown at once. */
  applyWorkspace(w: Workspace) {
    this.applyStatus({ ...this.state.status, ...fromWorkspace(w) });
  }

  /** Asks the server again (after an action, or when the stream is down). */
  async refresh(): Promise<void> {
    try {
      this.applyWorkspace(await this.api.workspace(this.projectId));
    } catch {
      /* the next poll or the stream answers */
    }
  }

  /** After activity the server sends a new status; this hides the warning without waiting. */
  clearIdleWarning() {
    if (this.state.idleWarning) this.set({ idleWarning: null });
  }

  /** Re-reads the ports (share links are not in the `ports` event). */
  async refreshPorts(): Promise<void> {
    try {
      const ports = await this.api.ports(this.projectId);
      this.set({ ports });
    } catch {
      /* keep what the stream said */
    }
  }

  private set(patch: Partial<LiveState>) {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  private applyStatus(s: WorkspaceStatusEvent) {
    const running = s.status === 'RUNNING';
    // A new status follows any activity that cancelled an idle warning; sessions and ports end with
    // the workspace.
    this.set({
      status: s,
      idleWarning: null,
      ports: running ? this.state.ports : [],
      sessions: s.status === 'STOPPED' || s.status === 'FAILED' ? [] : this.state.sessions,
    });
    if (running && !this.portsAsked && this.state.ports === null) {
      this.portsAsked = true;
      void this.refreshPorts();
    }
    if (!running) this.portsAsked = false;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const abort = new AbortController();
    this.abort = abort;
    try {
      const body = await this.api.workspaceEvents(this.projectId, abort.signal);
      this.attempt = 0;
      this.clearTimer(this.pollTimer);
      this.set({ streaming: true });
      if (this.connectedBefore) this.emitFiles({ changes: [], overflow: true });
      this.connectedBefore = true;
      for await (const ev of readSse(body, abort.signal)) this.dispatch(ev.event, ev.data);
    } catch (e) {
      if (this.stopped) return;
      // A 403/404 will not heal by retrying fast: poll meanwhile, try the stream again rarely.
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) this.attempt = 5;
    }
    if (this.stopped) return;
    this.set({ streaming: false });
    this.attempt++;
    const delay = Math.min(this.maxBackoffMs, 1000 * 2 ** Math.min(this.attempt - 1, 10));
    this.retryTimer = this.setTimer(() => void this.connect(), delay);
    this.poll();
  }

  private poll() {
    if (this.stopped || this.state.streaming) return;
    this.clearTimer(this.pollTimer);
    void this.refresh().then(() => {
      if (!this.stopped && !this.state.streaming)
        this.pollTimer = this.setTimer(() => this.poll(), this.pollMs);
    });
  }

  private dispatch(event: string, data: string) {
    let d: unknown;
    try {
      d = JSON.parse(data);
    } catch {
      return;
    }
    if (!d || typeof d !== 'object') return;
    const o = d as Record<string, unknown>;
    if (event === 'status' && typeof o.status === 'string') {
      this.applyStatus(o as unknown as WorkspaceStatusEvent);
    } else if (event === 'idle-warning' && typeof o.stopsAt === 'string') {
      this.set({ idleWarning: { stopsAt: o.stopsAt } });
    } else if (event === 'ports' && Array.isArray(o.ports)) {
      const shares = new Map((this.state.ports ?? []).map((p) => [p.port, p.share]));
      const ports = (o.ports as Port[]).map((p) => ({
        ...p,
        share: p.share ?? shares.get(p.port),
      }));
      this.set({ ports });
      // The event has no share links; the list has them.
      void this.refreshPorts();
    } else if (event === 'terminals' && Array.isArray(o.sessions)) {
      this.set({ sessions: o.sessions as TerminalSessionInfo[] });
    } else if (event === 'files' && Array.isArray(o.changes)) {
      const changes = (o.changes as unknown[]).filter(
        (c): c is FilesEvent['changes'][number] =>
          !!c &&
          typeof (c as { path?: unknown }).path === 'string' &&
          ['created', 'modified', 'deleted'].includes((c as { kind?: string }).kind ?? ''),
      );
      this.emitFiles({ changes, overflow: o.overflow === true });
    }
  }

  private emitFiles(e: FilesEvent) {
    for (const fn of this.filesListeners) {
      try {
        fn(e);
      } catch {
        /* one listener's failure does not starve the others */
      }
    }
  }
}

/** The badge's words: STARTING (creating…), FAILED with its reason. */
export function statusLabel(s: WorkspaceStatusEvent | null): string {
  if (!s) return '…';
  if (s.status === 'STARTING' && s.phase && s.phase !== 'ready') return `STARTING (${s.phase}…)`;
  return s.status;
}
