import type { ProposedEdit } from '../api/types';

/** What applying one proposed edit means for the file API. */
export type EditPlan =
  | { kind: 'write'; path: string; original: string; modified: string; existed: boolean }
  | { kind: 'delete'; path: string; original: string };

export class PatchError extends Error {}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Applies a unified diff (the `@@ -a,b +c,d @@` hunks of `diff -u` / git) to `original`.
 * Context and removed lines must match, otherwise PatchError: a stale diff is never half-applied.
 */
export function applyUnifiedDiff(original: string, diff: string): string {
  const src = splitLines(original.replace(/\r\n/g, '\n'));
  const out: string[] = [];
  const lines = diff.replace(/\r\n/g, '\n').split('\n');
  let pos = 0; // index into src
  let sawHunk = false;
  let noFinalNewline = original !== '' && !original.endsWith('\n');
  let i = 0;
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i]);
    if (!header) {
      i++;
      continue;
    }
    sawHunk = true;
    const oldStart = Number(header[1]);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const start = oldCount === 0 ? oldStart : oldStart - 1;
    if (start < pos) throw new PatchError('Hunks overlap or are out of order.');
    while (pos < start) {
      if (pos >= src.length)
        throw new PatchError(`Hunk starts after the end of the file (line ${oldStart}).`);
      out.push(src[pos++]);
    }
    i++;
    for (; i < lines.length && !lines[i].startsWith('@@'); i++) {
      const l = lines[i];
      if (l.startsWith('\\')) {
        // "\ No newline at end of file" applies to the line before it.
        const prev = lines[i - 1] ?? '';
        if (prev.startsWith('+') || prev.startsWith(' ')) noFinalNewline = true;
        else if (prev.startsWith('-')) noFinalNewline = false;
        continue;
      }
      const tag = l[0];
      const text = l.slice(1);
      if (tag === ' ' || (l === '' && i < lines.length - 1)) {
        if (src[pos] !== text) throw new PatchError(`Context does not match at line ${pos + 1}.`);
        out.push(src[pos++]);
      } else if (tag === '-') {
        if (src[pos] !== text)
          throw new PatchError(`Removed line does not match at line ${pos + 1}.`);
        pos++;
      } else if (tag === '+') {
        out.push(text);
      } else if (l.startsWith('---') || l.startsWith('+++') || l.startsWith('diff ')) {
        break;
      }
    }
  }
  if (!sawHunk) throw new PatchError('The diff has no hunks.');
  while (pos < src.length) out.push(src[pos++]);
  if (out.length === 0) return '';
  return out.join('\n') + (noFinalNewline ? '' : '\n');
}

/** Works out original and proposed text for one edit. `current` is the file's content, or null if it does not exist. */
export function planEdit(edit: ProposedEdit, current: string | null): EditPlan {
  const original = current ?? '';
  if (edit.action === 'delete') return { kind: 'delete', path: edit.path, original };
  if (typeof edit.content === 'string') {
    return {
      kind: 'write',
      path: edit.path,
      original,
      modified: edit.content,
      existed: current !== null,
    };
  }
  if (typeof edit.diff === 'string' && edit.diff.trim()) {
    return {
      kind: 'write',
      path: edit.path,
      original,
      modified: applyUnifiedDiff(original, edit.diff),
      existed: current !== null,
    };
  }
  throw new PatchError(`The proposal for ${edit.path} has neither content nor a diff.`);
}

/** Lines added and removed between two texts (LCS; large inputs fall back to a trimmed comparison). */
export function diffStats(a: string, b: string): { added: number; removed: number } {
  let x = splitLines(a);
  let y = splitLines(b);
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (
    tail < x.length - head &&
    tail < y.length - head &&
    x[x.length - 1 - tail] === y[y.length - 1 - tail]
  )
    tail++;
  x = x.slice(head, x.length - tail);
  y = y.slice(head, y.length - tail);
  if (x.length * y.length > 4_000_000) return { added: y.length, removed: x.length };
  let prev = new Uint32Array(y.length + 1);
  let cur = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      cur[j] = x[i - 1] === y[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  const common = prev[y.length];
  return { added: y.length - common, removed: x.length - common };
}
