import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { ApiError, messageOf } from '../api/problem';
import type { ProposedEdits } from '../api/types';
import { planEdit, type EditPlan } from '../modules/diff';
import { ChangeSetView, type ChangeEntry } from './ChangeSetView';
import { Modal } from './Modal';
import { ErrorBanner } from './ErrorBanner';

interface Item {
  plan: EditPlan | null;
  etag: string | null;
  error?: string;
  accepted: boolean;
  applied?: boolean;
}

/** Shows each proposed change in the change-set review (Monaco's diff editor); writes only the accepted ones through the file API. */
export function EditsReview({
  projectId,
  proposal,
  onClose,
  onApplied,
}: {
  projectId: string;
  proposal: ProposedEdits;
  onClose(): void;
  onApplied(paths: string[]): void;
}) {
  const [items, setItems] = useState<Item[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all(
      proposal.edits.map(async (edit): Promise<Item> => {
        let current: string | null = null;
        let etag: string | null = null;
        try {
          const f = await api.readFile(projectId, edit.path);
          current = f.content;
          etag = f.etag;
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 404))
            return { plan: null, etag: null, error: messageOf(e), accepted: false };
        }
        try {
          return { plan: planEdit(edit, current), etag, accepted: true };
        } catch (e) {
          return { plan: null, etag, error: messageOf(e), accepted: false };
        }
      }),
    ).then((r) => !cancelled && setItems(r));
    return () => {
      cancelled = true;
    };
  }, [projectId, proposal]);

  const apply = async () => {
    if (!items) return;
    setBusy(true);
    setError(null);
    const done: string[] = [];
    const next = [...items];
    try {
      for (let i = 0; i < next.length; i++) {
        const it = next[i];
        if (!it.accepted || !it.plan || it.applied) continue;
        if (it.plan.kind === 'delete') await api.deleteFile(projectId, it.plan.path);
        else
          await api.writeFile(
            projectId,
            it.plan.path,
            it.plan.modified,
            it.plan.existed ? it.etag : null,
          );
        next[i] = { ...it, applied: true };
        done.push(it.plan.path);
      }
      setItems(next);
      onApplied(done);
      onClose();
    } catch (e) {
      setItems(next);
      if (done.length) onApplied(done);
      setError(
        e instanceof ApiError && e.status === 412
          ? new Error(
              'A file changed on the server while you were reviewing. Close and propose the edits again.',
            )
          : e,
      );
    } finally {
      setBusy(false);
    }
  };

  const accepted = items?.filter((i) => i.accepted && !i.applied).length ?? 0;
  const entries: ChangeEntry[] = proposal.edits.map((e, i) => {
    const plan = items?.[i]?.plan;
    return {
      path: e.path,
      action: e.action,
      before: plan?.original ?? null,
      after: plan && plan.kind === 'write' ? plan.modified : null,
      note: !items ? 'Loading the current files…' : plan ? undefined : items[i].error,
    };
  });

  return (
    <Modal title="Proposed edits" onClose={onClose} wide>
      <p style={{ margin: 0 }} data-testid="edits-summary">
        {proposal.summary}
      </p>
      <ChangeSetView
        entries={entries}
        extra={(i) => {
          const it = items?.[i];
          return it?.applied ? (
            <span className="badge UP">applied</span>
          ) : (
            <label className="row" style={{ gap: 4 }} onClick={(ev) => ev.stopPropagation()}>
              <input
                type="checkbox"
                checked={!!it?.accepted}
                disabled={!it?.plan}
                onChange={(ev) =>
                  setItems(
                    (l) =>
                      l && l.map((x, j) => (j === i ? { ...x, accepted: ev.target.checked } : x)),
                  )
                }
              />
              accept
            </label>
          );
        }}
      />
      <ErrorBanner error={error} />
      <div className="buttons">
        <button onClick={onClose}>Discard</button>
        <button
          className="primary"
          disabled={busy || !accepted}
          onClick={() => void apply()}
          data-testid="apply-edits"
        >
          {busy ? 'Applying…' : `Apply ${accepted} accepted change${accepted === 1 ? '' : 's'}`}
        </button>
      </div>
    </Modal>
  );
}
