import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { BufferStore } from './buffers';

let n = 0;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freshStore = () => createStore(`test-buffers-${++n}`, 'buffers');

describe('BufferStore', () => {
  it('keeps the last content of a dirty buffer after a pause, with its base ETag', async () => {
    const store = freshStore();
    const b = new BufferStore('u1', 'p1', 300, store);
    b.keep('src/a.ts', 'one', '"e1"');
    b.keep('src/a.ts', 'one two', '"e1"');
    expect(await b.buffers()).toEqual([]);
    await pause(400);

    const again = new BufferStore('u1', 'p1', 300, store);
    const kept = await again.buffers();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ path: 'src/a.ts', content: 'one two', baseEtag: '"e1"' });
  });

  it('forgets a buffer once it is saved or discarded, even one still waiting to be written', async () => {
    const store = freshStore();
    const b = new BufferStore('u1', 'p1', 300, store);
    b.keep('a.txt', 'x', null);
    await b.flush();
    b.keep('a.txt', 'xy', null);
    await b.drop('a.txt');
    await pause(400);

    expect(await new BufferStore('u1', 'p1', 300, store).buffers()).toEqual([]);
  });

  it('never shows one user the buffers or tabs of another, nor another project', async () => {
    const store = freshStore();
    const mine = new BufferStore('u1', 'p1', 300, store);
    mine.keep('a.txt', 'secret', null);
    await mine.flush();
    await mine.saveTabs({ paths: ['a.txt'], active: 'a.txt' });

    expect(await new BufferStore('u2', 'p1', 300, store).buffers()).toEqual([]);
    expect(await new BufferStore('u2', 'p1', 300, store).tabs()).toBeNull();
    expect(await new BufferStore('u1', 'p2', 300, store).buffers()).toEqual([]);
    // an id that is a prefix of another's does not match it
    expect(await new BufferStore('u', 'p1', 300, store).buffers()).toEqual([]);
  });

  it('keeps the open tabs and the active one', async () => {
    const store = freshStore();
    await new BufferStore('u1', 'p1', 300, store).saveTabs({
      paths: ['a.txt', 'b/c.ts'],
      active: 'b/c.ts',
    });
    expect(await new BufferStore('u1', 'p1', 300, store).tabs()).toEqual({
      paths: ['a.txt', 'b/c.ts'],
      active: 'b/c.ts',
    });
  });
});
