import { useState } from 'react';
import type * as Monaco from 'monaco-editor';
import { languageOf } from '../modules/languages';
import { monacoTheme, type Theme } from '../modules/theme';
import { Modal } from './Modal';
import { ErrorBanner } from './ErrorBanner';
import { SafeDiffEditor } from './SafeDiffEditor';

export interface Conflict {
  path: string;
  mine: string;
  theirs: string;
  theirsEtag: string | null;
}

/** The server answered 412: the file changed since it was opened. Keep mine, take theirs, or merge in a diff. */
export function ConflictDialog({
  conflict,
  theme,
  onKeepMine,
  onTakeTheirs,
  onClose,
}: {
  conflict: Conflict;
  theme: Theme;
  onKeepMine(content: string): Promise<void>;
  onTakeTheirs(): void;
  onClose(): void;
}) {
  const [showDiff, setShowDiff] = useState(false);
  const [merged, setMerged] = useState<Monaco.editor.IStandaloneDiffEditor | null>(null);
  const [error, setError] = useState<unknown>(null);
  const keep = async (content: string) => {
    try {
      await onKeepMine(content);
      onClose();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Modal title={`${conflict.path} changed on the server`} onClose={onClose} wide={showDiff}>
      <p style={{ margin: 0 }}>
        Someone (or a command in the terminal) saved this file after you opened it. Choose which
        version to keep.
        {showDiff && ' Left: the server’s version. Right: yours — you can edit it before saving.'}
      </p>
      {showDiff && (
        <div className="diff-host" style={{ flex: 1, minHeight: 300 }}>
          <SafeDiffEditor
            original={conflict.theirs}
            modified={conflict.mine}
            language={languageOf(conflict.path)}
            theme={monacoTheme(theme)}
            onMount={(ed) => setMerged(ed)}
            options={{
              originalEditable: false,
              readOnly: false,
              automaticLayout: true,
              minimap: { enabled: false },
            }}
          />
        </div>
      )}
      <ErrorBanner error={error} />
      <div className="buttons">
        <button onClick={onClose}>Decide later</button>
        {!showDiff && (
          <button onClick={() => setShowDiff(true)} data-testid="conflict-diff">
            Show diff
          </button>
        )}
        <button
          onClick={() => {
            onTakeTheirs();
            onClose();
          }}
          data-testid="conflict-theirs"
        >
          Take theirs
        </button>
        <button
          className="primary"
          onClick={() =>
            void keep(showDiff && merged ? merged.getModifiedEditor().getValue() : conflict.mine)
          }
          data-testid="conflict-mine"
        >
          {showDiff ? 'Save the right side' : 'Keep mine'}
        </button>
      </div>
    </Modal>
  );
}
