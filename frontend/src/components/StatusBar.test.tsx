import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatusBar } from './StatusBar';
import { viewForShortcut } from './ActivityBar';
import type { EditorStatus } from '../modules/editorStatus';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});
const text = (id: string) => host.querySelector(`[data-testid=${id}]`)?.textContent ?? null;

const status: EditorStatus = {
  line: 12,
  column: 5,
  selected: 0,
  selectedLines: 0,
  language: 'typescript',
  eol: 'CRLF',
  indentation: 'Spaces: 2',
};

describe('StatusBar', () => {
  it('shows where the cursor is and what the file is like', () => {
    act(() => root.render(<StatusBar editor={status} workspace="RUNNING" />));
    expect(text('status-cursor')).toBe('Ln 12, Col 5');
    expect(text('status-eol')).toBe('CRLF');
    expect(text('status-language')).toBe('typescript');
    expect(text('status-indent')).toBe('Spaces: 2');
    expect(host.textContent).toContain('UTF-8');
    expect(text('status-workspace')).toBe('Workspace: running');
  });

  it('counts the selection, in lines when it spans several', () => {
    act(() => root.render(<StatusBar editor={{ ...status, selected: 7, selectedLines: 1 }} />));
    expect(text('status-cursor')).toBe('Ln 12, Col 5 (7 selected)');
    act(() => root.render(<StatusBar editor={{ ...status, selected: 40, selectedLines: 3 }} />));
    expect(text('status-cursor')).toBe('Ln 12, Col 5 (40 selected, 3 lines)');
  });

  it('leaves out the editor part without a text editor, and shows branch and problems when given', () => {
    const onShow = vi.fn();
    act(() =>
      root.render(
        <StatusBar
          editor={null}
          branch="main"
          problems={{ errors: 2, warnings: 1 }}
          onShowProblems={onShow}
        />,
      ),
    );
    expect(text('status-cursor')).toBeNull();
    expect(text('status-branch')).toContain('main');
    const problems = host.querySelector<HTMLButtonElement>('[data-testid=status-problems]')!;
    expect(problems.getAttribute('aria-label')).toBe('2 errors, 1 warnings');
    act(() => problems.click());
    expect(onShow).toHaveBeenCalled();
  });
});

describe('activity bar shortcuts', () => {
  const key = (code: string, mods: Partial<KeyboardEvent> = {}) =>
    viewForShortcut({
      ctrlKey: true,
      metaKey: false,
      shiftKey: true,
      altKey: false,
      code,
      ...mods,
    });
  it('uses VS Code keys', () => {
    expect(key('KeyE')).toBe('explorer');
    expect(key('KeyF')).toBe('search');
    expect(key('KeyG')).toBe('scm');
    expect(key('KeyE', { shiftKey: false })).toBeNull();
    expect(key('KeyE', { ctrlKey: false })).toBeNull();
    expect(key('KeyP')).toBeNull();
  });
});
