import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { api } from '../api/client';
import { TerminalSession, type TerminalState } from '../modules/terminalSession';
import type { Theme } from '../modules/theme';

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

/** Several terminals, one per tab; hidden tabs stay connected. */
export function TerminalPanel({ projectId, visible, theme, readOnly, onCommand }: Props) {
  const [terms, setTerms] = useState<number[]>([1]);
  const [active, setActive] = useState(1);
  const [states, setStates] = useState<Record<number, TerminalState>>({});
  const next = useRef(2);

  const add = () => {
    const id = next.current++;
    setTerms((t) => [...t, id]);
    setActive(id);
  };
  const close = (id: number) => {
    setTerms((t) => {
      const rest = t.filter((x) => x !== id);
      if (active === id && rest.length) setActive(rest[rest.length - 1]);
      return rest;
    });
  };

  if (readOnly) {
    return (
      <div className="pane">
        <div className="pane-head">Terminal</div>
        <div className="editor-empty">Viewers cannot open terminals.</div>
      </div>
    );
  }

  return (
    <div className="pane" data-testid="terminal-panel">
      <div className="pane-head term-tabs">
        <span>Terminal</span>
        {terms.map((id, i) => (
          <span
            key={id}
            className={`tab${id === active ? ' active' : ''}`}
            onClick={() => setActive(id)}
          >
            {i + 1}{' '}
            <span className={`badge ${states[id] ?? 'connecting'}`}>
              {states[id] ?? 'connecting'}
            </span>
            <button
              className="link"
              title="Close terminal"
              onClick={(e) => {
                e.stopPropagation();
                close(id);
              }}
            >
              ✕
            </button>
          </span>
        ))}
        <button className="link" title="New terminal" onClick={add} data-testid="new-terminal">
          +
        </button>
      </div>
      <div className="pane-body" style={{ position: 'relative', overflow: 'hidden' }}>
        {terms.length === 0 && (
          <div className="editor-empty">
            <button onClick={add}>Open a terminal</button>
          </div>
        )}
        {terms.map((id) => (
          <XtermView
            key={id}
            projectId={projectId}
            visible={visible && id === active}
            theme={theme}
            onState={(s) => setStates((m) => ({ ...m, [id]: s }))}
            onCommand={onCommand}
          />
        ))}
      </div>
    </div>
  );
}

function XtermView({
  projectId,
  visible,
  theme,
  onState,
  onCommand,
}: {
  projectId: string;
  visible: boolean;
  theme: Theme;
  onState(s: TerminalState): void;
  onCommand(): void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const cb = useRef({ onState, onCommand });
  cb.current = { onState, onCommand };

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
    const session = new TerminalSession(api, projectId, {
      onData: (d) => term.write(d),
      onState: (s, detail) => {
        cb.current.onState(s);
        if (s === 'reconnecting')
          term.write(
            `\r\n\x1b[33m[connection lost${detail ? `: ${detail}` : ''} — reconnecting…]\x1b[0m\r\n`,
          );
      },
    });
    const dataSub = term.onData((d) => {
      session.send(d);
      if (d.includes('\r')) cb.current.onCommand();
    });
    const resizeSub = term.onResize(({ cols, rows }) => session.resize(cols, rows));
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
    void session.connect();
    return () => {
      observer.disconnect();
      dataSub.dispose();
      resizeSub.dispose();
      session.dispose();
      term.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);

  useEffect(() => {
    if (termRef.current) termRef.current.options.theme = THEMES[theme];
  }, [theme]);

  useEffect(() => {
    if (visible) {
      requestAnimationFrame(() => {
        try {
          fitRef.current?.fit();
        } catch {
          /* ignore */
        }
        termRef.current?.focus();
      });
    }
  }, [visible]);

  return (
    <div
      ref={host}
      className="term-host"
      data-testid="terminal"
      style={{ display: visible ? 'block' : 'none', position: 'absolute', inset: 0 }}
    />
  );
}
