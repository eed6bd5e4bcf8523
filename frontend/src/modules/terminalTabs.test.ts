import { describe, expect, it } from 'vitest';
import { findLocalUrls, loadTabs, restoreTabs, saveTabs } from './terminalTabs';

const counter = () => {
  let n = 1;
  return () => n++;
};

describe('terminal tabs', () => {
  it('after a reload, reopens every listed session, the ones this browser had first in order', () => {
    const stored = [
      { sessionId: 'b', title: 'server' },
      { sessionId: 'gone', title: 'old' },
      { sessionId: 'a', title: null },
    ];
    const listed = [
      { id: 'a', title: 'bash', createdAt: '2026-01-01T00:00:01Z' },
      { id: 'c', title: 'other', createdAt: '2026-01-01T00:00:03Z' },
      { id: 'b', title: 'server', createdAt: '2026-01-01T00:00:02Z' },
      { id: 'd', title: '', createdAt: '2026-01-01T00:00:00Z' },
    ];
    const tabs = restoreTabs(stored, listed, counter());
    expect(tabs.map((t) => t.sessionId)).toEqual(['b', 'a', 'd', 'c']);
    expect(tabs.map((t) => t.title)).toEqual(['server', 'bash', null, 'other']);
    expect(new Set(tabs.map((t) => t.key)).size).toBe(4);
  });

  it('with no session left, one new terminal', () => {
    const tabs = restoreTabs([{ sessionId: 'x', title: null }], [], counter());
    expect(tabs).toEqual([{ key: 1, sessionId: null, title: null }]);
  });

  it('stores only named sessions, per project, and survives garbage in storage', () => {
    saveTabs('p1', [
      { key: 1, sessionId: 's1', title: 't' },
      { key: 2, sessionId: null, title: null },
    ]);
    expect(loadTabs('p1')).toEqual([{ sessionId: 's1', title: 't' }]);
    expect(loadTabs('p2')).toEqual([]);
    localStorage.setItem('constellation.terminals.p3', '{not json');
    expect(loadTabs('p3')).toEqual([]);
  });
});

describe('findLocalUrls', () => {
  it('finds the URLs a server prints, with port and path', () => {
    const [a] = findLocalUrls('listening on http://localhost:3000');
    expect(a).toMatchObject({ port: 3000, path: '/', text: 'http://localhost:3000', start: 13 });
    expect(a.end).toBe(13 + 'http://localhost:3000'.length);
    const [b] = findLocalUrls('  ➜  Local:   http://127.0.0.1:5173/app/?x=1.');
    expect(b).toMatchObject({
      port: 5173,
      path: '/app/?x=1',
      text: 'http://127.0.0.1:5173/app/?x=1',
    });
    expect(findLocalUrls('http://0.0.0.0:8080/ and http://[::1]:9000/x')).toMatchObject([
      { port: 8080, path: '/' },
      { port: 9000, path: '/x' },
    ]);
    expect(findLocalUrls('http://localhost/')[0].port).toBe(80);
  });

  it('ignores other hosts and impossible ports', () => {
    expect(
      findLocalUrls('see https://example.com:3000/ and http://localhost.evil.com:3000'),
    ).toEqual([]);
    expect(findLocalUrls('http://localhost:99999')).toEqual([]);
  });
});
