import { useEffect, useMemo, useState } from 'react';
import { listAllFiles } from './FileTree';

/** Fuzzy subsequence score: lower is better, null when `q` is not a subsequence of `s`. */
export function fuzzyScore(q: string, s: string): number | null {
  const query = q.toLowerCase();
  const text = s.toLowerCase();
  let pos = -1;
  let score = 0;
  for (const ch of query) {
    const next = text.indexOf(ch, pos + 1);
    if (next < 0) return null;
    score += next - pos - 1;
    pos = next;
  }
  const base = text.slice(text.lastIndexOf('/') + 1);
  return score - (base.includes(query) ? 1000 : 0) + s.length * 0.01;
}

export function QuickOpen({
  projectId,
  onPick,
  onClose,
}: {
  projectId: string;
  onPick(path: string): void;
  onClose(): void;
}) {
  const [files, setFiles] = useState<string[] | null>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  useEffect(() => {
    listAllFiles(projectId).then(setFiles, () => setFiles([]));
  }, [projectId]);
  const results = useMemo(() => {
    if (!files) return [];
    if (!query) return files.slice(0, 50);
    return files
      .map((f) => [f, fuzzyScore(query, f)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== null)
      .sort((a, b) => a[1] - b[1])
      .slice(0, 50)
      .map((x) => x[0]);
  }, [files, query]);
  return (
    <div
      className="modal-backdrop"
      style={{ background: 'transparent', alignItems: 'flex-start' }}
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div className="quick-open" role="dialog" aria-label="Quick open">
        <input
          autoFocus
          placeholder={files ? 'Go to file…' : 'Listing files…'}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter' && results[active]) {
              onPick(results[active]);
              onClose();
            } else return;
            e.preventDefault();
          }}
          data-testid="quick-open-input"
        />
        <ul>
          {results.map((f, i) => (
            <li
              key={f}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onClick={() => {
                onPick(f);
                onClose();
              }}
            >
              {f}
            </li>
          ))}
          {files && results.length === 0 && <li className="muted">No matching file.</li>}
        </ul>
      </div>
    </div>
  );
}
