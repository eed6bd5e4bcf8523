import { useState, type FormEvent } from 'react';
import { Modal } from './Modal';
import { ErrorBanner } from './ErrorBanner';

/** A one-field dialog: asks for a name or path, runs onSubmit, shows its error if it fails. */
export function PromptDialog(props: {
  title: string;
  label: string;
  initial?: string;
  submitLabel?: string;
  onSubmit: (value: string) => Promise<void> | void;
  onClose: () => void;
}) {
  const [value, setValue] = useState(props.initial ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(value.trim());
      props.onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <form className="col" onSubmit={submit}>
        <label>
          {props.label}
          <input
            autoFocus
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="prompt-input"
          />
        </label>
        <ErrorBanner error={error} />
        <div className="buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button className="primary" disabled={busy} data-testid="prompt-submit">
            {props.submitLabel ?? 'OK'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  onClose: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <p>{props.message}</p>
      <ErrorBanner error={error} />
      <div className="buttons">
        <button onClick={props.onClose}>Cancel</button>
        <button
          className="primary danger"
          disabled={busy}
          data-testid="confirm"
          onClick={async () => {
            setBusy(true);
            try {
              await props.onConfirm();
              props.onClose();
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
