import { ApiError, errorFromResponse, parseProblem } from './problem';
import { parseChatEvent, readSse, type ChatEvent } from './sse';
import type {
  AgentConversation,
  ChatMode,
  CheckpointDiff,
  Permissions,
  RestoreResult,
  StepDecision,
  TurnDone,
  AuthResponse,
  Conversation,
  ExecResult,
  FileEntry,
  Health,
  MessageContext,
  Project,
  ProjectPage,
  ConversationPage,
  UserPage,
  ProposedEdits,
  Role,
  Template,
  Ticket,
  UsagePage,
  ProjectAiUsage,
  User,
  UserSummary,
  Workspace,
  WriteResult,
  Me,
  Preferences,
  Port,
  PortShare,
  TerminalSessionInfo,
  WorkspaceSettings,
} from './types';
import type { ReplaceResult, SearchQuery, UndoResult } from '../modules/search';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

/** Where the tokens live in localStorage; a `storage` event for it means another tab signed in or out. */
export const TOKENS_KEY = 'constellation.tokens';

export class LocalTokenStore implements TokenStore {
  constructor(private readonly key = TOKENS_KEY) {}
  get(): Tokens | null {
    try {
      const raw = localStorage.getItem(this.key);
      return raw ? (JSON.parse(raw) as Tokens) : null;
    } catch {
      return null;
    }
  }
  set(tokens: Tokens | null): void {
    if (tokens) localStorage.setItem(this.key, JSON.stringify(tokens));
    else localStorage.removeItem(this.key);
  }
}

export interface OpenedFile {
  etag: string | null;
  binary: boolean;
  mediaType: string;
  size: number;
  blob: Blob;
  /** The decoded text; null for binary files. */
  text: string | null;
}

export interface ApiClientOptions {
  baseUrl?: string;
  store: TokenStore;
  fetch?: typeof fetch;
  /** Called once when the session cannot be refreshed; the app goes to the login page. */
  onSessionExpired?: () => void;
}

interface RequestOptions {
  method?: string;
  body?: BodyInit | null;
  json?: unknown;
  headers?: Record<string, string>;
  auth?: boolean;
  signal?: AbortSignal;
}

export interface StreamHandlers {
  onDelta(text: string, step?: number): void;
  onDone?(done: TurnDone): void;
  /** Every other event of an agent turn (turn, tool, tool-output, tool-result, checkpoint, usage, limit). */
  onEvent?(event: Exclude<ChatEvent, { type: 'delta' | 'done' | 'error' }>): void;
}

const q = encodeURIComponent;

/** The one typed client for the gateway. Adds the bearer token; on 401 refreshes once (shared by concurrent callers) and retries. */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly store: TokenStore;
  private readonly fetchImpl: typeof fetch;
  private readonly onSessionExpired?: () => void;
  private refreshing: Promise<boolean> | null = null;
  private reauthenticator: (() => Promise<boolean>) | null = null;
  private reauthenticating: Promise<boolean> | null = null;

  constructor(opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl ?? '';
    this.store = opts.store;
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.onSessionExpired = opts.onSessionExpired;
  }

  get tokens(): Tokens | null {
    return this.store.get();
  }

  /**
   * While set (by a page with work to lose, the IDE), an ended session does not leave the page: the
   * function is asked to sign in again (a dialog) and answers whether it did; then the request that
   * failed is sent once more. Concurrent failures share one dialog. Unset, or answered false, the
   * session ends as before (`onSessionExpired`).
   */
  setReauthenticator(fn: (() => Promise<boolean>) | null) {
    this.reauthenticator = fn;
  }

  /** Ends the session here (the user chose the sign-in page over the dialog). */
  endSession() {
    this.store.set(null);
    this.onSessionExpired?.();
  }

  /** Sends a request; resolves with the response when 2xx, throws ApiError otherwise. */
  async request(path: string, opts: RequestOptions = {}): Promise<Response> {
    const auth = opts.auth ?? true;
    const send = (token: string | undefined) => {
      const headers: Record<string, string> = {
        Accept: 'application/json, application/problem+json',
        ...opts.headers,
      };
      let body = opts.body ?? null;
      if (opts.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(opts.json);
      }
      if (auth && token) headers.Authorization = `Bearer ${token}`;
      return this.fetchImpl(this.baseUrl + path, {
        method: opts.method ?? 'GET',
        headers,
        body,
        signal: opts.signal,
      });
    };
    let used = auth ? this.store.get()?.accessToken : undefined;
    let res: Response;
    try {
      res = await send(used);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, null, null);
    }
    if (res.status === 401 && auth) {
      let refreshed = await this.refreshAfter(used);
      if (refreshed) {
        used = this.store.get()?.accessToken;
        res = await send(used);
        if (res.status === 401) {
          this.expire();
          refreshed = false;
        }
      }
      // No tokens left (refused or signed out elsewhere), not just a network failure: sign in again.
      if (!refreshed && !this.store.get() && this.reauthenticator && (await this.signInAgain())) {
        used = this.store.get()?.accessToken;
        res = await send(used);
      }
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  private async json<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(path, opts);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Gets a fresh token pair after `failedToken` was refused. Concurrent callers share one refresh;
   * a caller whose token was already replaced just retries with the new one.
   */
  private refreshAfter(failedToken: string | undefined): Promise<boolean> {
    const current = this.store.get();
    if (!current) {
      this.expire();
      return Promise.resolve(false);
    }
    if (failedToken && current.accessToken !== failedToken) return Promise.resolve(true);
    if (!this.refreshing) {
      this.refreshing = this.doRefresh(current.refreshToken).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(refreshToken: string): Promise<boolean> {
    try {
      const res = await this.fetchImpl(this.baseUrl + '/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (!res.ok) {
        this.expire();
        return false;
      }
      const auth = (await res.json()) as AuthResponse;
      this.store.set({ accessToken: auth.accessToken, refreshToken: auth.refreshToken });
      return true;
    } catch {
      // Network failure: keep the tokens (the server may come back), but this request fails.
      return false;
    }
  }

  private expire() {
    this.store.set(null);
    if (!this.reauthenticator) this.onSessionExpired?.();
  }

  private signInAgain(): Promise<boolean> {
    const ask = this.reauthenticator;
    if (!ask) return Promise.resolve(false);
    this.reauthenticating ??= ask()
      .catch(() => false)
      .then((ok) => {
        if (!ok) this.onSessionExpired?.();
        return ok;
      })
      .finally(() => {
        this.reauthenticating = null;
      });
    return this.reauthenticating;
  }

  // ---- auth and users (gateway)
  private async signIn(path: string, body: unknown): Promise<User> {
    const auth = await this.json<AuthResponse>(path, { method: 'POST', json: body, auth: false });
    this.store.set({ accessToken: auth.accessToken, refreshToken: auth.refreshToken });
    return auth.user;
  }
  /** Sign-up answers 202 alike for a free and a taken email (so it reveals no account); then we sign in. */
  async register(email: string, password: string, displayName: string): Promise<User> {
    await this.request('/api/auth/register', {
      method: 'POST',
      json: { email, password, displayName },
      auth: false,
    });
    return this.login(email, password);
  }
  login(email: string, password: string) {
    return this.signIn('/api/auth/login', { email, password });
  }
  async logout(): Promise<void> {
    const t = this.store.get();
    this.store.set(null);
    if (t)
      await this.request('/api/auth/logout', {
        method: 'POST',
        json: { refreshToken: t.refreshToken },
        auth: false,
      }).catch(() => undefined);
  }
  me() {
    return this.json<Me>('/api/auth/me');
  }
  updatePreferences(patch: Partial<Preferences>) {
    return this.json<Preferences>('/api/auth/me/preferences', { method: 'PATCH', json: patch });
  }
  /** The active account with this email (any signed-in user may ask); 404 when there is none. */
  lookupUser(email: string) {
    return this.json<UserSummary>(`/api/users/lookup?email=${q(email.trim())}`);
  }
  /** Names and emails for user ids (unknown ids are left out), asked 100 at a time. */
  async usersByIds(ids: string[]): Promise<UserSummary[]> {
    const wanted = [...new Set(ids.filter(Boolean))];
    const out: UserSummary[] = [];
    for (let i = 0; i < wanted.length; i += 100) {
      out.push(
        ...(await this.json<UserSummary[]>(
          `/api/users?ids=${wanted
            .slice(i, i + 100)
            .map(q)
            .join(',')}`,
        )),
      );
    }
    return out;
  }
  listUsers(page = 0, size = 50) {
    return this.json<UserPage>(`/api/admin/users?page=${page}&size=${size}`);
  }
  updateUser(id: string, patch: { roles?: User['roles']; disabled?: boolean }) {
    return this.json<User>(`/api/admin/users/${q(id)}`, { method: 'PATCH', json: patch });
  }
  /** Admins only: AI usage records, or with `groupBy` the spend summed per user, project or model. */
  usage(
    qs: {
      groupBy?: 'user' | 'project' | 'model';
      from?: string;
      to?: string;
      page?: number;
      size?: number;
    } = {},
  ) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(qs)) if (v !== undefined) p.set(k, String(v));
    const s = p.toString();
    return this.json<UsagePage>(`/api/admin/usage${s ? `?${s}` : ''}`);
  }
  /** Today's AI tokens and dollars of the caller and of the project, against the daily budgets. */
  projectAiUsage(projectId: string) {
    return this.json<ProjectAiUsage>(`/api/projects/${q(projectId)}/ai/usage`);
  }
  health() {
    return this.json<Health>('/api/health', { auth: false });
  }

  // ---- projects
  templates() {
    return this.json<Template[]>('/api/templates');
  }
  listProjects(qs: { q?: string; page?: number; size?: number; sort?: string } = {}) {
    const p = new URLSearchParams();
    if (qs.q) p.set('q', qs.q);
    p.set('page', String(qs.page ?? 0));
    p.set('size', String(qs.size ?? 50));
    if (qs.sort) p.set('sort', qs.sort);
    return this.json<ProjectPage>(`/api/projects?${p}`);
  }
  getProject(id: string) {
    return this.json<Project>(`/api/projects/${q(id)}`);
  }
  createProject(body: { name: string; description?: string; templateId: string }) {
    return this.json<Project>('/api/projects', { method: 'POST', json: body });
  }
  updateProject(id: string, body: { name?: string; description?: string }) {
    return this.json<Project>(`/api/projects/${q(id)}`, { method: 'PATCH', json: body });
  }
  deleteProject(id: string) {
    return this.json<void>(`/api/projects/${q(id)}`, { method: 'DELETE' });
  }
  setMember(id: string, userId: string, role: Role) {
    return this.json<unknown>(`/api/projects/${q(id)}/members/${q(userId)}`, {
      method: 'PUT',
      json: { role },
    });
  }
  removeMember(id: string, userId: string) {
    return this.json<void>(`/api/projects/${q(id)}/members/${q(userId)}`, { method: 'DELETE' });
  }
  importProject(name: string, file: Blob) {
    const form = new FormData();
    form.set('name', name);
    form.set('file', file, 'project.zip');
    return this.json<Project>('/api/projects/import', { method: 'POST', body: form });
  }
  async exportProject(id: string): Promise<Blob> {
    return (
      await this.request(`/api/projects/${q(id)}/export`, {
        headers: { Accept: 'application/zip' },
      })
    ).blob();
  }

  // ---- workspace, files, terminals
  workspace(id: string) {
    return this.json<Workspace>(`/api/projects/${q(id)}/workspace`);
  }
  startWorkspace(id: string) {
    return this.json<Workspace>(`/api/projects/${q(id)}/workspace/start`, { method: 'POST' });
  }
  stopWorkspace(id: string) {
    return this.json<Workspace>(`/api/projects/${q(id)}/workspace/stop`, { method: 'POST' });
  }
  listFiles(id: string, path = '') {
    return this.json<FileEntry[]>(`/api/projects/${q(id)}/files?path=${q(path)}`);
  }
  async readFile(id: string, path: string): Promise<{ content: string; etag: string | null }> {
    const res = await this.request(`/api/projects/${q(id)}/files/content?path=${q(path)}`, {
      headers: { Accept: '*/*' },
    });
    return { content: await res.text(), etag: res.headers.get('etag') };
  }
  /**
   * A file for the editor: its bytes, and whether the server found them to be text (only text is
   * decoded and may be edited; saving binary bytes as text would corrupt them).
   */
  async openFile(id: string, path: string): Promise<OpenedFile> {
    const res = await this.request(`/api/projects/${q(id)}/files/content?path=${q(path)}`, {
      headers: { Accept: '*/*' },
    });
    const blob = await res.blob();
    const binary = res.headers.get('x-file-binary') === 'true';
    return {
      etag: res.headers.get('etag'),
      binary,
      mediaType: res.headers.get('x-file-media-type') ?? 'application/octet-stream',
      size: blob.size,
      blob,
      text: binary ? null : await blob.text(),
    };
  }
  /** A folder (or the whole project for "") as a zip. */
  async downloadFolder(id: string, path: string): Promise<Blob> {
    return (
      await this.request(`/api/projects/${q(id)}/files/archive?path=${q(path)}`, {
        headers: { Accept: 'application/zip' },
      })
    ).blob();
  }
  fileLimits(id: string) {
    return this.json<{ maxFileBytes: number }>(`/api/projects/${q(id)}/files/limits`);
  }
  /** Raw bytes to a path (binary-safe); `ifMatch` as in writeFile. */
  uploadFile(id: string, path: string, body: Blob, etag?: string | null) {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (etag) headers['If-Match'] = etag;
    return this.json<WriteResult>(`/api/projects/${q(id)}/files/content?path=${q(path)}`, {
      method: 'PUT',
      body,
      headers,
    });
  }
  writeFile(id: string, path: string, content: string, etag?: string | null) {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (etag) headers['If-Match'] = etag;
    return this.json<WriteResult>(`/api/projects/${q(id)}/files/content?path=${q(path)}`, {
      method: 'PUT',
      body: content,
      headers,
    });
  }
  moveFile(id: string, from: string, to: string) {
    return this.json<unknown>(`/api/projects/${q(id)}/files/move`, {
      method: 'POST',
      json: { from, to },
    });
  }
  deleteFile(id: string, path: string) {
    return this.json<void>(`/api/projects/${q(id)}/files?path=${q(path)}`, { method: 'DELETE' });
  }
  exec(id: string, command: string, timeoutSeconds?: number) {
    return this.json<ExecResult>(`/api/projects/${q(id)}/exec`, {
      method: 'POST',
      json: { command, timeoutSeconds },
    });
  }
  /** Opens the project's workspace event stream (SSE); the caller reads it with readSse. */
  async workspaceEvents(id: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const res = await this.request(`/api/projects/${q(id)}/workspace/events`, {
      headers: { Accept: 'text/event-stream, application/problem+json' },
      signal,
    });
    if (!res.body)
      throw new ApiError(res.status, null, null, 'The event stream could not be read.');
    return res.body;
  }
  /** Find in files: the NDJSON stream of results (one line per file, then a summary); read it with readSearch. */
  async search(
    id: string,
    body: SearchQuery,
    signal?: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    const res = await this.request(`/api/projects/${q(id)}/search`, {
      method: 'POST',
      json: body,
      headers: { Accept: 'application/x-ndjson, application/problem+json' },
      signal,
    });
    if (!res.body)
      throw new ApiError(res.status, null, null, 'The search results could not be read.');
    return res.body;
  }
  replaceInFiles(
    id: string,
    body: SearchQuery & { replacement: string; files: { path: string; etag: string }[] },
  ) {
    return this.json<ReplaceResult>(`/api/projects/${q(id)}/search/replace`, {
      method: 'POST',
      json: body,
    });
  }
  undoReplace(id: string, undoId: string) {
    return this.json<UndoResult>(`/api/projects/${q(id)}/search/replace/${q(undoId)}/undo`, {
      method: 'POST',
    });
  }
  workspaceSettings(id: string) {
    return this.json<WorkspaceSettings>(`/api/projects/${q(id)}/workspace/settings`);
  }
  updateWorkspaceSettings(
    id: string,
    body: Partial<Pick<WorkspaceSettings, 'image' | 'memoryMb' | 'cpus'>>,
  ) {
    return this.json<WorkspaceSettings>(`/api/projects/${q(id)}/workspace/settings`, {
      method: 'PUT',
      json: body,
    });
  }
  ports(id: string) {
    return this.json<Port[]>(`/api/projects/${q(id)}/ports`);
  }
  /** A one-time URL on the port's preview origin that sets its cookie and redirects to `path`. */
  previewSession(id: string, port: number, path = '/') {
    return this.json<{ url: string }>(`/api/projects/${q(id)}/ports/${port}/preview-session`, {
      method: 'POST',
      json: { path },
    });
  }
  sharePort(id: string, port: number, expiresInMinutes: number) {
    return this.json<PortShare>(`/api/projects/${q(id)}/ports/${port}/share`, {
      method: 'POST',
      json: { expiresInMinutes },
    });
  }
  unsharePort(id: string, port: number) {
    return this.json<void>(`/api/projects/${q(id)}/ports/${port}/share`, { method: 'DELETE' });
  }
  terminals(id: string) {
    return this.json<TerminalSessionInfo[]>(`/api/projects/${q(id)}/terminals`);
  }
  killTerminal(id: string, sessionId: string) {
    return this.json<void>(`/api/projects/${q(id)}/terminals/${q(sessionId)}`, {
      method: 'DELETE',
    });
  }
  renameTerminal(id: string, sessionId: string, title: string) {
    return this.json<TerminalSessionInfo>(`/api/projects/${q(id)}/terminals/${q(sessionId)}`, {
      method: 'PATCH',
      json: { title },
    });
  }
  terminalTicket(id: string) {
    return this.json<Ticket>(`/api/projects/${q(id)}/terminal/ticket`, { method: 'POST' });
  }
  terminalUrl(
    id: string,
    ticket: string,
    location: { protocol: string; host: string } = window.location,
    session?: string,
  ): string {
    const base = this.baseUrl ? new URL(this.baseUrl) : location;
    const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
    const attach = session ? `&session=${q(session)}` : '';
    return `${scheme}//${base.host}/api/projects/${q(id)}/terminal?ticket=${q(ticket)}${attach}`;
  }

  /** A one-time ticket for a language server's socket (EDITOR and up; 404 when the language has none). */
  lspTicket(id: string, language: string) {
    return this.json<Ticket>(`/api/projects/${q(id)}/lsp/${q(language)}/ticket`, {
      method: 'POST',
    });
  }
  lspUrl(
    id: string,
    language: string,
    ticket: string,
    location: { protocol: string; host: string } = window.location,
  ): string {
    const base = this.baseUrl ? new URL(this.baseUrl) : location;
    const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${base.host}/api/projects/${q(id)}/lsp/${q(language)}?ticket=${q(ticket)}`;
  }

  // ---- AI
  listConversations(projectId: string) {
    return this.json<ConversationPage>(
      `/api/projects/${q(projectId)}/conversations?page=0&size=50`,
    );
  }
  createConversation(projectId: string, title?: string) {
    return this.json<Conversation>(`/api/projects/${q(projectId)}/conversations`, {
      method: 'POST',
      json: { title },
    });
  }
  getConversation(cid: string) {
    return this.json<AgentConversation>(`/api/conversations/${q(cid)}`);
  }
  deleteConversation(cid: string) {
    return this.json<void>(`/api/conversations/${q(cid)}`, { method: 'DELETE' });
  }
  /**
   * Posts a message and reads the text/event-stream answer: text through onDelta as it arrives,
   * an agent turn's steps through onEvent. Ask mode is the server's default and is not sent.
   */
  async sendMessage(
    cid: string,
    content: string,
    context: MessageContext | undefined,
    handlers: StreamHandlers,
    signal?: AbortSignal,
    mode: ChatMode = 'ask',
  ): Promise<void> {
    const res = await this.request(`/api/conversations/${q(cid)}/messages`, {
      method: 'POST',
      json: mode === 'agent' ? { content, context, mode } : { content, context },
      headers: { Accept: 'text/event-stream, application/problem+json' },
      signal,
    });
    if (!res.body) throw new ApiError(res.status, null, null, 'The answer could not be read.');
    let finished = false;
    for await (const raw of readSse(res.body, signal)) {
      const ev = parseChatEvent(raw);
      if (!ev) continue;
      if (ev.type === 'delta') handlers.onDelta(ev.data.text, ev.data.step);
      else if (ev.type === 'done') {
        finished = true;
        handlers.onDone?.(ev.data);
      } else if (ev.type === 'error') {
        const p = parseProblem(ev.data, 'application/problem+json');
        throw new ApiError(p?.status ?? 500, p, null, 'The assistant could not answer.');
      } else handlers.onEvent?.(ev);
    }
    if (!finished) throw new ApiError(0, null, null, 'The answer was cut off before it finished.');
  }
  /** Approves or denies a step that waits for the user; `allow` also widens the conversation's permissions. */
  decideStep(cid: string, stepId: string, decision: StepDecision) {
    return this.json<{ stepId: string; status: string }>(
      `/api/conversations/${q(cid)}/steps/${q(stepId)}/decision`,
      { method: 'POST', json: decision },
    );
  }
  /** Asks the running turn to stop: the model call and any command are cancelled. */
  stopTurn(cid: string) {
    return this.json<{ stopped: boolean }>(`/api/conversations/${q(cid)}/stop`, {
      method: 'POST',
    });
  }
  getPermissions(cid: string) {
    return this.json<Permissions>(`/api/conversations/${q(cid)}/permissions`);
  }
  setPermissions(cid: string, permissions: Permissions) {
    return this.json<Permissions>(`/api/conversations/${q(cid)}/permissions`, {
      method: 'PUT',
      json: permissions,
    });
  }
  /** What changed in the project since a checkpoint: its text (`before`) and the file now (`after`). */
  checkpointDiff(projectId: string, checkpointId: string) {
    return this.json<CheckpointDiff>(
      `/api/projects/${q(projectId)}/checkpoints/${q(checkpointId)}/diff`,
    );
  }
  restoreCheckpoint(projectId: string, checkpointId: string) {
    return this.json<RestoreResult>(
      `/api/projects/${q(projectId)}/checkpoints/${q(checkpointId)}/restore`,
      { method: 'POST' },
    );
  }
  proposeEdits(projectId: string, instruction: string, paths?: string[]) {
    return this.json<ProposedEdits>(`/api/projects/${q(projectId)}/ai/edits`, {
      method: 'POST',
      json: { instruction, paths },
    });
  }
}

let sessionExpiredListener: (() => void) | null = null;
export function onSessionExpired(fn: () => void) {
  sessionExpiredListener = fn;
}

export const api = new ApiClient({
  store: new LocalTokenStore(),
  onSessionExpired: () => sessionExpiredListener?.(),
});
