import { describe, expect, it } from 'vitest';
import { onDiskChange } from './diskSync';

describe('onDiskChange', () => {
  it('refreshes a clean tab with the new text', () => {
    expect(
      onDiskChange({ etag: '"1"', dirty: false }, 'old', { content: 'new', etag: '"2"' }),
    ).toEqual({
      kind: 'refresh',
      etag: '"2"',
      content: 'new',
    });
  });

  it('marks a dirty tab "changed on disk" and keeps the edit', () => {
    expect(
      onDiskChange({ etag: '"1"', dirty: true }, 'mine', { content: 'theirs', etag: '"2"' }),
    ).toEqual({
      kind: 'changed',
      etag: '"2"',
      content: 'theirs',
    });
  });

  it('marks a tab whose file is gone as deleted, dirty or not', () => {
    expect(onDiskChange({ etag: '"1"', dirty: true }, 'mine', null)).toEqual({ kind: 'deleted' });
    expect(onDiskChange({ etag: '"1"', dirty: false }, 'x', null)).toEqual({ kind: 'deleted' });
  });

  it('ignores its own save coming back as an event', () => {
    expect(onDiskChange({ etag: '"2"', dirty: false }, 'x', { content: 'x', etag: '"2"' })).toEqual(
      {
        kind: 'same',
      },
    );
  });

  it('takes the new ETag when the disk holds exactly the editor text (no false conflict)', () => {
    expect(
      onDiskChange({ etag: '"1"', dirty: true }, 'same', { content: 'same', etag: '"3"' }),
    ).toEqual({
      kind: 'in-sync',
      etag: '"3"',
      content: 'same',
    });
  });
});
