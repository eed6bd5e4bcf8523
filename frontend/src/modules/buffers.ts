import { createStore, del, get, keys, set, getMany, type UseStore } from 'idb-keyval';

/** An edit not saved yet, kept in IndexedDB until it is saved or discarded. */
export interface StoredBuffer {
  path: string;
  content: string;
  /** The ETag the edit started from: saving it later still detects a change made meanwhile. */
  baseEtag: string | null;
  savedAt: number;
}

/** The open tabs of a project and the active one. */
export interface StoredTabs {
  paths: string[];
  active: string | null;
}

let defaultStore: UseStore | null = null;
const storeOf = (store?: UseStore) =>
  store ?? (defaultStore ??= createStore('constellation-buffers', 'buffers'));

// Keys are arrays so that one user's entries are never matched by a prefix of another's id.
type Key = ['buffer', string, string, string] | ['tabs', string, string];

const isKey = (k: IDBValidKey): k is IDBValidKey[] => Array.isArray(k);

/**
 * The unsaved buffers and open tabs of one user in one project, in this browser. They outlive a
 * reload, a crash and a sign-out (nothing here is deleted when the session ends); another user
 * signing in on the same browser never sees them, as every key holds the user's id. Writes are
 * debounced per file: typing costs one IndexedDB write per pause, not per key.
 */
export class BufferStore {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly pending = new Map<string, () => Promise<void>>();

  constructor(
    private readonly userId: string,
    private readonly projectId: string,
    private readonly delayMs = 300,
    private readonly store?: UseStore,
  ) {}

  private key(path: string): Key {
    return ['buffer', this.userId, this.projectId, path];
  }

  /** Keeps `content` as the unsaved state of `path` (after a short pause in typing). */
  keep(path: string, content: string, baseEtag: string | null) {
    this.schedule(path, () =>
      set(this.key(path), { path, content, baseEtag, savedAt: Date.now() }, storeOf(this.store)),
    );
  }

  /** The buffer was saved or discarded: forget it (and any write still waiting). */
  drop(path: string): Promise<void> {
    this.cancel(path);
    return del(this.key(path), storeOf(this.store)).catch(() => undefined);
  }

  /** Writes whatever is waiting now (before the page goes away). */
  async flush(): Promise<void> {
    const waiting = [...this.pending.entries()];
    for (const [path] of waiting) this.cancel(path);
    await Promise.all(waiting.map(([, write]) => write().catch(() => undefined)));
  }

  async buffers(): Promise<StoredBuffer[]> {
    const store = storeOf(this.store);
    const mine = (await keys(store)).filter(
      (k) =>
        isKey(k) &&
        k[0] === 'buffer' &&
        k[1] === this.userId &&
        k[2] === this.projectId &&
        k.length === 4,
    );
    const values = await getMany<StoredBuffer | undefined>(mine, store);
    return values.filter((v): v is StoredBuffer => !!v && typeof v.content === 'string');
  }

  saveTabs(tabs: StoredTabs): Promise<void> {
    return set(['tabs', this.userId, this.projectId], tabs, storeOf(this.store)).catch(
      () => undefined,
    );
  }

  async tabs(): Promise<StoredTabs | null> {
    try {
      const t = await get<StoredTabs>(['tabs', this.userId, this.projectId], storeOf(this.store));
      return t && Array.isArray(t.paths) ? t : null;
    } catch {
      return null;
    }
  }

  private schedule(path: string, write: () => Promise<void>) {
    this.cancel(path);
    this.pending.set(path, write);
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        this.pending.delete(path);
        // storage full or blocked (private mode): the editor still works, only without the net
        write().catch(() => undefined);
      }, this.delayMs),
    );
  }

  private cancel(path: string) {
    const t = this.timers.get(path);
    if (t) clearTimeout(t);
    this.timers.delete(path);
    this.pending.delete(path);
  }
}
