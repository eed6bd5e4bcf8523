import type { ProposedEdit } from '../api/types';

/** What applying one proposed edit means for the file API. */
export type EditPlan =
  | { kind: 'write'; path: string; original: string; modified: string; existed: boolean }
  | { kind: 'delete'; path: string; original: string };

/** A proposal that cannot be planned (it carries no content). */
export class EditPlanError extends Error {}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Works out original and proposed text for one edit (proposals carry whole contents, never diffs). `current` is the file's content, or null if it does not exist. */
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
  throw new EditPlanError(`The proposal for ${edit.path} carries no content.`);
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
