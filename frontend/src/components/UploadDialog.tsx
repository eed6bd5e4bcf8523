import { useEffect, useRef, useState } from 'react';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';
import { formatBytes } from '../modules/fileKind';
import {
  limitText,
  planUpload,
  runUpload,
  type UploadApi,
  type UploadItem,
  type UploadPlan,
  type UploadProgress,
} from '../modules/upload';

type Stage =
  | { kind: 'planning' }
  | { kind: 'ask'; plan: UploadPlan }
  | { kind: 'sending'; progress: UploadProgress }
  | { kind: 'done'; uploaded: number; plan: UploadPlan }
  | { kind: 'failed'; error: unknown };

/**
 * Uploads dropped or picked files: leaves out (and names) those over the server's limit, asks
 * before replacing files that exist, then shows progress.
 */
export function UploadDialog({
  api,
  projectId,
  items,
  maxBytes,
  onUploaded,
  onClose,
}: {
  api: UploadApi;
  projectId: string;
  items: UploadItem[];
  maxBytes: number;
  onUploaded(paths: string[]): void;
  onClose(): void;
}) {
  const [stage, setStage] = useState<Stage>({ kind: 'planning' });
  const cancel = useRef({ cancelled: false });

  const send = async (plan: UploadPlan, replace: boolean) => {
    const existing = new Set(plan.existing);
    const chosen = replace ? plan.items : plan.items.filter((i) => !existing.has(i.path));
    try {
      const done = await runUpload(
        api,
        projectId,
        chosen,
        (progress) => setStage({ kind: 'sending', progress }),
        cancel.current,
      );
      onUploaded(done);
      setStage({ kind: 'done', uploaded: done.length, plan });
    } catch (error) {
      setStage({ kind: 'failed', error });
    }
  };

  useEffect(() => {
    let live = true;
    // A fresh token per run: React's development double-run must not leave the real run cancelled.
    const token = { cancelled: false };
    cancel.current = token;
    planUpload(api, projectId, items, maxBytes).then(
      (plan) => {
        if (!live) return;
        if (plan.existing.length) setStage({ kind: 'ask', plan });
        else void send(plan, false);
      },
      (error) => live && setStage({ kind: 'failed', error }),
    );
    return () => {
      live = false;
      token.cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const tooLarge = (plan: UploadPlan) =>
    plan.tooLarge.length ? (
      <p className="error-text" data-testid="upload-too-large">
        Left out, larger than {formatBytes(maxBytes)}:{' '}
        {plan.tooLarge.map((i) => `${i.path} (${formatBytes(i.file.size)})`).join(', ')}
      </p>
    ) : null;

  return (
    <Modal title="Upload" onClose={onClose}>
      <p className="muted">{limitText(maxBytes)}</p>
      {stage.kind === 'planning' && <p>Checking {items.length} file(s)…</p>}
      {stage.kind === 'ask' && (
        <>
          {tooLarge(stage.plan)}
          <p data-testid="upload-conflict">
            {stage.plan.existing.length === 1
              ? `${stage.plan.existing[0]} already exists. Replace it?`
              : `${stage.plan.existing.length} files already exist (${stage.plan.existing.slice(0, 5).join(', ')}${stage.plan.existing.length > 5 ? ', …' : ''}). Replace them?`}
          </p>
          <div className="buttons">
            <button onClick={onClose}>Cancel</button>
            <button onClick={() => void send(stage.plan, false)} data-testid="upload-skip">
              Keep existing
            </button>
            <button
              className="primary danger"
              onClick={() => void send(stage.plan, true)}
              data-testid="upload-replace"
            >
              Replace
            </button>
          </div>
        </>
      )}
      {stage.kind === 'sending' && (
        <>
          <p data-testid="upload-progress">
            Uploading {Math.min(stage.progress.done + 1, stage.progress.total)} of{' '}
            {stage.progress.total} — {formatBytes(stage.progress.bytesDone)} of{' '}
            {formatBytes(stage.progress.bytesTotal)}
          </p>
          <progress
            max={stage.progress.bytesTotal || 1}
            value={stage.progress.bytesDone}
            style={{ width: '100%' }}
          />
          <div className="buttons">
            <button onClick={() => (cancel.current.cancelled = true)}>Stop</button>
          </div>
        </>
      )}
      {stage.kind === 'done' && (
        <>
          {tooLarge(stage.plan)}
          <p data-testid="upload-done">
            Uploaded {stage.uploaded} {stage.uploaded === 1 ? 'file' : 'files'}.
          </p>
          <div className="buttons">
            <button className="primary" onClick={onClose} autoFocus>
              Close
            </button>
          </div>
        </>
      )}
      {stage.kind === 'failed' && (
        <>
          <ErrorBanner error={stage.error} />
          <div className="buttons">
            <button onClick={onClose}>Close</button>
          </div>
        </>
      )}
    </Modal>
  );
}
