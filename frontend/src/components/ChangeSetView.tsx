import { useState, type ReactNode } from 'react';
import { diffStats } from '../modules/diff';
import { languageOf } from '../modules/languages';
import { monacoTheme, useTheme } from '../modules/theme';
import { SafeDiffEditor } from './SafeDiffEditor';

/** One file of a change set: its text before and after (null when it did not or will not exist). */
export interface ChangeEntry {
  path: string;
  /** What happens to it, as a word: create, modify, delete, added, modified, deleted. */
  action: string;
  before: string | null;
  after: string | null;
  /** Shown instead of a diff (binary or too large, or it could not be read). */
  note?: string;
}

/**
 * The review of a change set: the files with their line counts, and the chosen one in Monaco's
 * diff editor. Shared by ask-mode proposals, agent approvals and checkpoint diffs.
 */
export function ChangeSetView({
  entries,
  sideBySide = true,
  extra,
  listWidth,
}: {
  entries: ChangeEntry[];
  sideBySide?: boolean;
  /** More controls on a file's row (ask mode's accept checkbox). */
  extra?: (index: number) => ReactNode;
  listWidth?: number;
}) {
  const [theme] = useTheme();
  const [index, setIndex] = useState(0);
  const current = entries[Math.min(index, entries.length - 1)];
  return (
    <div className={`edits${sideBySide ? '' : ' stacked'}`} data-testid="change-set">
      <div className="edits-list" style={listWidth ? { width: listWidth } : undefined}>
        {entries.map((e, i) => {
          const stats = e.note === undefined ? diffStats(e.before ?? '', e.after ?? '') : null;
          return (
            <div
              key={e.path}
              className={`edit-item${e === current ? ' active' : ''}`}
              data-testid="edit-item"
              onClick={() => setIndex(i)}
            >
              <button
                className="link path"
                aria-pressed={e === current}
                title={`Show the changes of ${e.path}`}
                onClick={() => setIndex(i)}
              >
                {e.path}
              </button>
              <div className="row" style={{ fontSize: 12 }}>
                <span className="badge">{e.action}</span>
                {stats && (
                  <span>
                    <span className="plus">+{stats.added}</span>{' '}
                    <span className="minus">−{stats.removed}</span>
                  </span>
                )}
                <span className="grow" />
                {extra?.(i)}
              </div>
            </div>
          );
        })}
      </div>
      <div className="diff-host" data-testid="diff-editor">
        {current && current.note === undefined && (
          <SafeDiffEditor
            key={current.path}
            original={current.before ?? ''}
            modified={current.after ?? ''}
            language={languageOf(current.path)}
            theme={monacoTheme(theme)}
            options={{
              readOnly: true,
              renderSideBySide: sideBySide,
              automaticLayout: true,
              minimap: { enabled: false },
              scrollBeyondLastLine: false,
            }}
          />
        )}
        {current?.note !== undefined && <div className="editor-empty">{current.note}</div>}
      </div>
    </div>
  );
}
