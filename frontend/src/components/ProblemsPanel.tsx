import type { LspState } from '../modules/lsp/connection';
import type { ServerLanguage } from '../modules/lsp/languages';
import { useProblemCounts, useProblems, type Problem } from '../modules/problems';

const ICON: Record<Problem['severity'], string> = {
  error: '⊗',
  warning: '⚠',
  info: 'ⓘ',
  hint: '…',
};

const STATE_TEXT: Partial<Record<LspState, string>> = {
  connecting: 'starting',
  reconnecting: 'reconnecting',
  stopped: 'waits for the workspace',
  unavailable: 'no server',
};

/**
 * The language servers' diagnostics across files; a row opens its file at the spot. Rows are
 * buttons, so Tab/Enter work without a mouse.
 */
export function ProblemsPanel({
  onOpen,
  servers = {},
}: {
  onOpen(path: string, line: number, column: number): void;
  servers?: Partial<Record<ServerLanguage, LspState>>;
}) {
  const list = useProblems();
  const counts = useProblemCounts();
  const groups = new Map<string, Problem[]>();
  for (const p of list) groups.set(p.path, [...(groups.get(p.path) ?? []), p]);
  const busy = Object.entries(servers).filter(([, s]) => s && STATE_TEXT[s]);
  return (
    <div className="pane problems" data-testid="problems-panel">
      <div className="pane-head">
        <span>Problems</span>
        <span className="badge" data-testid="problems-count" title="Errors and warnings">
          {counts.errors + counts.warnings + counts.others}
        </span>
        <span className="grow" />
        <span className="muted problems-servers" aria-live="polite">
          {busy.map(([lang, s]) => `${lang}: ${STATE_TEXT[s!]}`).join(' · ')}
        </span>
      </div>
      <div className="pane-body">
        {list.length === 0 ? (
          <div className="muted pad">No problems found in open files.</div>
        ) : (
          <ul className="problems-list">
            {[...groups].map(([path, items]) => (
              <li key={path}>
                <div className="problems-file" title={path}>
                  {path} <span className="muted">{items.length}</span>
                </div>
                <ul>
                  {items.map((p, i) => (
                    <li key={i}>
                      <button
                        className={`problem ${p.severity}`}
                        data-testid="problem"
                        data-path={p.path}
                        data-line={p.line}
                        onClick={() => onOpen(p.path, p.line, p.column)}
                        title={`${p.path}:${p.line}:${p.column}`}
                      >
                        <span className="problem-icon" aria-label={p.severity}>
                          {ICON[p.severity]}
                        </span>
                        <span className="problem-message">{p.message}</span>
                        <span className="muted">
                          {p.source ?? p.origin}
                          {p.code ? `(${p.code})` : ''} [{p.line}, {p.column}]
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
