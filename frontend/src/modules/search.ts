// Find in files: the wire types of POST /api/projects/{id}/search (NDJSON, see docs/api-contract.md),
// reading the stream, and the replace preview.

export interface SearchQuery {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
  wholeWord: boolean;
  include: string[];
  exclude: string[];
  maxResults?: number;
}

/** One match; line and column count from 1, in UTF-16 units like the editor. `text` starts at `textOffset` of the line. */
export interface SearchMatch {
  line: number;
  column: number;
  length: number;
  text: string;
  textOffset: number;
}

export interface FileMatches {
  path: string;
  etag: string | null;
  matches: SearchMatch[];
}

export interface SearchDone {
  done: true;
  files: number;
  matches: number;
  truncated: boolean;
  limitHit: boolean;
  timedOut: boolean;
  engine: 'ripgrep' | 'walk';
}

export interface ReplaceResult {
  changed: { path: string; replacements: number; etag: string }[];
  skipped: { path: string; reason: string }[];
  undoId: string;
}

export interface UndoResult {
  restored: { path: string; etag: string }[];
  skipped: { path: string; reason: string }[];
}

/** Reads the NDJSON stream line by line as it arrives: files first, the summary last. */
export async function* readSearch(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<FileMatches | SearchDone> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield JSON.parse(line) as FileMatches | SearchDone;
      }
      if (done) break;
    }
    const rest = (buffer + decoder.decode()).trim();
    if (rest) yield JSON.parse(rest) as FileMatches | SearchDone;
  } finally {
    reader.releaseLock();
  }
}

export function isDone(x: FileMatches | SearchDone): x is SearchDone {
  return (x as SearchDone).done === true;
}

const META = /[\\.+*?()|[\]{}^$]/g;

/** The browser's rendition of the server's expression, for highlighting and the replace preview. */
export function toRegExp(q: Pick<SearchQuery, 'query' | 'regex' | 'caseSensitive' | 'wholeWord'>) {
  const core = q.regex ? q.query : q.query.replace(META, '\\$&');
  const source = q.wholeWord ? `\\b(?:${core})\\b` : core;
  try {
    return new RegExp(source, q.caseSensitive ? 'g' : 'gi');
  } catch {
    return null;
  }
}

/**
 * What a match's text becomes after the replace: `$1` names a group of a regular expression; plain text is replaced
 * as typed. Only the match itself changes, as on the server.
 */
export function previewReplace(
  m: SearchMatch,
  q: Pick<SearchQuery, 'query' | 'regex' | 'caseSensitive' | 'wholeWord'>,
  replacement: string,
): { before: string; matched: string; after: string; replaced: string } {
  const start = m.column - 1 - m.textOffset;
  const before = m.text.slice(0, Math.max(0, start));
  const matched = m.text.slice(Math.max(0, start), start + m.length);
  const after = m.text.slice(start + m.length);
  const re = toRegExp(q);
  let replaced = replacement;
  if (re && q.regex) {
    re.lastIndex = 0;
    const one = new RegExp(re.source, re.flags.replace('g', ''));
    replaced = matched.replace(one, replacement.replace(/\$\{(\w+)\}/g, '$<$1>'));
  }
  return { before, matched, after, replaced };
}
