import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { messageOf } from '../api/problem';
import type {
  Approval,
  ChangeSetEntry,
  CheckpointDiffFile,
  CheckpointTaken,
  StepDecision,
  TokenUsage,
} from '../api/types';
import {
  APPROVED_BY_TEXT,
  describeTool,
  formatTokens,
  formatUsd,
  LIMIT_TEXT,
  STATUS_TEXT,
  suggestPattern,
  totalTokens,
  type StepView,
  type TurnState,
} from '../modules/agentTurn';
import { ChangeSetView, type ChangeEntry } from './ChangeSetView';
import { ErrorBanner } from './ErrorBanner';
import { MarkdownView } from './MarkdownView';
import { Modal } from './Modal';
import { ConfirmDialog } from './PromptDialog';

export interface TurnActions {
  projectId: string;
  readOnly: boolean;
  /** Sends the user's answer to a step that waits; rejects with the server's problem. */
  decide(stepId: string, decision: StepDecision): Promise<void>;
  /** Files a restore changed, so open editors read them again. */
  onFilesChanged(paths: string[]): void;
}

/** An agent turn as it happens: assistant text, step cards, checkpoints and limits, in order. */
export function AgentTurnView({
  turn,
  actions,
  live,
}: {
  turn: TurnState;
  actions: TurnActions;
  live: boolean;
}) {
  // The cost of each model call is shown once, on the first card of the steps it asked for.
  const costShown = new Set<number>();
  return (
    <div className="agent-turn" data-testid="agent-turn">
      {turn.items.map((item, i) => {
        switch (item.kind) {
          case 'text':
            return <MarkdownView key={i} text={item.text} />;
          case 'tool': {
            const step = turn.steps[item.stepId];
            if (!step) return null;
            const cost = costShown.has(step.step) ? undefined : turn.callUsage[step.step];
            costShown.add(step.step);
            return <StepCard key={item.stepId} step={step} cost={cost} actions={actions} />;
          }
          case 'checkpoint':
            return (
              <CheckpointCard
                key={`cp-${item.checkpoint.checkpointId}`}
                checkpoint={item.checkpoint}
                actions={actions}
                // Recount what changed since once the turn's writes are over.
                version={live ? 0 : 1}
              />
            );
          case 'limit':
            return (
              <div key={i} className="step-limit" role="status" data-testid="turn-limit">
                {LIMIT_TEXT[item.limit.reason] ?? 'The turn stopped on a limit'}:{' '}
                {item.limit.detail}
              </div>
            );
        }
      })}
    </div>
  );
}

// Symbols the default fonts have (emoji are missing on many Linux desktops).
const ICON: Record<string, string> = {
  list_files: '☰',
  read_file: '▤',
  search_files: '⌕',
  write_file: '✎',
  edit_file: '✎',
  delete_file: '✗',
  run_command: '▶',
  read_problems: '⚠',
};

function StepCard({
  step,
  cost,
  actions,
}: {
  step: StepView;
  cost?: TokenUsage;
  actions: TurnActions;
}) {
  const r = step.result;
  const command = step.tool === 'run_command';
  const output = command ? step.output || r?.output || '' : '';
  const facts = [
    r?.exitCode !== undefined && r?.exitCode !== null ? `exit ${r.exitCode}` : '',
    r?.durationMs ? seconds(r.durationMs) : '',
    r?.approvedBy ? APPROVED_BY_TEXT[r.approvedBy] : '',
  ].filter(Boolean);
  const changes = step.approval?.kind === 'edit' ? step.approval.changes : null;
  return (
    <div
      className={`step-card ${step.status}`}
      data-testid="step-card"
      data-tool={step.tool}
      data-status={step.status}
    >
      <div className="step-head">
        <span aria-hidden="true">{ICON[step.tool] ?? '•'}</span>
        <span className="step-title" title={JSON.stringify(step.input, null, 2)}>
          {describeTool(step.tool, step.input)}
        </span>
        <span className={`badge step-${step.status}`} data-testid="step-status">
          {STATUS_TEXT[step.status] ?? step.status}
        </span>
      </div>
      {command && (output || step.status === 'running') && (
        <pre className="step-output" data-testid="step-output" aria-label="Command output">
          {output || 'Waiting for output…'}
        </pre>
      )}
      {step.status === 'awaiting-approval' && step.approval && (
        <ApprovalBox step={step} approval={step.approval} actions={actions} />
      )}
      {r && !command && (
        <details className="step-result">
          <summary>
            Result{facts.length ? ` · ${facts.join(' · ')}` : ''}
            {r.output ? '' : ' (empty)'}
          </summary>
          {changes && changes.length > 0 && <ChangesOnDemand changes={changes} />}
          {r.output && <pre data-testid="step-result">{r.output}</pre>}
        </details>
      )}
      {r && command && facts.length > 0 && <div className="step-facts">{facts.join(' · ')}</div>}
      {cost && (
        <div className="step-facts" data-testid="step-cost">
          model call {step.step + 1} · {formatTokens(totalTokens(cost))} tokens ·{' '}
          {formatUsd(cost.costUsd)}
        </div>
      )}
    </div>
  );
}

function ChangesOnDemand({ changes }: { changes: ChangeSetEntry[] }) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button className="link" onClick={() => setOpen(true)}>
        Show the changes
      </button>
    );
  return (
    <div className="change-set-inline">
      <ChangeSetView entries={changes.map(toEntry)} sideBySide={false} />
    </div>
  );
}

const toEntry = (c: ChangeSetEntry): ChangeEntry => ({
  path: c.path,
  action: c.action,
  before: c.before ?? null,
  after: c.action === 'delete' ? null : (c.after ?? null),
});

function ApprovalBox({
  step,
  approval,
  actions,
}: {
  step: StepView;
  approval: Approval;
  actions: TurnActions;
}) {
  const [pattern, setPattern] = useState(() =>
    approval.kind === 'command' ? suggestPattern(approval.command) : '',
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [large, setLarge] = useState(false);
  const send = async (d: StepDecision) => {
    setBusy(true);
    setError(null);
    try {
      await actions.decide(step.stepId, d);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const what =
    approval.kind === 'edit'
      ? `change ${approval.changes.length} file${approval.changes.length === 1 ? '' : 's'}`
      : 'run a command';
  return (
    <div
      className="approval"
      role="group"
      aria-label={`Approval needed: Claude wants to ${what}`}
      data-testid="approval"
    >
      <p className="approval-ask" aria-live="polite">
        Claude wants to {what}. Nothing happens until you decide.
      </p>
      {approval.kind === 'edit' ? (
        <>
          <div className="change-set-inline">
            <ChangeSetView entries={approval.changes.map(toEntry)} sideBySide={false} />
          </div>
          <button className="link" onClick={() => setLarge(true)}>
            Open the changes side by side
          </button>
          {large && (
            <Modal title="Changes waiting for approval" onClose={() => setLarge(false)} wide>
              <ChangeSetView entries={approval.changes.map(toEntry)} />
            </Modal>
          )}
        </>
      ) : (
        <pre className="approval-command" data-testid="approval-command">
          $ {approval.command}
        </pre>
      )}
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <button
          className="primary"
          disabled={busy || actions.readOnly}
          onClick={() => void send({ decision: 'approve' })}
          data-testid="approve"
        >
          Approve
        </button>
        <button
          disabled={busy || actions.readOnly}
          onClick={() => void send({ decision: 'deny' })}
          data-testid="deny"
        >
          Deny
        </button>
      </div>
      {approval.kind === 'edit' ? (
        <button
          className="link"
          disabled={busy || actions.readOnly}
          onClick={() => void send({ decision: 'approve', allow: 'edits' })}
          data-testid="allow-edits"
        >
          Approve, and allow edits for the rest of this conversation
        </button>
      ) : (
        <form
          className="row allow-pattern"
          onSubmit={(e) => {
            e.preventDefault();
            void send({ decision: 'approve', allow: 'command', pattern: pattern.trim() });
          }}
        >
          <button
            type="submit"
            className="link"
            disabled={busy || actions.readOnly || !pattern.trim()}
            data-testid="allow-command"
          >
            Approve, and always allow commands like
          </button>
          <input
            value={pattern}
            onChange={(e) => setPattern(e.target.value)}
            aria-label="Commands to allow, as a pattern (* matches anything)"
            spellCheck={false}
            maxLength={200}
            data-testid="allow-pattern"
          />
        </form>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />
    </div>
  );
}

function CheckpointCard({
  checkpoint,
  actions,
  version,
}: {
  checkpoint: CheckpointTaken;
  actions: TurnActions;
  version: number;
}) {
  const { projectId } = actions;
  const id = checkpoint.checkpointId;
  const [files, setFiles] = useState<CheckpointDiffFile[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [viewing, setViewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [restored, setRestored] = useState<{ count: number; undo: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.checkpointDiff(projectId, id).then(
      (d) => {
        if (!live) return;
        setFiles(d.files);
        setLoadError(null);
      },
      (e) => live && setLoadError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [projectId, id, version, tick]);

  const restore = async (to: string) => {
    const r = await api.restoreCheckpoint(projectId, to);
    actions.onFilesChanged([...r.restored, ...r.deleted]);
    setRestored(
      to === id ? { count: r.restored.length + r.deleted.length, undo: r.undoCheckpointId } : null,
    );
    setTick((t) => t + 1);
  };

  const count = files?.length;
  return (
    <div className="checkpoint" data-testid="checkpoint" data-checkpoint={id}>
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <span aria-hidden="true">⟲</span>
        <span className="grow" data-testid="checkpoint-summary">
          Checkpoint ·{' '}
          {count === undefined
            ? (loadError ?? 'counting changes…')
            : count === 0
              ? 'no files changed since'
              : `${count} file${count === 1 ? '' : 's'} changed since`}
        </span>
        <button onClick={() => setViewing(true)} disabled={!files} data-testid="checkpoint-diff">
          View diff
        </button>
        <button
          onClick={() => setConfirming(true)}
          disabled={actions.readOnly || !count}
          title={actions.readOnly ? 'Viewers cannot restore files' : undefined}
          data-testid="checkpoint-restore"
        >
          Restore
        </button>
      </div>
      {restored && (
        <div className="row" role="status" data-testid="checkpoint-restored">
          <span className="grow">
            Restored {restored.count} file{restored.count === 1 ? '' : 's'} to the checkpoint.
          </span>
          <button
            className="link"
            onClick={() =>
              restore(restored.undo).then(
                () => setRestored(null),
                (e) => setError(e),
              )
            }
          >
            Undo the restore
          </button>
        </div>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {viewing && files && (
        <Modal title="Changes since the checkpoint" onClose={() => setViewing(false)} wide>
          {files.length === 0 ? (
            <p>No file changed since this checkpoint.</p>
          ) : (
            <ChangeSetView
              entries={files.map((f) => ({
                path: f.path,
                action: f.status,
                before: f.status === 'added' ? null : (f.before ?? null),
                after: f.status === 'deleted' ? null : (f.after ?? null),
                note: f.binary ? 'Binary, or larger than 1 MB: not shown.' : undefined,
              }))}
            />
          )}
          <div className="buttons">
            <button onClick={() => setViewing(false)}>Close</button>
          </div>
        </Modal>
      )}
      {confirming && (
        <ConfirmDialog
          title="Restore the checkpoint?"
          message={`The project's files go back to how they were at this checkpoint: ${count} file${count === 1 ? '' : 's'} changed since will be restored, and files added since are deleted. The current files are saved as a checkpoint first, so you can undo this.`}
          confirmLabel="Restore files"
          onConfirm={() => restore(id)}
          onClose={() => setConfirming(false)}
        />
      )}
    </div>
  );
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
