import { useEffect, useRef, useState } from 'react';
import { useAuth } from '../modules/auth';
import { useWorkspace } from '../modules/workspaceContext';
import { statusLabel } from '../modules/workspaceLive';
import { ErrorBanner } from './ErrorBanner';

/**
 * Workspace state as the server pushes it (creating/starting/resuming phases, PAUSED while idle),
 * with start/resume/stop, the auto-start preference and settings.
 */
export function WorkspaceBar({ onSettings }: { onSettings(): void }) {
  const ws = useWorkspace();
  const { user, setPreferences } = useAuth();
  const [prefError, setPrefError] = useState<unknown>(null);
  const [since, setSince] = useState<number | null>(null);
  const [, tick] = useState(0);

  const status = ws.status?.status;
  const moving = status === 'STARTING' || status === 'STOPPING';
  useEffect(() => {
    if (!moving) {
      setSince(null);
      return;
    }
    setSince((s) => s ?? Date.now());
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, [moving]);

  const autoStart = user?.preferences?.autoStartWorkspace ?? false;
  const reason = status === 'FAILED' ? ws.status?.reason : null;
  return (
    <div className="row" data-testid="workspace-bar">
      <span className="muted">Workspace</span>
      <span
        className={`badge ${status ?? ''}`}
        data-testid="workspace-status"
        data-status={status ?? ''}
        data-phase={ws.status?.phase ?? ''}
        title={reason ?? undefined}
      >
        {statusLabel(ws.status)}
      </span>
      {reason && (
        <span className="muted failure" data-testid="workspace-failure">
          {reason}
        </span>
      )}
      {moving && (
        <>
          <div className="progress" role="progressbar" aria-label={`${status?.toLowerCase()}`} />
          {since && <span className="muted">{Math.round((Date.now() - since) / 1000)} s</span>}
        </>
      )}
      {ws.canControl && (status === 'STOPPED' || status === 'FAILED') && (
        <button onClick={() => void ws.start()} data-testid="workspace-start">
          Start
        </button>
      )}
      {ws.canControl && status === 'PAUSED' && (
        <button
          onClick={() => void ws.start()}
          data-testid="workspace-resume"
          title="Paused while idle: its terminals and servers are kept; anything you run resumes it too"
        >
          Resume
        </button>
      )}
      {ws.canControl && (status === 'RUNNING' || status === 'STARTING' || status === 'PAUSED') && (
        <button onClick={() => void ws.stop()} data-testid="workspace-stop">
          Stop
        </button>
      )}
      {ws.status?.runtime && <span className="muted">{ws.status.runtime}</span>}
      <label className="muted toggle" title="Start this user's workspaces when a project is opened">
        <input
          type="checkbox"
          checked={autoStart}
          data-testid="auto-start"
          onChange={(e) =>
            void setPreferences({ autoStartWorkspace: e.target.checked }).catch(setPrefError)
          }
        />{' '}
        Auto-start
      </label>
      <button className="link" onClick={onSettings} data-testid="project-settings">
        Settings
      </button>
      {ws.actionError ? <ErrorBanner error={ws.actionError} onClose={ws.clearActionError} /> : null}
      {prefError ? <ErrorBanner error={prefError} onClose={() => setPrefError(null)} /> : null}
    </div>
  );
}

/** "Stopping in 60 s for inactivity — Keep running", while the idle reaper's warning stands. */
export function IdleBanner() {
  const ws = useWorkspace();
  const [, tick] = useState(0);
  const stopsAt = ws.idleWarning ? Date.parse(ws.idleWarning.stopsAt) : null;
  useEffect(() => {
    if (stopsAt === null) return;
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, [stopsAt]);
  if (stopsAt === null || ws.status?.status !== 'RUNNING') return null;
  const left = Math.max(0, Math.round((stopsAt - Date.now()) / 1000));
  return (
    <div className="banner warn" role="alert" data-testid="idle-warning">
      Stopping in {left} s for inactivity
      {ws.canControl && (
        <>
          {' — '}
          <button onClick={() => void ws.keepRunning()} data-testid="keep-running">
            Keep running
          </button>
        </>
      )}
    </div>
  );
}

/**
 * Opening a project does not start its workspace, unless the user turned on auto-start: then the
 * first status seen as STOPPED starts it, once per visit.
 */
export function AutoStart() {
  const ws = useWorkspace();
  const { user } = useAuth();
  const done = useRef(false);
  const wanted = user?.preferences?.autoStartWorkspace === true;
  const status = ws.status?.status;
  useEffect(() => {
    if (done.current || !status) return;
    done.current = true;
    if (wanted && ws.canControl && status === 'STOPPED') void ws.start();
  }, [status, wanted, ws]);
  return null;
}
