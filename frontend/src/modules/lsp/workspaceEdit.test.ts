import { describe, expect, it, vi } from 'vitest';
import { applyTextEdits, applyWorkspaceEdit } from './workspaceEdit';

const at = (line: number, character: number) => ({ line, character });

describe('applyWorkspaceEdit', () => {
  it('edits open buffers in place and closed files through the files API with their ETag', async () => {
    const open = { applyEdits: vi.fn() };
    const writeFile = vi.fn(async () => ({}));
    const written = vi.fn();
    const result = await applyWorkspaceEdit(
      {
        changes: {
          'file:///workspace/src/a.ts': [
            { range: { start: at(0, 6), end: at(0, 9) }, newText: 'total' },
          ],
          'file:///workspace/src/b%20c.ts': [
            { range: { start: at(0, 9), end: at(0, 12) }, newText: 'total' },
            { range: { start: at(1, 0), end: at(1, 3) }, newText: 'total' },
          ],
        },
      },
      {
        openModel: (path) => (path === 'src/a.ts' ? open : null),
        readFile: async (path) => {
          expect(path).toBe('src/b c.ts');
          return { content: 'import { sum } from "./a";\nsum(1);\n', etag: '"e1"' };
        },
        writeFile,
        written,
      },
    );
    expect(result).toEqual({ applied: true, failures: [] });
    expect(open.applyEdits).toHaveBeenCalledWith([
      { range: { start: at(0, 6), end: at(0, 9) }, newText: 'total' },
    ]);
    expect(writeFile).toHaveBeenCalledWith(
      'src/b c.ts',
      'import { total } from "./a";\ntotal(1);\n',
      '"e1"',
    );
    expect(written).toHaveBeenCalledWith('src/b c.ts', 'import { total } from "./a";\ntotal(1);\n');
  });

  it('refuses edits outside the project and file operations, and reports a refused write', async () => {
    const writeFile = vi.fn(async () => {
      throw new Error('The file changed since it was read.');
    });
    const result = await applyWorkspaceEdit(
      {
        documentChanges: [
          { kind: 'delete', uri: 'file:///workspace/x.ts' },
          {
            textDocument: { uri: 'file:///etc/passwd', version: 1 },
            edits: [{ range: { start: at(0, 0), end: at(0, 0) }, newText: 'x' }],
          },
          {
            textDocument: { uri: 'file:///workspace/../etc/passwd', version: 1 },
            edits: [{ range: { start: at(0, 0), end: at(0, 0) }, newText: 'x' }],
          },
          {
            textDocument: { uri: 'file:///workspace/ok.ts', version: 1 },
            edits: [{ range: { start: at(0, 0), end: at(0, 0) }, newText: 'x' }],
          },
        ],
      },
      { openModel: () => null, readFile: async () => ({ content: '', etag: '"1"' }), writeFile },
    );
    expect(result.applied).toBe(false);
    expect(result.failures.map((f) => f.path)).toEqual([
      'file:///workspace/x.ts',
      'file:///etc/passwd',
      'file:///workspace/../etc/passwd',
      'ok.ts',
    ]);
    expect(writeFile).toHaveBeenCalledTimes(1);
  });
});

describe('applyTextEdits', () => {
  it('applies edits given in any order against the original text', () => {
    const text = 'ab\ncd\n';
    expect(
      applyTextEdits(text, [
        { range: { start: at(1, 1), end: at(1, 2) }, newText: 'X' },
        { range: { start: at(0, 0), end: at(0, 1) }, newText: 'Y' },
        { range: { start: at(2, 0), end: at(2, 0) }, newText: 'end' },
      ]),
    ).toBe('Yb\ncX\nend');
  });
});
