import { useEffect, useRef, useState } from 'react';
import type { IRange } from 'monaco-editor/editor/editor.api';
import { api } from '../../api/client';
import { useWorkspace } from '../workspaceContext';
import { LspClient, type LspHost } from './client';
import type { LspState } from './connection';
import type { ServerLanguage } from './languages';

/**
 * The IDE page's language-server client: created per project, on for EDITORs and OWNERs only, and
 * told the workspace's status by {@link LspWorkspaceStatus} (rendered inside the WorkspaceProvider).
 */
export function useLsp(
  projectId: string,
  enabled: boolean,
  host: { openFile(path: string, range?: IRange): void; isOpen(path: string): boolean },
) {
  const [client, setClient] = useState<LspClient | null>(null);
  const [servers, setServers] = useState<Partial<Record<ServerLanguage, LspState>>>({});
  const hostRef = useRef(host);
  hostRef.current = host;

  useEffect(() => {
    const stable: LspHost = {
      openFile: (path, range) => hostRef.current.openFile(path, range),
      isOpen: (path) => hostRef.current.isOpen(path),
    };
    const c = new LspClient(projectId, api, stable, {
      onState: (lang, state) => setServers((s) => ({ ...s, [lang]: state })),
    });
    c.start();
    setClient(c);
    return () => {
      c.dispose();
      setClient(null);
      setServers({});
    };
  }, [projectId]);

  useEffect(() => {
    client?.setEnabled(enabled);
  }, [client, enabled]);

  return { client, servers };
}

/** Passes the workspace's RUNNING/stopped status to the client (servers live in the workspace). */
export function LspWorkspaceStatus({ client }: { client: LspClient | null }) {
  // A paused workspace keeps its servers; the next message thaws it (server side).
  const status = useWorkspace().status?.status;
  const running = status === 'RUNNING' || status === 'PAUSED';
  useEffect(() => {
    client?.setWorkspaceRunning(running);
  }, [client, running]);
  return null;
}
