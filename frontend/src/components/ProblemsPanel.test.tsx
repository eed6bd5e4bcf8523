import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { problems } from '../modules/problems';
import { ProblemsPanel } from './ProblemsPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  problems.clear();
});

const problem = (path: string, line: number, severity: 'error' | 'warning', message: string) => ({
  path,
  line,
  column: 3,
  endLine: line,
  endColumn: 5,
  severity,
  message,
  origin: 'typescript',
});

const rows = () => [...host.querySelectorAll<HTMLButtonElement>('[data-testid="problem"]')];

describe('ProblemsPanel', () => {
  it('lists problems across files with a count, and a click opens the file at the line', () => {
    const onOpen = vi.fn();
    act(() => root.render(<ProblemsPanel onOpen={onOpen} servers={{ python: 'connecting' }} />));
    expect(host.textContent).toContain('No problems found in open files.');
    act(() => {
      problems.set('typescript', 'src/b.ts', [problem('src/b.ts', 4, 'warning', 'unused')]);
      problems.set('typescript', 'src/a.ts', [problem('src/a.ts', 9, 'error', 'bad type')]);
    });
    expect(host.querySelector('[data-testid="problems-count"]')?.textContent).toBe('2');
    expect(rows().map((r) => r.dataset.path)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(host.textContent).toContain('python: starting');
    act(() => rows()[0].click());
    expect(onOpen).toHaveBeenCalledWith('src/a.ts', 9, 3);
    act(() => problems.clearOrigin('typescript'));
    expect(rows()).toHaveLength(0);
  });
});
