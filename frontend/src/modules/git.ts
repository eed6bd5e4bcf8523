import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { api, type ApiClient } from '../api/client';
import { ApiError } from '../api/problem';

// Source control (issue 10) as docs/api-contract.md describes it. Written by hand until `make gen`
// runs against the workspace-service with the git routes; this file is the one place that knows them.

/** A letter from `git status --porcelain=v2`: M A D R C U ?, or `.` for unchanged. */
export type GitLetter = 'M' | 'A' | 'D' | 'R' | 'C' | 'U' | '?' | '.' | (string & {});

export interface GitFile {
  path: string;
  origPath?: string | null;
  index: GitLetter;
  worktree: GitLetter;
  conflicted: boolean;
}
export interface GitStatus {
  repository: boolean;
  branch?: string | null;
  detached?: boolean;
  upstream?: string | null;
  ahead?: number;
  behind?: number;
  merging?: boolean;
  rebasing?: boolean;
  files?: GitFile[];
}
export interface GitHunk {
  index: number;
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}
export interface GitDiff {
  path: string;
  original: string;
  modified: string;
  binary: boolean;
  hunks?: GitHunk[];
}
export interface GitCommit {
  sha: string;
  parents?: string[];
  author: string;
  email?: string;
  date: string;
  subject: string;
}
export interface GitBranch {
  name: string;
  remote: boolean;
  upstream?: string | null;
  sha?: string;
}
export interface GitBranches {
  current: string | null;
  branches: GitBranch[];
}
export interface GitCredential {
  id: string;
  host: string;
  kind: 'https-token' | 'ssh-key';
  username?: string | null;
  publicKey?: string | null;
  createdAt?: string;
}
export type NewGitCredential =
  | { kind: 'https-token'; host: string; username?: string; token: string }
  | { kind: 'ssh-key'; host: string };

type Options = Parameters<ApiClient['request']>[1];
const q = encodeURIComponent;

async function json<T>(path: string, opts?: Options): Promise<T> {
  const res = await api.request(path, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
const post = <T>(path: string, body?: unknown) =>
  json<T>(path, { method: 'POST', json: body ?? {} });
const base = (id: string) => `/api/projects/${q(id)}/git`;

export const git = {
  status: (id: string) => json<GitStatus>(`${base(id)}/status`),
  diff: (id: string, path: string, staged: boolean) =>
    json<GitDiff>(`${base(id)}/diff?path=${q(path)}&staged=${staged}`),
  init: (id: string) => post<unknown>(`${base(id)}/init`),
  stage: (id: string, paths: string[]) => post<unknown>(`${base(id)}/stage`, { paths }),
  unstage: (id: string, paths: string[]) => post<unknown>(`${base(id)}/unstage`, { paths }),
  stageHunks: (id: string, path: string, hunks: number[], unstage: boolean) =>
    post<unknown>(`${base(id)}/stage-hunks`, { path, hunks, unstage }),
  commit: (id: string, message: string, amend = false) =>
    post<{ sha: string; summary: string }>(`${base(id)}/commit`, { message, amend }),
  log: (id: string, limit = 50, path?: string) =>
    json<GitCommit[]>(`${base(id)}/log?limit=${limit}${path ? `&path=${q(path)}` : ''}`),
  branches: (id: string) => json<GitBranches>(`${base(id)}/branches`),
  createBranch: (id: string, name: string, checkout = true, from?: string) =>
    post<unknown>(`${base(id)}/branches`, { name, from, checkout }),
  checkout: (id: string, branch: string) => post<unknown>(`${base(id)}/checkout`, { branch }),
  // The service's records take booleans as required: always send them.
  pull: (id: string) => post<{ output?: string }>(`${base(id)}/pull`, { setUpstream: false }),
  push: (id: string, setUpstream = false) =>
    post<{ output?: string }>(`${base(id)}/push`, { setUpstream }),
  merge: (id: string, branch: string) =>
    post<{ conflicts?: string[] }>(`${base(id)}/merge`, { branch }),
  abortMerge: (id: string) => post<unknown>(`${base(id)}/merge/abort`),
  clone: (id: string, url: string, branch?: string, credentialId?: string) =>
    post<{ branch: string; head: string }>(`${base(id)}/clone`, {
      url,
      branch: branch || undefined,
      credentialId: credentialId || undefined,
    }),
  credentials: () => json<GitCredential[]>('/api/git/credentials'),
  addCredential: (body: NewGitCredential) => post<GitCredential>('/api/git/credentials', body),
  deleteCredential: (id: string) =>
    json<void>(`/api/git/credentials/${q(id)}`, { method: 'DELETE' }),
};

/** A READ on a stopped workspace answers 409 `workspace-stopped`: the UI offers Start. */
export function isWorkspaceStopped(e: unknown): boolean {
  if (!(e instanceof ApiError) || e.status !== 409) return false;
  const type = e.problem?.type ?? '';
  return type === '' || type.endsWith('workspace-stopped');
}

// ---- The shared status of a project's repository: the Source Control panel and the status bar's
// branch read the same store, which polls only while someone looks and the page is visible.

export interface GitState {
  status: GitStatus | null;
  /** The last refresh's failure (null after a success). */
  error: unknown;
  /** The workspace is stopped, so there is nothing to read. */
  stopped: boolean;
  loading: boolean;
}
const INITIAL: GitState = { status: null, error: null, stopped: false, loading: true };

/** Event the editor sends after a save; the store refreshes at once instead of at the next poll. */
export const FILE_SAVED_EVENT = 'constellation-file-saved';

export class GitStatusStore {
  private state: GitState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private inflight: Promise<void> | null = null;
  private again = false;

  constructor(
    readonly projectId: string,
    private readonly pollMs = 5000,
  ) {}

  get current(): GitState {
    return this.state;
  }

  readonly subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    if (this.listeners.size === 1) this.startPolling();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stopPolling();
    };
  };

  readonly getSnapshot = () => this.state;

  /** Reads the status again; calls made while one is running share one more read after it. */
  refresh(): Promise<void> {
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    this.inflight = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again);
    })().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async readOnce() {
    try {
      const status = await git.status(this.projectId);
      this.set({ status, error: null, stopped: false, loading: false });
    } catch (e) {
      if (isWorkspaceStopped(e))
        this.set({ status: null, error: null, stopped: true, loading: false });
      else this.set({ ...this.state, error: e, loading: false });
    }
  }

  private set(s: GitState) {
    this.state = s;
    this.listeners.forEach((l) => l());
  }

  private readonly onWake = () => {
    if (document.visibilityState === 'visible') void this.refresh();
  };

  private startPolling() {
    void this.refresh();
    window.addEventListener('focus', this.onWake);
    window.addEventListener(FILE_SAVED_EVENT, this.onWake);
    this.timer = setInterval(this.onWake, this.pollMs);
  }

  private stopPolling() {
    window.removeEventListener('focus', this.onWake);
    window.removeEventListener(FILE_SAVED_EVENT, this.onWake);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

const stores = new Map<string, GitStatusStore>();
export function gitStore(projectId: string): GitStatusStore {
  let s = stores.get(projectId);
  if (!s) {
    s = new GitStatusStore(projectId);
    stores.set(projectId, s);
  }
  return s;
}
/** Tests start each case from a fresh store. */
export function resetGitStores() {
  stores.clear();
}

export function useGitStatus(projectId: string): GitState & { refresh(): Promise<void> } {
  const store = gitStore(projectId);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const refresh = useCallback(() => store.refresh(), [store]);
  return { ...state, refresh };
}

export interface GitBranchInfo {
  branch: string | null;
  detached: boolean;
  ahead: number;
  behind: number;
}

/**
 * The current branch for the status bar: null while unknown, when the project is not a repository or
 * its workspace is stopped. Independent of whether the Source Control panel is shown.
 */
export function useGitBranch(projectId: string): GitBranchInfo | null {
  const { status } = useGitStatus(projectId);
  if (!status?.repository) return null;
  return {
    branch: status.branch ?? null,
    detached: !!status.detached,
    ahead: status.ahead ?? 0,
    behind: status.behind ?? 0,
  };
}

/** Tells the git store (and anyone else listening) that a file was saved. */
export function announceFileSaved(path: string) {
  window.dispatchEvent(new CustomEvent(FILE_SAVED_EVENT, { detail: path }));
}

/** Re-reads the status whenever the workspace becomes running (it was 409 while stopped). */
export function useRefreshWhenRunning(projectId: string, running: boolean) {
  useEffect(() => {
    if (running) void gitStore(projectId).refresh();
  }, [projectId, running]);
}

export const LETTER_TITLES: Record<string, string> = {
  M: 'Modified',
  A: 'Added',
  D: 'Deleted',
  R: 'Renamed',
  C: 'Copied',
  U: 'Conflict (unmerged)',
  '?': 'Untracked',
};

/** Groups a status's files as the panel shows them: conflicts, staged, and working-tree changes. */
export function groupFiles(files: GitFile[]) {
  const merge: GitFile[] = [];
  const staged: GitFile[] = [];
  const changes: GitFile[] = [];
  for (const f of files) {
    if (f.conflicted) merge.push(f);
    else {
      if (f.index !== '.' && f.index !== '?') staged.push(f);
      if (f.worktree !== '.') changes.push(f);
    }
  }
  const byPath = (a: GitFile, b: GitFile) => a.path.localeCompare(b.path);
  return { merge: merge.sort(byPath), staged: staged.sort(byPath), changes: changes.sort(byPath) };
}
