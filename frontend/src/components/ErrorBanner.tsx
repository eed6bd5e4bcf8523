import { messageOf } from '../api/problem';

/** Shows any thrown error as a sentence (the problem's `detail`), never as raw JSON. */
export function ErrorBanner({ error, onClose }: { error: unknown; onClose?: () => void }) {
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error">
      <span className="grow">{messageOf(error)}</span>
      {onClose && (
        <button className="link" onClick={onClose} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}
