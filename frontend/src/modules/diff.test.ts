import { describe, expect, it } from 'vitest';
import { diffStats, EditPlanError, planEdit } from './diff';

const original = 'line1\nline2\nline3\nline4\nline5\n';

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
  it('plans a delete', () => {
    expect(planEdit({ path: 'f', action: 'delete' }, 'bye\n')).toEqual({
      kind: 'delete',
      path: 'f',
      original: 'bye\n',
    });
  });
  it('refuses an edit without content', () => {
    expect(() => planEdit({ path: 'f', action: 'modify' }, 'x')).toThrow(EditPlanError);
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
