import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { api } from '../api/client';
import type { FilesEvent } from '../api/types';
import { INITIAL_LIVE, WorkspaceLive, type LiveState } from './workspaceLive';

export interface WorkspaceCtx extends LiveState {
  projectId: string;
  canControl: boolean;
  isOwner: boolean;
  /** Last failure of start/stop, shown by the workspace bar. */
  actionError: unknown;
  clearActionError(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Counts as activity for the idle reaper: cancels an idle warning. */
  keepRunning(): Promise<void>;
  refreshPorts(): Promise<void>;
  /** Opens a port in the preview pane (from the Ports panel or a link in a terminal). */
  openPreview(port: number, path?: string): void;
  /** Hears changes to the project's files (the `files` events); answers the unsubscribe function. */
  onFiles(fn: (e: FilesEvent) => void): () => void;
}

const Ctx = createContext<WorkspaceCtx | null>(null);

export function WorkspaceProvider({
  projectId,
  canControl,
  isOwner,
  onOpenPreview,
  children,
}: {
  projectId: string;
  canControl: boolean;
  isOwner: boolean;
  onOpenPreview(port: number, path?: string): void;
  children: ReactNode;
}) {
  const [state, setState] = useState<LiveState>(INITIAL_LIVE);
  const [actionError, setActionError] = useState<unknown>(null);
  const live = useRef<WorkspaceLive | null>(null);
  // Kept here, not in WorkspaceLive: children subscribe in effects that run before this one's.
  const filesListeners = useRef(new Set<(e: FilesEvent) => void>());
  const preview = useRef(onOpenPreview);
  preview.current = onOpenPreview;

  useEffect(() => {
    const l = new WorkspaceLive(api, projectId, setState);
    live.current = l;
    const unsubscribe = l.onFiles((e) => filesListeners.current.forEach((fn) => fn(e)));
    l.start();
    return () => {
      unsubscribe();
      l.stop();
      live.current = null;
      setState(INITIAL_LIVE);
    };
  }, [projectId]);

  const act = useCallback(
    async (fn: (id: string) => ReturnType<typeof api.startWorkspace>) => {
      setActionError(null);
      try {
        const w = await fn(projectId);
        live.current?.applyWorkspace(w);
      } catch (e) {
        setActionError(e);
        void live.current?.refresh();
      }
    },
    [projectId],
  );
  const start = useCallback(() => act((id) => api.startWorkspace(id)), [act]);
  const stop = useCallback(() => act((id) => api.stopWorkspace(id)), [act]);
  // The workspace-service counts exec, typing and file writes as activity (not a repeated start),
  // so "Keep running" runs `true`: cheap, and it cannot start a stopped workspace by surprise as
  // it is only offered while one is running.
  const keepRunning = useCallback(async () => {
    try {
      await api.exec(projectId, 'true', 10);
      live.current?.clearIdleWarning();
    } catch (e) {
      setActionError(e);
    }
  }, [projectId]);
  const refreshPorts = useCallback(async () => {
    await live.current?.refreshPorts();
  }, []);
  const openPreview = useCallback((port: number, path?: string) => preview.current(port, path), []);
  const onFiles = useCallback((fn: (e: FilesEvent) => void) => {
    filesListeners.current.add(fn);
    return () => void filesListeners.current.delete(fn);
  }, []);

  const value = useMemo<WorkspaceCtx>(
    () => ({
      ...state,
      projectId,
      canControl,
      isOwner,
      actionError,
      clearActionError: () => setActionError(null),
      start,
      stop,
      keepRunning,
      refreshPorts,
      openPreview,
      onFiles,
    }),
    [
      state,
      projectId,
      canControl,
      isOwner,
      actionError,
      start,
      stop,
      keepRunning,
      refreshPorts,
      openPreview,
      onFiles,
    ],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useWorkspace(): WorkspaceCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useWorkspace outside WorkspaceProvider');
  return c;
}
