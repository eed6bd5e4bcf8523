import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import {
  isDone,
  previewReplace,
  readSearch,
  type FileMatches,
  type ReplaceResult,
  type SearchDone,
  type SearchMatch,
  type SearchQuery,
} from '../modules/search';
import { ErrorBanner } from './ErrorBanner';

export interface SearchPanelProps {
  projectId: string;
  readOnly: boolean;
  /** Changes each time the panel is asked for (Ctrl/Cmd+Shift+F): focus the query box, take `seed`. */
  focusToken: number;
  seed: string;
  onOpen(path: string, match: SearchMatch): void;
  /** Files rewritten by a replace or its undo, for the editor to reload. */
  onChanged(paths: string[]): void;
}

const splitGlobs = (s: string) =>
  s
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);

/** Find in files and replace across files: results stream in grouped by file; a replace shows its preview first. */
export function SearchPanel({
  projectId,
  readOnly,
  focusToken,
  seed,
  onOpen,
  onChanged,
}: SearchPanelProps) {
  const [query, setQuery] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [wholeWord, setWholeWord] = useState(false);
  const [regex, setRegex] = useState(false);
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [replacement, setReplacement] = useState('');
  const [showReplace, setShowReplace] = useState(false);
  const [files, setFiles] = useState<FileMatches[]>([]);
  const [done, setDone] = useState<SearchDone | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [lastReplace, setLastReplace] = useState<ReplaceResult | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [runToken, setRunToken] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    if (focusToken === 0) return;
    if (seed) setQuery(seed);
    input.current?.focus();
    input.current?.select();
  }, [focusToken, seed]);

  const current: SearchQuery = {
    query,
    regex,
    caseSensitive,
    wholeWord,
    include: splitGlobs(include),
    exclude: splitGlobs(exclude),
  };
  const key = JSON.stringify(current);

  // A new search replaces the one running: typing aborts the previous stream.
  useEffect(() => {
    abort.current?.abort();
    setFiles([]);
    setDone(null);
    setError(null);
    if (!query) {
      setSearching(false);
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    const body = JSON.parse(key) as SearchQuery;
    const timer = setTimeout(async () => {
      setSearching(true);
      try {
        const stream = await api.search(projectId, body, controller.signal);
        for await (const item of readSearch(stream)) {
          if (controller.signal.aborted) return;
          if (isDone(item)) setDone(item);
          else setFiles((fs) => [...fs, item]);
        }
      } catch (e) {
        if (!controller.signal.aborted) setError(e);
      } finally {
        if (!controller.signal.aborted) setSearching(false);
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [projectId, key, query, runToken]);

  const total = files.reduce((n, f) => n + f.matches.length, 0);
  const toggle = (path: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  const replaceAll = useCallback(async () => {
    const targets = files.filter((f) => f.etag).map((f) => ({ path: f.path, etag: f.etag! }));
    if (targets.length === 0) return;
    const shown = replacement === '' ? 'nothing (delete the matches)' : `“${replacement}”`;
    if (
      !window.confirm(
        `Replace ${total} ${total === 1 ? 'match' : 'matches'} in ${targets.length} ${
          targets.length === 1 ? 'file' : 'files'
        } with ${shown}?`,
      )
    )
      return;
    try {
      const result = await api.replaceInFiles(projectId, {
        ...current,
        replacement,
        files: targets,
      });
      setLastReplace(result);
      const n = result.changed.reduce((s, c) => s + c.replacements, 0);
      setNotice(
        `Replaced ${n} in ${result.changed.length} ${result.changed.length === 1 ? 'file' : 'files'}.` +
          (result.skipped.length
            ? ` Left ${result.skipped.length} alone: ${result.skipped
                .map((s) => `${s.path} (${s.reason})`)
                .join('; ')}`
            : ''),
      );
      onChanged(result.changed.map((c) => c.path));
      setRunToken((t) => t + 1);
    } catch (e) {
      setError(e);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [files, replacement, total, projectId, key, onChanged]);

  const undo = async () => {
    if (!lastReplace?.undoId) return;
    try {
      const result = await api.undoReplace(projectId, lastReplace.undoId);
      setLastReplace(null);
      setNotice(
        `Restored ${result.restored.length} ${result.restored.length === 1 ? 'file' : 'files'}.` +
          (result.skipped.length
            ? ` Not restored (changed since): ${result.skipped.map((s) => s.path).join(', ')}`
            : ''),
      );
      onChanged(result.restored.map((r) => r.path));
      setRunToken((t) => t + 1);
    } catch (e) {
      setLastReplace(null);
      setError(e);
    }
  };

  const previewing = showReplace && !readOnly && query !== '';

  return (
    <div className="pane search-panel" data-testid="search-panel">
      <div className="pane-head">
        <span>Search</span>
        <span className="grow" />
        {!readOnly && (
          <button
            className="link"
            aria-pressed={showReplace}
            title="Toggle replace"
            onClick={() => setShowReplace((s) => !s)}
          >
            Replace
          </button>
        )}
      </div>
      <div className="search-form">
        <div className="search-row">
          <input
            ref={input}
            type="search"
            value={query}
            placeholder="Search"
            aria-label="Search in files"
            data-testid="search-query"
            maxLength={1000}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') setRunToken((t) => t + 1);
            }}
          />
          <Toggle label="Aa" title="Match case" on={caseSensitive} set={setCaseSensitive} />
          <Toggle label="ab" title="Match whole word" on={wholeWord} set={setWholeWord} />
          <Toggle label=".*" title="Use regular expression" on={regex} set={setRegex} />
        </div>
        {showReplace && !readOnly && (
          <div className="search-row">
            <input
              type="text"
              value={replacement}
              placeholder={regex ? 'Replace ($1 for a group)' : 'Replace'}
              aria-label="Replace with"
              data-testid="search-replacement"
              maxLength={1000}
              onChange={(e) => setReplacement(e.target.value)}
            />
            <button
              onClick={() => void replaceAll()}
              disabled={files.length === 0 || searching}
              data-testid="search-replace-all"
              title="Replace every match shown below"
            >
              Replace all
            </button>
          </div>
        )}
        <input
          type="text"
          value={include}
          placeholder="Files to include (e.g. *.ts, src/**)"
          aria-label="Files to include"
          onChange={(e) => setInclude(e.target.value)}
        />
        <input
          type="text"
          value={exclude}
          placeholder="Files to exclude (e.g. node_modules, *.min.js)"
          aria-label="Files to exclude"
          onChange={(e) => setExclude(e.target.value)}
        />
      </div>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {notice && (
        <div className="notice search-notice" role="status">
          <span>{notice}</span>
          {lastReplace?.undoId ? (
            <button className="link" onClick={() => void undo()} data-testid="search-undo">
              Undo replace
            </button>
          ) : null}
          <button className="link" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ✕
          </button>
        </div>
      )}
      <div className="pane-body search-results" aria-busy={searching}>
        <div className="muted pad search-summary" role="status" data-testid="search-summary">
          {query === ''
            ? 'Type to search the project’s files. .gitignored, binary and files over 1 MB are skipped.'
            : searching && !done
              ? `Searching… ${total} ${total === 1 ? 'result' : 'results'} so far`
              : done
                ? total === 0
                  ? 'No results.'
                  : `${total} ${total === 1 ? 'result' : 'results'} in ${files.length} ${
                      files.length === 1 ? 'file' : 'files'
                    }`
                : ''}
          {done?.limitHit && (
            <div className="search-capped">
              Only the first {done.matches} results are shown. Narrow the search to see the rest.
            </div>
          )}
          {done?.timedOut && !done.limitHit && (
            <div className="search-capped">
              The search took too long and was stopped; results are incomplete.
            </div>
          )}
        </div>
        <ul className="search-files" role="tree" aria-label="Search results">
          {files.map((f) => (
            <li key={f.path} role="treeitem" aria-expanded={!collapsed.has(f.path)}>
              <button
                className="search-file"
                onClick={() => toggle(f.path)}
                title={f.path}
                data-testid="search-file"
                data-path={f.path}
              >
                <span className="chev">{collapsed.has(f.path) ? '▸' : '▾'}</span>
                <span className="name">{f.path.slice(f.path.lastIndexOf('/') + 1)}</span>
                <span className="muted dir">
                  {f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : ''}
                </span>
                <span className="count">{f.matches.length}</span>
              </button>
              {!collapsed.has(f.path) && (
                <ul>
                  {f.matches.map((m, i) => {
                    const p = previewReplace(m, current, replacement);
                    return (
                      <li key={`${m.line}:${m.column}:${i}`}>
                        <button
                          className="search-hit"
                          onClick={() => onOpen(f.path, m)}
                          data-testid="search-hit"
                          data-path={f.path}
                          data-line={m.line}
                          title={`${f.path}:${m.line}:${m.column}`}
                        >
                          <span className="muted lineno">{m.line}</span>
                          <span className="hit-text">
                            {p.before.length > 40 ? '…' + p.before.slice(-40) : p.before}
                            {previewing ? (
                              <>
                                <del>{p.matched}</del>
                                <ins>{p.replaced}</ins>
                              </>
                            ) : (
                              <mark>{p.matched}</mark>
                            )}
                            {p.after}
                          </span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function Toggle({
  label,
  title,
  on,
  set,
}: {
  label: string;
  title: string;
  on: boolean;
  set(v: boolean): void;
}) {
  return (
    <button
      className={`search-toggle${on ? ' on' : ''}`}
      aria-pressed={on}
      aria-label={title}
      title={title}
      onClick={() => set(!on)}
    >
      {label}
    </button>
  );
}
