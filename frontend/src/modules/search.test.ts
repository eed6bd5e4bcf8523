import { describe, expect, it } from 'vitest';
import { isDone, previewReplace, readSearch, toRegExp, type SearchMatch } from './search';

const streamOf = (chunks: string[]) => {
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(c) {
      chunks.forEach((s) => c.enqueue(enc.encode(s)));
      c.close();
    },
  });
};

describe('readSearch', () => {
  it('yields each NDJSON line as it completes, whatever the chunking', async () => {
    const file = { path: 'a.ts', etag: '"e"', matches: [] };
    const done = { done: true, files: 1, matches: 0 };
    const text = JSON.stringify(file) + '\n' + JSON.stringify(done) + '\n';
    const got = [];
    for await (const item of readSearch(
      streamOf([text.slice(0, 7), text.slice(7, 40), text.slice(40)]),
    ))
      got.push(item);
    expect(got).toEqual([file, done]);
    expect(isDone(got[1] as never)).toBe(true);
    expect(isDone(got[0] as never)).toBe(false);
  });
});

describe('previewReplace', () => {
  const m: SearchMatch = {
    line: 1,
    column: 12,
    length: 6,
    text: 'x = 1; foo(bar) + 2',
    textOffset: 4,
  };
  it('shows the match and what a regular expression with a group makes of it', () => {
    const p = previewReplace(
      m,
      { query: 'fo(o)\\(', regex: true, caseSensitive: true, wholeWord: false },
      'X$1[',
    );
    expect(p.before).toBe('x = 1; ');
    expect(p.matched).toBe('foo(ba');
    expect(p.replaced).toBe('Xo[ba');
  });
  it('takes plain replacement text as typed', () => {
    const p = previewReplace(
      { ...m, length: 3 },
      { query: 'foo', regex: false, caseSensitive: false, wholeWord: true },
      '$1',
    );
    expect(p.matched).toBe('foo');
    expect(p.replaced).toBe('$1');
  });
  it('escapes literal text and wraps whole words like the server', () => {
    expect(
      toRegExp({ query: 'a.b', regex: false, caseSensitive: false, wholeWord: true })!.source,
    ).toBe('\\b(?:a\\.b)\\b');
    expect(
      toRegExp({ query: '(', regex: true, caseSensitive: false, wholeWord: false }),
    ).toBeNull();
  });
});
