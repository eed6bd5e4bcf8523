import type { TerminalSessionInfo } from '../api/types';

/** A terminal tab: `sessionId` is null until the server names the session it created. */
export interface TermTab {
  key: number;
  sessionId: string | null;
  title: string | null;
}

interface Stored {
  sessionId: string;
  title: string | null;
}

const storageKey = (projectId: string) => `constellation.terminals.${projectId}`;

/** The project's open tabs as this browser last saw them (order and titles). */
export function loadTabs(projectId: string, storage: Storage = localStorage): Stored[] {
  try {
    const raw = JSON.parse(storage.getItem(storageKey(projectId)) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (t): t is Stored => !!t && typeof (t as Stored).sessionId === 'string',
    ) as Stored[];
  } catch {
    return [];
  }
}

export function saveTabs(projectId: string, tabs: TermTab[], storage: Storage = localStorage) {
  const stored: Stored[] = tabs
    .filter((t) => t.sessionId)
    .map((t) => ({ sessionId: t.sessionId!, title: t.title }));
  try {
    storage.setItem(storageKey(projectId), JSON.stringify(stored));
  } catch {
    /* storage full or blocked: tabs are still restored from the server's list */
  }
}

/**
 * The tabs to show after a reload: every session the server lists — the ones this browser had open
 * first, in their old order — and, when there is none, one new terminal.
 */
export function restoreTabs(
  stored: Stored[],
  listed: TerminalSessionInfo[],
  nextKey: () => number,
): TermTab[] {
  const byId = new Map(listed.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const out: TermTab[] = [];
  for (const s of stored) {
    const live = byId.get(s.sessionId);
    if (!live || seen.has(s.sessionId)) continue;
    seen.add(s.sessionId);
    out.push({ key: nextKey(), sessionId: s.sessionId, title: live.title || s.title });
  }
  const rest = listed
    .filter((s) => !seen.has(s.id))
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  for (const s of rest) out.push({ key: nextKey(), sessionId: s.id, title: s.title || null });
  if (out.length === 0) out.push({ key: nextKey(), sessionId: null, title: null });
  return out;
}

/**
 * `http://localhost:3000/x`, `http://127.0.0.1:3000`, `0.0.0.0` and `[::1]` in terminal output:
 * where a workspace's server says it listens. Gives each match's port, path and column range.
 */
export function findLocalUrls(
  line: string,
): { start: number; end: number; port: number; path: string; text: string }[] {
  const re =
    /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\])(?::(\d{1,5}))?(?=$|[/\s'"<>`)\]]|[.,;:!?](?:\s|$))(\/[^\s'"<>`)\]]*)?/g;
  const out: { start: number; end: number; port: number; path: string; text: string }[] = [];
  for (let m = re.exec(line); m; m = re.exec(line)) {
    let text = m[0];
    // Trailing punctuation belongs to the sentence, not the URL.
    while (/[.,;:!?]$/.test(text)) text = text.slice(0, -1);
    const port = m[1] ? Number(m[1]) : text.startsWith('https') ? 443 : 80;
    if (port < 1 || port > 65535) continue;
    const path = (m[2] ?? '/').slice(0, (m[2] ?? '/').length - (m[0].length - text.length)) || '/';
    out.push({ start: m.index, end: m.index + text.length, port, path, text });
  }
  return out;
}
