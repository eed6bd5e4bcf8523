import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Workspace } from '../api/types';
import { ErrorBanner } from './ErrorBanner';

/** Workspace state with start/stop; polls quickly while a transition is under way and shows progress. */
export function WorkspaceBar({
  projectId,
  canControl,
}: {
  projectId: string;
  canControl: boolean;
}) {
  const [ws, setWs] = useState<Workspace | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [since, setSince] = useState<number | null>(null);
  const [, tick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const poll = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    try {
      const w = await api.workspace(projectId);
      setWs(w);
      const moving = w.status === 'STARTING' || w.status === 'STOPPING';
      setSince((s) => (moving ? (s ?? Date.now()) : null));
      timer.current = setTimeout(() => void poll(), moving ? 1000 : 10_000);
    } catch (e) {
      setError(e);
      timer.current = setTimeout(() => void poll(), 15_000);
    }
  }, [projectId]);

  useEffect(() => {
    void poll();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [poll]);

  useEffect(() => {
    if (since === null) return;
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, [since]);

  const act = async (fn: (id: string) => Promise<Workspace>) => {
    setError(null);
    setSince(Date.now());
    try {
      setWs(await fn(projectId));
    } catch (e) {
      setError(e);
    }
    void poll();
  };

  const status = ws?.status;
  const moving = status === 'STARTING' || status === 'STOPPING';
  return (
    <div className="row" data-testid="workspace-bar">
      <span className="muted">Workspace</span>
      <span className={`badge ${status ?? ''}`} data-testid="workspace-status">
        {status ?? '…'}
      </span>
      {moving && (
        <>
          <div className="progress" role="progressbar" aria-label={`${status?.toLowerCase()}`} />
          {since && <span className="muted">{Math.round((Date.now() - since) / 1000)} s</span>}
        </>
      )}
      {canControl && (status === 'STOPPED' || status === 'FAILED' || !status) && (
        <button onClick={() => void act((id) => api.startWorkspace(id))} disabled={!ws}>
          Start
        </button>
      )}
      {canControl && (status === 'RUNNING' || status === 'STARTING') && (
        <button onClick={() => void act((id) => api.stopWorkspace(id))}>Stop</button>
      )}
      {ws?.runtime && <span className="muted">{ws.runtime}</span>}
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
    </div>
  );
}
