import { describe, expect, it } from 'vitest';
import { applyUnifiedDiff, diffStats, PatchError, planEdit } from './diff';

const original = 'line1\nline2\nline3\nline4\nline5\n';

describe('applyUnifiedDiff', () => {
  it('applies a one-hunk change', () => {
    const diff = '--- a/f\n+++ b/f\n@@ -2,3 +2,3 @@\n line2\n-line3\n+LINE3\n line4\n';
    expect(applyUnifiedDiff(original, diff)).toBe('line1\nline2\nLINE3\nline4\nline5\n');
  });

  it('applies several hunks, additions and deletions', () => {
    const diff = '@@ -1,2 +1,3 @@\n+header\n line1\n line2\n@@ -4,2 +5,1 @@\n line4\n-line5\n';
    expect(applyUnifiedDiff(original, diff)).toBe('header\nline1\nline2\nline3\nline4\n');
  });

  it('creates a file from an empty original', () => {
    expect(applyUnifiedDiff('', '--- /dev/null\n+++ b/new\n@@ -0,0 +1,2 @@\n+a\n+b\n')).toBe(
      'a\nb\n',
    );
  });

  it('honours "No newline at end of file"', () => {
    expect(
      applyUnifiedDiff(
        'a\nb',
        '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
      ),
    ).toBe('a\nc');
  });

  it('refuses a diff whose context no longer matches', () => {
    expect(() => applyUnifiedDiff(original, '@@ -2,2 +2,2 @@\n lineX\n-line3\n+y\n')).toThrow(
      PatchError,
    );
  });

  it('refuses text with no hunks', () => {
    expect(() => applyUnifiedDiff(original, 'just words')).toThrow(PatchError);
  });
});

describe('planEdit', () => {
  it('uses full content when given', () => {
    expect(planEdit({ path: 'a.js', action: 'modify', content: 'new\n' }, 'old\n')).toEqual({
      kind: 'write',
      path: 'a.js',
      original: 'old\n',
      modified: 'new\n',
      existed: true,
    });
  });
  it('creates a missing file', () => {
    expect(planEdit({ path: 'n.js', action: 'create', content: 'x' }, null)).toMatchObject({
      kind: 'write',
      original: '',
      existed: false,
    });
  });
  it('applies a diff when there is no content', () => {
    expect(
      planEdit(
        { path: 'f', action: 'modify', diff: '@@ -1,1 +1,1 @@\n-line1\n+first\n' },
        original,
      ),
    ).toMatchObject({ modified: 'first\nline2\nline3\nline4\nline5\n' });
  });
  it('plans a delete', () => {
    expect(planEdit({ path: 'f', action: 'delete' }, 'bye\n')).toEqual({
      kind: 'delete',
      path: 'f',
      original: 'bye\n',
    });
  });
  it('refuses an edit with neither content nor diff', () => {
    expect(() => planEdit({ path: 'f', action: 'modify' }, 'x')).toThrow(PatchError);
  });
});

describe('diffStats', () => {
  it('counts added and removed lines', () => {
    expect(diffStats(original, 'line1\nchanged\nline3\nline4\nline5\nline6\n')).toEqual({
      added: 2,
      removed: 1,
    });
    expect(diffStats('', 'a\nb\n')).toEqual({ added: 2, removed: 0 });
    expect(diffStats(original, original)).toEqual({ added: 0, removed: 0 });
  });
});
