import type { IDisposable, IRange } from 'monaco-editor/editor/editor.api';
import {
  ApplyWorkspaceEditRequest,
  CodeActionResolveRequest,
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExecuteCommandRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageRequest,
  TextDocumentSyncKind,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  type CodeAction,
  type Command,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ServerCapabilities,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/browser';
import { toRange } from 'monaco-languageserver-types';
import { monaco } from '../monaco';
import { languageOf } from '../languages';
import { problems as defaultProblems, type Problem, type ProblemStore } from '../problems';
import { LspConnection, type LspApi, type LspConnectionOptions, type LspState } from './connection';
import {
  lspLanguageOf,
  pathOfWorkspaceUri,
  workspaceUri,
  type LspLanguage,
  type ServerLanguage,
} from './languages';
import { applyWorkspaceEdit, type ApplyResult } from './workspaceEdit';
import { registerFeatures } from './features';
import { setBuiltinJson } from './builtins';

type Model = monaco.editor.ITextModel;

export interface LspClientApi extends LspApi {
  readFile(projectId: string, path: string): Promise<{ content: string; etag: string | null }>;
  writeFile(
    projectId: string,
    path: string,
    content: string,
    etag?: string | null,
  ): Promise<unknown>;
}

/** What the IDE page lends the client: its tabs. */
export interface LspHost {
  /** Opens the file in a tab (reading it through the files API) and reveals the range. */
  openFile(path: string, range?: IRange): void;
  /** Whether a tab holds the file: its model is then the user's buffer, edited in place. */
  isOpen(path: string): boolean;
}

export interface LspClientOptions extends LspConnectionOptions {
  problems?: ProblemStore;
  onState?(language: ServerLanguage, state: LspState, detail?: string): void;
}

interface Doc {
  model: Model;
  path: string;
  lang: LspLanguage;
  /** didOpen was sent on the current connection. */
  opened: boolean;
  sub: IDisposable;
}

/** What a feature provider needs to ask the server about a model. */
export interface Target {
  conn: ProtocolConnection;
  caps: ServerCapabilities;
  server: ServerLanguage;
  path: string;
  uri: string;
}

let commandIds = 0;

/**
 * The language servers of one project tab: one {@link LspConnection} per server language, started
 * the first time a model of that language appears and shared by all of them. Keeps documents in sync
 * (didOpen/didChange/didClose/didSave, reopened after each reconnect), turns diagnostics into Monaco
 * markers and Problems, registers Monaco's providers (features.ts) and opens other files for
 * go-to-definition through the host.
 */
export class LspClient {
  private readonly connections = new Map<ServerLanguage, LspConnection>();
  private readonly docs = new Map<string, Doc>();
  private readonly diagnostics = new Map<ServerLanguage, Map<string, Diagnostic[]>>();
  private readonly disposables: IDisposable[] = [];
  private readonly problems: ProblemStore;
  private readonly prefix: string;
  private enabled = false;
  private running = false;
  private started = false;
  private disposed = false;
  readonly execCommandId = `constellation.lsp.exec.${++commandIds}`;
  readonly codeActionCommandId = `constellation.lsp.codeAction.${commandIds}`;

  constructor(
    readonly projectId: string,
    private readonly api: LspClientApi,
    private readonly host: LspHost,
    private readonly opts: LspClientOptions = {},
  ) {
    this.problems = opts.problems ?? defaultProblems;
    this.prefix = `/${projectId}/`;
  }

  /** Registers providers and starts watching models; connections wait for enable + running. */
  start() {
    if (this.started || this.disposed) return;
    this.started = true;
    this.disposables.push(
      ...registerFeatures(this),
      monaco.editor.onDidCreateModel((m) => this.track(m)),
      monaco.editor.onWillDisposeModel((m) => this.untrack(m)),
      monaco.editor.registerEditorOpener({
        openCodeEditor: (_source, resource, selection) => {
          const path = this.pathOf(resource);
          if (path === null) return false;
          this.host.openFile(path, toIRange(selection));
          return true;
        },
      }),
      monaco.editor.registerCommand(
        this.execCommandId,
        (_a, server: ServerLanguage, cmd: Command) => this.executeCommand(server, cmd),
      ),
      monaco.editor.registerCommand(
        this.codeActionCommandId,
        (_a, server: ServerLanguage, action: CodeAction) => this.runCodeAction(server, action),
      ),
    );
    monaco.editor.getModels().forEach((m) => this.track(m));
  }

  /** EDITORs and OWNERs get servers; a VIEWER keeps Monaco's built-in behaviour only. */
  setEnabled(enabled: boolean) {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    if (!enabled) {
      this.connections.forEach((c) => c.dispose());
      this.connections.clear();
    } else this.ensureAll();
  }

  /** The workspace's status: servers run inside it, so nothing connects while it is stopped. */
  setWorkspaceRunning(running: boolean) {
    if (this.running === running) return;
    this.running = running;
    if (running) {
      this.connections.forEach((c) => c.resume());
      this.ensureAll();
    } else this.connections.forEach((c) => c.suspend());
  }

  state(server: ServerLanguage): LspState {
    return this.connections.get(server)?.current ?? 'idle';
  }

  /** After a save through the files API. */
  didSave(path: string) {
    const doc = [...this.docs.values()].find((d) => d.path === path);
    if (!doc?.opened) return;
    const c = this.connections.get(doc.lang.server);
    const conn = c?.connection;
    const sync = c?.capabilities?.textDocumentSync;
    if (!conn || typeof sync !== 'object' || !sync.save) return;
    const includeText = typeof sync.save === 'object' && sync.save.includeText;
    void conn.sendNotification(DidSaveTextDocumentNotification.type, {
      textDocument: { uri: workspaceUri(path) },
      ...(includeText ? { text: doc.model.getValue() } : {}),
    });
  }

  // ---- for features.ts

  modelUri(path: string) {
    return monaco.Uri.parse(`file:///${this.projectId}/${path}`);
  }

  pathOf(uri: monaco.Uri): string | null {
    if (uri.scheme !== 'file' || !uri.path.startsWith(this.prefix)) return null;
    const path = uri.path.slice(this.prefix.length);
    return path.split('/').some((s) => s === '' || s === '.' || s === '..') ? null : path;
  }

  target(model: Model): Target | null {
    const doc = this.docs.get(model.uri.toString());
    if (!doc?.opened) return null;
    return this.targetFor(doc.lang.server, doc.path);
  }

  targetFor(server: ServerLanguage, path: string): Target | null {
    const c = this.connections.get(server);
    const conn = c?.connection;
    const caps = c?.capabilities;
    return conn && caps ? { conn, caps, server, path, uri: workspaceUri(path) } : null;
  }

  /** The server's diagnostics of a file that touch a range (code actions need the originals). */
  diagnosticsIn(server: ServerLanguage, path: string, range: IRange): Diagnostic[] {
    return (this.diagnostics.get(server)?.get(path) ?? []).filter((d) => {
      const r = toRange(d.range);
      return !(
        r.endLineNumber < range.startLineNumber ||
        (r.endLineNumber === range.startLineNumber && r.endColumn < range.startColumn) ||
        r.startLineNumber > range.endLineNumber ||
        (r.startLineNumber === range.endLineNumber && r.startColumn > range.endColumn)
      );
    });
  }

  /**
   * A model for a file the server pointed at (definition, references), read through the files API
   * when no tab has it, so Monaco can peek into it; null when it cannot be read.
   */
  async ensureModel(path: string): Promise<monaco.Uri | null> {
    const uri = this.modelUri(path);
    if (monaco.editor.getModel(uri)) return uri;
    try {
      const { content } = await this.api.readFile(this.projectId, path);
      if (!monaco.editor.getModel(uri)) monaco.editor.createModel(content, languageOf(path), uri);
      return uri;
    } catch {
      return null;
    }
  }

  applyEdit(edit: WorkspaceEdit): Promise<ApplyResult> {
    return applyWorkspaceEdit(edit, {
      openModel: (path) => {
        const model = monaco.editor.getModel(this.modelUri(path));
        if (!model || !this.host.isOpen(path)) return null;
        return {
          applyEdits: (edits) => {
            model.pushStackElement();
            model.pushEditOperations(
              [],
              edits.map((e) => ({ range: toRange(e.range), text: e.newText })),
              () => null,
            );
            model.pushStackElement();
          },
        };
      },
      readFile: (path) => this.api.readFile(this.projectId, path),
      writeFile: (path, content, etag) => this.api.writeFile(this.projectId, path, content, etag),
      written: (path, content) => monaco.editor.getModel(this.modelUri(path))?.setValue(content),
    });
  }

  async executeCommand(server: ServerLanguage, cmd: Command) {
    const conn = this.connections.get(server)?.connection;
    if (!conn) return;
    await conn.sendRequest(ExecuteCommandRequest.type, {
      command: cmd.command,
      arguments: cmd.arguments,
    });
  }

  async runCodeAction(server: ServerLanguage, action: CodeAction) {
    const c = this.connections.get(server);
    const conn = c?.connection;
    if (!conn) return;
    let a = action;
    const provider = c.capabilities?.codeActionProvider;
    if (!a.edit && !a.command && typeof provider === 'object' && provider.resolveProvider)
      a = await conn.sendRequest(CodeActionResolveRequest.type, a);
    if (a.edit) await this.applyEdit(a.edit);
    if (a.command) await this.executeCommand(server, a.command);
  }

  // ---- documents

  private track(model: Model) {
    if (this.disposed) return;
    const path = this.pathOf(model.uri);
    const lang = path === null ? null : lspLanguageOf(path);
    const key = model.uri.toString();
    if (path === null || !lang || this.docs.has(key)) return;
    const doc: Doc = { model, path, lang, opened: false, sub: { dispose() {} } };
    doc.sub = model.onDidChangeContent((e) => this.changed(doc, e));
    this.docs.set(key, doc);
    this.showMarkers(lang.server, path);
    const c = this.ensure(lang.server);
    if (c?.connection) this.open(doc, c.connection);
  }

  private untrack(model: Model) {
    const key = model.uri.toString();
    const doc = this.docs.get(key);
    if (!doc) return;
    doc.sub.dispose();
    this.docs.delete(key);
    const conn = this.connections.get(doc.lang.server)?.connection;
    if (doc.opened && conn)
      void conn.sendNotification(DidCloseTextDocumentNotification.type, {
        textDocument: { uri: workspaceUri(doc.path) },
      });
  }

  private open(doc: Doc, conn: ProtocolConnection) {
    doc.opened = true;
    void conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri: workspaceUri(doc.path),
        languageId: doc.lang.languageId,
        version: doc.model.getVersionId(),
        text: doc.model.getValue(),
      },
    });
  }

  private changed(doc: Doc, e: monaco.editor.IModelContentChangedEvent) {
    const c = this.connections.get(doc.lang.server);
    const conn = c?.connection;
    if (!doc.opened || !conn) return;
    const sync = c.capabilities?.textDocumentSync;
    const kind = typeof sync === 'object' ? sync.change : sync;
    if (kind === TextDocumentSyncKind.None) return;
    // Monaco lists a batch's changes so that applying them one after another is right, as LSP wants.
    const contentChanges: TextDocumentContentChangeEvent[] =
      kind === TextDocumentSyncKind.Incremental
        ? e.changes.map((ch) => ({
            range: {
              start: { line: ch.range.startLineNumber - 1, character: ch.range.startColumn - 1 },
              end: { line: ch.range.endLineNumber - 1, character: ch.range.endColumn - 1 },
            },
            rangeLength: ch.rangeLength,
            text: ch.text,
          }))
        : [{ text: doc.model.getValue() }];
    void conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: workspaceUri(doc.path), version: e.versionId },
      contentChanges,
    });
  }

  // ---- connections

  private ensureAll() {
    new Set([...this.docs.values()].map((d) => d.lang.server)).forEach((s) => this.ensure(s));
  }

  private ensure(server: ServerLanguage): LspConnection | null {
    const existing = this.connections.get(server);
    if (existing || !this.enabled || !this.running || this.disposed) return existing ?? null;
    const c = new LspConnection(
      this.api,
      this.projectId,
      server,
      {
        onState: (state, detail) => this.stateChanged(server, state, detail),
        setup: (conn) => this.setup(server, conn),
        onReady: (conn) => {
          for (const doc of this.docs.values())
            if (doc.lang.server === server) this.open(doc, conn);
          if (server === 'json') setBuiltinJson(false);
        },
      },
      this.opts,
    );
    this.connections.set(server, c);
    void c.connect();
    return c;
  }

  private stateChanged(server: ServerLanguage, state: LspState, detail?: string) {
    if (state !== 'ready') {
      for (const doc of this.docs.values()) if (doc.lang.server === server) doc.opened = false;
      this.clearDiagnostics(server);
      if (server === 'json') setBuiltinJson(true);
    }
    this.opts.onState?.(server, state, detail);
  }

  private setup(server: ServerLanguage, conn: ProtocolConnection) {
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => this.publish(server, p));
    conn.onRequest(ApplyWorkspaceEditRequest.type, async (p) => {
      const r = await this.applyEdit(p.edit);
      return {
        applied: r.applied,
        failureReason: r.failures.map((f) => `${f.path}: ${f.reason}`).join('; ') || undefined,
      };
    });
    // No client-side settings: each server uses its defaults.
    conn.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => null));
    conn.onRequest(RegistrationRequest.type, () => undefined);
    conn.onRequest(UnregistrationRequest.type, () => undefined);
    conn.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    conn.onRequest(ShowMessageRequest.type, () => null);
  }

  // ---- diagnostics

  private publish(server: ServerLanguage, p: PublishDiagnosticsParams) {
    const path = pathOfWorkspaceUri(p.uri);
    if (path === null) return;
    let byPath = this.diagnostics.get(server);
    if (!byPath) this.diagnostics.set(server, (byPath = new Map()));
    if (p.diagnostics.length) byPath.set(path, p.diagnostics);
    else byPath.delete(path);
    this.showMarkers(server, path);
    this.problems.set(
      server,
      path,
      p.diagnostics.map((d) => toProblem(server, path, d)),
    );
  }

  private showMarkers(server: ServerLanguage, path: string) {
    const model = monaco.editor.getModel(this.modelUri(path));
    if (!model) return;
    const diags = this.diagnostics.get(server)?.get(path) ?? [];
    monaco.editor.setModelMarkers(model, markerOwner(server), diags.map(toMarker));
  }

  private clearDiagnostics(server: ServerLanguage) {
    const byPath = this.diagnostics.get(server);
    this.diagnostics.delete(server);
    byPath?.forEach((_d, path) => this.showMarkers(server, path));
    this.problems.clearOrigin(server);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.connections.forEach((c) => c.dispose());
    this.connections.clear();
    this.docs.forEach((d) => d.sub.dispose());
    this.docs.clear();
    this.disposables.forEach((d) => d.dispose());
    this.problems.clear();
    setBuiltinJson(true);
  }
}

export function markerOwner(server: ServerLanguage) {
  return `lsp.${server}`;
}

const SEVERITY: Record<number, Problem['severity']> = {
  1: 'error',
  2: 'warning',
  3: 'info',
  4: 'hint',
};

function toProblem(server: ServerLanguage, path: string, d: Diagnostic): Problem {
  return {
    path,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: SEVERITY[d.severity ?? 1] ?? 'error',
    message: d.message,
    source: d.source,
    code: d.code === undefined ? undefined : String(d.code),
    origin: server,
  };
}

const MARKER_SEVERITY: Record<number, monaco.MarkerSeverity> = {
  1: monaco.MarkerSeverity.Error,
  2: monaco.MarkerSeverity.Warning,
  3: monaco.MarkerSeverity.Info,
  4: monaco.MarkerSeverity.Hint,
};

export function toMarker(d: Diagnostic): monaco.editor.IMarkerData {
  return {
    ...toRange(d.range),
    message: d.message,
    severity: MARKER_SEVERITY[d.severity ?? 1] ?? monaco.MarkerSeverity.Error,
    source: d.source,
    code: d.code === undefined ? undefined : String(d.code),
    tags: d.tags as monaco.MarkerTag[] | undefined,
  };
}

function toIRange(sel?: IRange | monaco.IPosition): IRange | undefined {
  if (!sel) return undefined;
  if ('startLineNumber' in sel) return sel;
  return {
    startLineNumber: sel.lineNumber,
    startColumn: sel.column,
    endLineNumber: sel.lineNumber,
    endColumn: sel.column,
  };
}
