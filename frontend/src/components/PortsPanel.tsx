import { useState } from 'react';
import { api } from '../api/client';
import type { Port } from '../api/types';
import { useWorkspace } from '../modules/workspaceContext';
import { ErrorBanner } from './ErrorBanner';

const EXPIRIES = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 8 * 60, label: '8 hours' },
  { minutes: 24 * 60, label: '24 hours' },
];

/**
 * Opens a port in a new tab through a one-time preview session. The window is opened before the
 * request so the browser counts it as the click's own popup, then sent to the URL.
 */
export async function openPortInTab(projectId: string, port: number, path = '/') {
  const w = window.open('', '_blank');
  try {
    const { url } = await api.previewSession(projectId, port, path);
    if (w) {
      w.opener = null;
      w.location.href = url;
    } else window.open(url, '_blank', 'noopener');
  } catch (e) {
    w?.close();
    throw e;
  }
}

/** The workspace's listening ports: preview beside the editor, open in a tab, share (owners). */
export function PortsPanel() {
  const ws = useWorkspace();
  const [error, setError] = useState<unknown>(null);
  const running = ws.status?.status === 'RUNNING';
  const ports = ws.ports ?? [];
  return (
    <div className="pane" data-testid="ports-panel">
      <div className="pane-head">
        <span>Ports</span>
        <span className="grow" />
        {running && (
          <button className="link" title="Refresh" onClick={() => void ws.refreshPorts()}>
            ↻
          </button>
        )}
      </div>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      <div className="pane-body ports">
        {!running ? (
          <div className="muted pad">Ports are listed while the workspace runs.</div>
        ) : ports.length === 0 ? (
          <div className="muted pad">
            No port is listening. Start a server in a terminal (e.g. <code>npm start</code>).
          </div>
        ) : (
          <ul>
            {ports.map((p) => (
              <PortRow key={p.port} port={p} onError={setError} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function PortRow({ port, onError }: { port: Port; onError(e: unknown): void }) {
  const ws = useWorkspace();
  const [sharing, setSharing] = useState(false);
  const [minutes, setMinutes] = useState(60);
  const [copied, setCopied] = useState(false);
  const share = port.share ?? null;

  const doShare = async () => {
    try {
      const s = await api.sharePort(ws.projectId, port.port, minutes);
      setSharing(false);
      await copy(s.url);
      await ws.refreshPorts();
    } catch (e) {
      onError(e);
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      window.prompt('Copy the share link', url);
    }
  };
  return (
    <li data-testid="port-item" data-port={port.port}>
      <div className="row">
        <strong className="port-number" title={port.url}>
          :{port.port}
        </strong>
        <button
          className="link"
          onClick={() => ws.openPreview(port.port, '/')}
          data-testid="port-preview"
        >
          Preview
        </button>
        <button
          className="link"
          onClick={() => void openPortInTab(ws.projectId, port.port).catch(onError)}
          data-testid="port-open-tab"
        >
          Open in tab
        </button>
        {ws.isOwner && !share && (
          <button className="link" onClick={() => setSharing((s) => !s)} data-testid="port-share">
            Share
          </button>
        )}
      </div>
      {sharing && !share && (
        <div className="row">
          <label className="muted">
            Link expires in{' '}
            <select
              value={minutes}
              onChange={(e) => setMinutes(Number(e.target.value))}
              data-testid="share-expiry"
            >
              {EXPIRIES.map((x) => (
                <option key={x.minutes} value={x.minutes}>
                  {x.label}
                </option>
              ))}
            </select>
          </label>
          <button onClick={() => void doShare()} data-testid="share-create">
            Create read-only link
          </button>
        </div>
      )}
      {share && (
        <div className="row share" data-testid="port-shared">
          <span
            className="muted"
            title={`${share.url}\nuntil ${new Date(share.expiresAt).toLocaleString()}`}
          >
            Shared (read-only) until {untilText(share.expiresAt)}
          </span>
          <button className="link" onClick={() => void copy(share.url)}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
          {ws.isOwner && (
            <button
              className="link danger"
              onClick={() =>
                void api
                  .unsharePort(ws.projectId, port.port)
                  .then(() => ws.refreshPorts())
                  .catch(onError)
              }
              data-testid="port-unshare"
            >
              Stop sharing
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** "14:05" today, else a short date and time. */
function untilText(iso: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}
