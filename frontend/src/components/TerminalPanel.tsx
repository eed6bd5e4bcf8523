import { useCallback, useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { api } from '../api/client';
import type { TerminalSessionInfo, WorkspaceStatus } from '../api/types';
import { TerminalSession, type TerminalState } from '../modules/terminalSession';
import {
  findLocalUrls,
  loadTabs,
  restoreTabs,
  saveTabs,
  type TermTab,
} from '../modules/terminalTabs';
import type { Theme } from '../modules/theme';
import { useWorkspace } from '../modules/workspaceContext';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';
import { PromptDialog } from './PromptDialog';

const THEMES = {
  dark: {
    background: '#111317',
    foreground: '#d7dae0',
    cursor: '#d7dae0',
    selectionBackground: '#4f8ff755',
  },
  light: {
    background: '#fafafa',
    foreground: '#1f2328',
    cursor: '#1f2328',
    selectionBackground: '#0a66d833',
  },
};

interface Props {
  projectId: string;
  visible: boolean;
  theme: Theme;
  readOnly: boolean;
  /** Called after the user presses Enter in a terminal, so the file tree can refresh. */
  onCommand(): void;
}

/**
 * Several terminals, one per tab, each a server-side session that outlives the page: on reload the
 * panel reattaches to every session the server lists. Hidden tabs stay connected.
 */
export function TerminalPanel({ projectId, visible, theme, readOnly, onCommand }: Props) {
  const ws = useWorkspace();
  const status = ws.status?.status ?? null;
  const [tabs, setTabs] = useState<TermTab[] | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const [states, setStates] = useState<Record<number, TerminalState>>({});
  const [askStart, setAskStart] = useState(false);
  const [renaming, setRenaming] = useState<TermTab | null>(null);
  const [menu, setMenu] = useState<TerminalSessionInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const next = useRef(1);
  /** The tab the user just opened takes the keyboard; restored tabs do not. */
  const userOpened = useRef<number | null>(null);
  const nextKey = useCallback(() => next.current++, []);

  // Restore once the status is known: reattach to what the server lists, else one new terminal.
  const restoring = useRef(false);
  useEffect(() => {
    if (tabs !== null || status === null || restoring.current || readOnly) return;
    restoring.current = true;
    const done = (t: TermTab[]) => {
      setTabs(t);
      setActive(t[0]?.key ?? null);
    };
    const fresh = () => done([{ key: nextKey(), sessionId: null, title: null }]);
    if (status !== 'RUNNING') fresh();
    else
      api
        .terminals(projectId)
        .then((listed) => done(restoreTabs(loadTabs(projectId), listed, nextKey)), fresh);
  }, [tabs, status, projectId, nextKey, readOnly]);

  useEffect(() => {
    if (tabs) saveTabs(projectId, tabs);
  }, [projectId, tabs]);

  const add = (sessionId: string | null = null, title: string | null = null) => {
    const existing = sessionId ? tabs?.find((t) => t.sessionId === sessionId) : undefined;
    if (existing) {
      setActive(existing.key);
      return;
    }
    const key = nextKey();
    setTabs((t) => [...(t ?? []), { key, sessionId, title }]);
    userOpened.current = key;
    setActive(key);
  };
  const patch = (key: number, p: Partial<TermTab>) =>
    setTabs((ts) => ts?.map((t) => (t.key === key ? { ...t, ...p } : t)) ?? ts);
  const close = (tab: TermTab) => {
    setTabs((t) => {
      const rest = (t ?? []).filter((x) => x.key !== tab.key);
      if (active === tab.key) setActive(rest[rest.length - 1]?.key ?? null);
      return rest;
    });
    // Closing the tab ends the shell and what runs in it; "Sessions" keeps a tab-less one reachable.
    if (tab.sessionId) api.killTerminal(projectId, tab.sessionId).catch(() => undefined);
  };
  const openMenu = async () => {
    if (menu) {
      setMenu(null);
      return;
    }
    try {
      setMenu(await api.terminals(projectId));
    } catch (e) {
      setMenu(ws.sessions ?? []);
      setError(e);
    }
  };
  const kill = async (s: TerminalSessionInfo) => {
    try {
      await api.killTerminal(projectId, s.id);
      setMenu((m) => m?.filter((x) => x.id !== s.id) ?? m);
      setTabs((ts) => ts?.filter((t) => t.sessionId !== s.id) ?? ts);
    } catch (e) {
      setError(e);
    }
  };
  const needsStart = useCallback(() => {
    if (ws.canControl) setAskStart(true);
  }, [ws.canControl]);

  if (readOnly) {
    return (
      <div className="pane">
        <div className="pane-head">Terminal</div>
        <div className="editor-empty">Viewers cannot open terminals.</div>
      </div>
    );
  }

  const list = tabs ?? [];
  return (
    <div className="pane" data-testid="terminal-panel">
      <div className="pane-head term-tabs">
        <span>Terminal</span>
        {list.map((t, i) => (
          <span
            key={t.key}
            className={`tab${t.key === active ? ' active' : ''}`}
            onClick={() => setActive(t.key)}
            onDoubleClick={() => t.sessionId && setRenaming(t)}
            title={t.sessionId ? 'Double-click to rename' : undefined}
            data-testid="terminal-tab"
            data-session={t.sessionId ?? ''}
          >
            <span className="term-title">{t.title || String(i + 1)}</span>{' '}
            <span className={`badge ${states[t.key] ?? 'connecting'}`}>
              {states[t.key] ?? 'connecting'}
            </span>
            <button
              className="link"
              title="Kill terminal"
              onClick={(e) => {
                e.stopPropagation();
                close(t);
              }}
            >
              ✕
            </button>
          </span>
        ))}
        <button
          className="link"
          title="New terminal"
          onClick={() => add()}
          data-testid="new-terminal"
        >
          +
        </button>
        <span className="grow" />
        <span className="menu-anchor">
          <button className="link" onClick={() => void openMenu()} data-testid="sessions-menu">
            Sessions ▾
          </button>
          {menu && (
            <ul className="menu" data-testid="sessions-list">
              {menu.length === 0 && <li className="muted">No sessions</li>}
              {menu.map((s) => (
                <li key={s.id} data-testid="session-item" data-session={s.id}>
                  <span className="grow">
                    {s.title || s.id}
                    {s.command ? <span className="muted"> · {s.command}</span> : null}
                    {s.attached ? <span className="muted"> · attached</span> : null}
                  </span>
                  <button
                    className="link"
                    onClick={() => {
                      add(s.id, s.title || null);
                      setMenu(null);
                    }}
                  >
                    Open
                  </button>
                  <button className="link danger" onClick={() => void kill(s)}>
                    Kill
                  </button>
                </li>
              ))}
            </ul>
          )}
        </span>
      </div>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      <div className="pane-body" style={{ position: 'relative', overflow: 'hidden' }}>
        {tabs !== null && list.length === 0 && (
          <div className="editor-empty">
            <button onClick={() => add()}>Open a terminal</button>
          </div>
        )}
        {list.map((t) => (
          <XtermView
            key={t.key}
            projectId={projectId}
            sessionId={t.sessionId}
            status={status}
            canControl={ws.canControl}
            visible={visible && t.key === active}
            focusOnMount={t.key === userOpened.current}
            theme={theme}
            onState={(s) => setStates((m) => ({ ...m, [t.key]: s }))}
            onSession={(id, title) =>
              patch(t.key, title ? { sessionId: id, title } : { sessionId: id })
            }
            onCommand={onCommand}
            onNeedsStart={needsStart}
            onStart={() => void ws.start()}
            onOpenLink={ws.openPreview}
          />
        ))}
      </div>
      {askStart && (
        <Modal title="Start the workspace?" onClose={() => setAskStart(false)}>
          <p>The workspace is stopped. Start it to use the terminal?</p>
          <div className="row">
            <span className="grow" />
            <button onClick={() => setAskStart(false)}>Cancel</button>
            <button
              className="primary"
              autoFocus
              data-testid="confirm-start"
              onClick={() => {
                setAskStart(false);
                void ws.start();
              }}
            >
              Start
            </button>
          </div>
        </Modal>
      )}
      {renaming && renaming.sessionId && (
        <PromptDialog
          title="Rename terminal"
          label="Title"
          initial={renaming.title ?? ''}
          submitLabel="Rename"
          onSubmit={async (title) => {
            const r = await api.renameTerminal(projectId, renaming.sessionId!, title);
            patch(renaming.key, { title: r?.title ?? title });
          }}
          onClose={() => setRenaming(null)}
        />
      )}
    </div>
  );
}

function XtermView({
  projectId,
  sessionId,
  status,
  canControl,
  visible,
  focusOnMount,
  theme,
  onState,
  onSession,
  onCommand,
  onNeedsStart,
  onStart,
  onOpenLink,
}: {
  projectId: string;
  sessionId: string | null;
  status: WorkspaceStatus | null;
  canControl: boolean;
  visible: boolean;
  focusOnMount: boolean;
  theme: Theme;
  onState(s: TerminalState): void;
  onSession(id: string, title: string | undefined): void;
  onCommand(): void;
  onNeedsStart(): void;
  onStart(): void;
  onOpenLink(port: number, path: string): void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const sessionRef = useRef<TerminalSession | null>(null);
  const [state, setState] = useState<TerminalState>('closed');
  const cb = useRef({ onState, onSession, onCommand, onNeedsStart, onOpenLink, status });
  cb.current = { onState, onSession, onCommand, onNeedsStart, onOpenLink, status };

  useEffect(() => {
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: "ui-monospace, 'JetBrains Mono', Menlo, Consolas, monospace",
      fontSize: 13,
      scrollback: 5000,
      theme: THEMES[theme],
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current!);
    termRef.current = term;
    fitRef.current = fit;
    const session = new TerminalSession(
      api,
      projectId,
      {
        onData: (d) => term.write(d),
        onState: (s, detail) => {
          setState(s);
          cb.current.onState(s);
          if (s === 'reconnecting')
            term.write(
              `\r\n\x1b[33m[connection lost${detail ? `: ${detail}` : ''} — reconnecting…]\x1b[0m\r\n`,
            );
        },
        // The server replays the session's scrollback after this frame: start from a clean screen
        // so a reattach does not show the history twice.
        onSession: (id, title) => {
          term.reset();
          cb.current.onSession(id, title);
        },
        onSessionLost: () =>
          term.write('\r\n\x1b[33m[that terminal session ended — opening a new shell]\x1b[0m\r\n'),
        onExit: (code) =>
          term.write(
            `\r\n\x1b[2m[shell exited${code !== undefined ? ` with code ${code}` : ''}]\x1b[0m\r\n`,
          ),
      },
      { sessionId },
    );
    sessionRef.current = session;
    const dataSub = term.onData((d) => {
      if (session.send(d)) {
        if (d.includes('\r')) cb.current.onCommand();
        return;
      }
      const st = cb.current.status;
      if (st === 'STOPPED' || st === 'FAILED') cb.current.onNeedsStart();
    });
    const resizeSub = term.onResize(({ cols, rows }) => session.resize(cols, rows));
    const links = term.registerLinkProvider({
      provideLinks(y, callback) {
        const text = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? '';
        const found = findLocalUrls(text);
        callback(
          found.length
            ? found.map((u) => ({
                text: u.text,
                range: { start: { x: u.start + 1, y }, end: { x: u.end, y } },
                decorations: { underline: true, pointerCursor: true },
                activate: () => cb.current.onOpenLink(u.port, u.path),
              }))
            : undefined,
        );
      },
    });
    const observer = new ResizeObserver(() => {
      if (host.current && host.current.offsetWidth > 0 && host.current.offsetHeight > 0) {
        try {
          fit.fit();
        } catch {
          /* not laid out yet */
        }
      }
    });
    observer.observe(host.current!);
    session.resize(term.cols, term.rows);
    return () => {
      observer.disconnect();
      dataSub.dispose();
      resizeSub.dispose();
      links.dispose();
      session.dispose();
      sessionRef.current = null;
      term.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);

  // A terminal never starts the workspace: it connects while it runs and waits while it does not.
  useEffect(() => {
    const s = sessionRef.current;
    if (!s) return;
    // A paused workspace is thawed by the server when a terminal attaches or is typed into.
    if (status === 'RUNNING' || status === 'PAUSED') s.resume();
    else if (status === 'STOPPING' || status === 'STOPPED' || status === 'FAILED') s.suspend();
  }, [status]);

  useEffect(() => {
    if (termRef.current) termRef.current.options.theme = THEMES[theme];
  }, [theme]);

  // Focus follows the user switching to this tab, never the page opening: a terminal that grabbed
  // the keyboard while the user types elsewhere would take keystrokes (and ask to start a workspace).
  const shown = useRef(focusOnMount);
  useEffect(() => {
    if (visible) {
      const focus = shown.current;
      shown.current = true;
      requestAnimationFrame(() => {
        try {
          fitRef.current?.fit();
        } catch {
          /* ignore */
        }
        // Output that arrived while this terminal was hidden (a reattach's scrollback) was never
        // drawn, and a fit to the same size redraws nothing: draw the rows now.
        const term = termRef.current;
        if (term) term.refresh(0, term.rows - 1);
        if (focus) term?.focus();
      });
    }
  }, [visible]);

  const waiting = status !== 'RUNNING' && (state === 'stopped' || state === 'closed');
  return (
    <div style={{ display: visible ? 'block' : 'none', position: 'absolute', inset: 0 }}>
      <div
        ref={host}
        className="term-host"
        data-testid="terminal"
        data-state={state}
        style={{ position: 'absolute', inset: 0 }}
      />
      {waiting && (
        <div className="term-overlay" data-testid="terminal-stopped">
          {status === 'STARTING' ? (
            <span>Workspace starting…</span>
          ) : (
            <span>
              Workspace {status === 'FAILED' ? 'failed' : 'stopped'}
              {canControl && (
                <>
                  {' — '}
                  <button onClick={onStart} data-testid="terminal-start">
                    Start
                  </button>
                </>
              )}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
