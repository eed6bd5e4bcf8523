import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { ErrorBanner } from './ErrorBanner';
import { openPortInTab } from './PortsPanel';

export interface PreviewTarget {
  port: number;
  path: string;
}

/**
 * A port's page beside the editor, in an iframe on the port's own preview origin (never the IDE's).
 * Each load asks for a fresh one-time preview session: the ticket in the URL sets the preview
 * cookie, so a reload works after the short-lived cookie expired too.
 */
export function PreviewPane({
  projectId,
  target,
  onClose,
}: {
  projectId: string;
  target: PreviewTarget;
  onClose(): void;
}) {
  const [src, setSrc] = useState<string | null>(null);
  const [address, setAddress] = useState(target.path);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (path: string) => {
      setError(null);
      try {
        const { url } = await api.previewSession(projectId, target.port, path);
        setSrc(url);
      } catch (e) {
        setError(e);
      }
    },
    [projectId, target.port],
  );

  useEffect(() => {
    setAddress(target.path);
    void load(target.path);
  }, [target.path, load]);

  const path = address.startsWith('/') ? address : `/${address}`;
  return (
    <div className="pane preview" data-testid="preview-pane" data-port={target.port}>
      <div className="pane-head row">
        <button
          className="link"
          title="Reload"
          onClick={() => void load(path)}
          data-testid="preview-reload"
        >
          ↻
        </button>
        <form
          className="grow row"
          onSubmit={(e) => {
            e.preventDefault();
            void load(path);
          }}
        >
          <span className="muted">:{target.port}</span>
          <input
            className="grow"
            aria-label="Address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            data-testid="preview-address"
          />
        </form>
        <button
          className="link"
          title="Open in a new tab"
          onClick={() => void openPortInTab(projectId, target.port, path).catch(setError)}
        >
          ↗
        </button>
        <button
          className="link"
          title="Close preview"
          onClick={onClose}
          data-testid="preview-close"
        >
          ✕
        </button>
      </div>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      <div className="pane-body" style={{ overflow: 'hidden' }}>
        {src && (
          <iframe
            key={src}
            src={src}
            title={`Preview of port ${target.port}`}
            data-testid="preview-frame"
            // The app runs on its own origin; it may run scripts and forms there, not navigate the IDE.
            sandbox="allow-scripts allow-forms allow-same-origin allow-popups allow-modals allow-downloads"
            style={{ border: 0, width: '100%', height: '100%', background: '#fff' }}
          />
        )}
      </div>
    </div>
  );
}
