import type { EditorStatus } from '../modules/editorStatus';

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

interface Props {
  /** The active text editor's state; null when no text file is focused (an image, nothing open). */
  editor: EditorStatus | null;
  /** The workspace's git branch (supplied by the source control feature). */
  branch?: string;
  /** Diagnostics across open files (supplied by the language feature). */
  problems?: ProblemCounts;
  /** The workspace's state, e.g. RUNNING. */
  workspace?: string;
  onShowProblems?(): void;
}

/** The strip under the IDE: where the cursor is and what the file and workspace are like. */
export function StatusBar({ editor, branch, problems, workspace, onShowProblems }: Props) {
  return (
    <footer className="status-bar" data-testid="status-bar" aria-label="Status bar">
      {branch ? (
        <span title="Git branch" data-testid="status-branch">
          ⑂ {branch}
        </span>
      ) : null}
      {problems ? (
        <button
          className="link"
          title="Show problems"
          data-testid="status-problems"
          onClick={onShowProblems}
          aria-label={`${problems.errors} errors, ${problems.warnings} warnings`}
        >
          ⊗ {problems.errors} ⚠ {problems.warnings}
        </button>
      ) : null}
      {workspace ? (
        <span title="Workspace" data-testid="status-workspace">
          Workspace: {workspace.toLowerCase()}
        </span>
      ) : null}
      <span className="grow" />
      {editor ? (
        <>
          <span data-testid="status-cursor">
            Ln {editor.line}, Col {editor.column}
            {editor.selected > 0
              ? editor.selectedLines > 1
                ? ` (${editor.selected} selected, ${editor.selectedLines} lines)`
                : ` (${editor.selected} selected)`
              : ''}
          </span>
          <span data-testid="status-indent">{editor.indentation}</span>
          <span>UTF-8</span>
          <span data-testid="status-eol">{editor.eol}</span>
          <span data-testid="status-language">{editor.language}</span>
        </>
      ) : null}
    </footer>
  );
}
