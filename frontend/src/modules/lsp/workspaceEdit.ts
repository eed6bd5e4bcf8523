import type * as lsp from 'vscode-languageserver-protocol';
import { pathOfWorkspaceUri } from './languages';

/** Where an edit lands: the buffer of an open tab, or the file on disk through the files API. */
export interface EditTarget {
  /** The model of an open tab, or null when the file is not open (then it is edited on disk). */
  openModel(path: string): { applyEdits(edits: lsp.TextEdit[]): void } | null;
  readFile(path: string): Promise<{ content: string; etag: string | null }>;
  /** With If-Match: a file changed since it was read is refused, not overwritten. */
  writeFile(path: string, content: string, etag: string | null): Promise<unknown>;
  /** A closed file was rewritten (a hidden model of it may need the new text). */
  written?(path: string, content: string): void;
}

export interface ApplyResult {
  applied: boolean;
  /** Paths that could not be changed (outside the project, or the write failed), with why. */
  failures: { path: string; reason: string }[];
}

/** The text edits of a WorkspaceEdit grouped by project path; file creates/renames/deletes are refused. */
export function textEditsByPath(edit: lsp.WorkspaceEdit): {
  byPath: Map<string, lsp.TextEdit[]>;
  refused: string[];
} {
  const byPath = new Map<string, lsp.TextEdit[]>();
  const refused: string[] = [];
  const add = (uri: string, edits: lsp.TextEdit[]) => {
    const path = pathOfWorkspaceUri(uri);
    if (path === null) {
      refused.push(uri);
      return;
    }
    byPath.set(path, [...(byPath.get(path) ?? []), ...edits]);
  };
  if (edit.documentChanges) {
    for (const change of edit.documentChanges) {
      if ('textDocument' in change) add(change.textDocument.uri, change.edits as lsp.TextEdit[]);
      else refused.push('uri' in change ? change.uri : change.oldUri);
    }
  } else if (edit.changes) {
    for (const [uri, edits] of Object.entries(edit.changes)) add(uri, edits);
  }
  return { byPath, refused };
}

/** Applies LSP text edits (UTF-16 positions, non-overlapping) to a string. */
export function applyTextEdits(text: string, edits: lsp.TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: lsp.Position) => {
    if (p.line >= lineStarts.length) return text.length;
    const start = lineStarts[p.line];
    const end = p.line + 1 < lineStarts.length ? lineStarts[p.line + 1] - 1 : text.length;
    return Math.min(start + p.character, end);
  };
  const sorted = edits
    .map((e, i) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText, i }))
    .sort((a, b) => b.start - a.start || b.i - a.i);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Applies a server's WorkspaceEdit (rename, code action, workspace/applyEdit): open files change in
 * their buffer (undoable, left unsaved for the user to review), closed files are read and written
 * through the files API with the ETag they were read with.
 */
export async function applyWorkspaceEdit(
  edit: lsp.WorkspaceEdit,
  target: EditTarget,
): Promise<ApplyResult> {
  const { byPath, refused } = textEditsByPath(edit);
  const failures = refused.map((path) => ({
    path,
    reason: 'Only text edits inside the project are applied.',
  }));
  for (const [path, edits] of byPath) {
    const model = target.openModel(path);
    if (model) {
      model.applyEdits(edits);
      continue;
    }
    try {
      const { content, etag } = await target.readFile(path);
      const next = applyTextEdits(content, edits);
      await target.writeFile(path, next, etag);
      target.written?.(path, next);
    } catch (e) {
      failures.push({ path, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { applied: failures.length === 0, failures };
}
