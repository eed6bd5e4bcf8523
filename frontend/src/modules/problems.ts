import { useSyncExternalStore } from 'react';

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One diagnostic as the Problems panel and the status bar show it; lines and columns are 1-based. */
export interface Problem {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: ProblemSeverity;
  message: string;
  source?: string;
  code?: string;
  /** The language server that reported it (`typescript`, `python`, …). */
  origin: string;
}

export interface ProblemCounts {
  errors: number;
  warnings: number;
  /** Infos and hints together. */
  others: number;
}

const RANK: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * Diagnostics of the open project across files and language servers. Each server owns its own
 * entries (it republishes a file's whole list each time), so one server going away clears only
 * what it reported. Kept in its own module so the status bar can count without knowing LSP.
 */
export class ProblemStore {
  private readonly entries = new Map<string, Problem[]>();
  private readonly listeners = new Set<() => void>();
  private list: Problem[] = [];
  private counts: ProblemCounts = { errors: 0, warnings: 0, others: 0 };

  set(origin: string, path: string, problems: Problem[]) {
    const key = `${origin}\u0000${path}`;
    if (problems.length === 0 && !this.entries.has(key)) return;
    if (problems.length === 0) this.entries.delete(key);
    else this.entries.set(key, problems);
    this.changed();
  }

  clearOrigin(origin: string) {
    let any = false;
    for (const key of [...this.entries.keys()])
      if (key.startsWith(`${origin}\u0000`)) any = this.entries.delete(key) || any;
    if (any) this.changed();
  }

  clear() {
    if (this.entries.size === 0) return;
    this.entries.clear();
    this.changed();
  }

  /** Sorted by file, then severity, then position; the same array until something changes. */
  all(): Problem[] {
    return this.list;
  }

  count(): ProblemCounts {
    return this.counts;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private changed() {
    this.list = [...this.entries.values()]
      .flat()
      .sort(
        (a, b) =>
          a.path.localeCompare(b.path) ||
          RANK[a.severity] - RANK[b.severity] ||
          a.line - b.line ||
          a.column - b.column,
      );
    const c = { errors: 0, warnings: 0, others: 0 };
    for (const p of this.list) {
      if (p.severity === 'error') c.errors++;
      else if (p.severity === 'warning') c.warnings++;
      else c.others++;
    }
    this.counts = c;
    this.listeners.forEach((fn) => fn());
  }
}

/** The one store of the IDE page (one project is open per browser tab). */
export const problems = new ProblemStore();

export function useProblems(store: ProblemStore = problems): Problem[] {
  return useSyncExternalStore(store.subscribe, () => store.all());
}

/** For the status bar: errors, warnings and the rest across the project. */
export function useProblemCounts(store: ProblemStore = problems): ProblemCounts {
  return useSyncExternalStore(store.subscribe, () => store.count());
}
