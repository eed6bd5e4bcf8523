/**
 * Shown above the editor when the active file moved on without it: changed on disk while it had
 * unsaved edits, or deleted. Each choice says what happens to the user's text.
 */
export function DiskBar({
  state,
  readOnly,
  onCompare,
  onReload,
  onKeepMine,
  onSaveAsNew,
  onClose,
}: {
  state: 'changed' | 'deleted';
  readOnly: boolean;
  onCompare(): void;
  onReload(): void;
  onKeepMine(): void;
  onSaveAsNew(): void;
  onClose(): void;
}) {
  return (
    <div className="disk-bar" role="status" data-testid="disk-bar" data-state={state}>
      {state === 'changed' ? (
        <>
          <span>This file changed on disk while you were editing it.</span>
          <span className="grow" />
          <button onClick={onCompare} title="Show the file on disk next to your version">
            Compare
          </button>
          <button onClick={onReload} title="Discard your changes and load the file from disk">
            Reload
          </button>
          {!readOnly && (
            <button
              onClick={onKeepMine}
              title="Save your version over the one on disk"
              data-testid="keep-mine"
            >
              Keep mine
            </button>
          )}
        </>
      ) : (
        <>
          <span>This file was deleted on disk. Your text is still here.</span>
          <span className="grow" />
          {!readOnly && (
            <button onClick={onSaveAsNew} data-testid="save-as-new">
              Save as new…
            </button>
          )}
          <button onClick={onClose}>Close</button>
        </>
      )}
    </div>
  );
}
