import { useCallback, useEffect, useRef, useState } from 'react';
import Editor from '@monaco-editor/react';
import { Group, Panel, Separator, usePanelRef } from 'react-resizable-panels';
import { monaco } from '../modules/monaco';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Project, ProposedEdits } from '../api/types';
import { AiPanel, type EditorContext } from '../components/AiPanel';
import { ConflictDialog, type Conflict } from '../components/ConflictDialog';
import { EditsReview } from '../components/EditsReview';
import { ErrorBanner } from '../components/ErrorBanner';
import { FileTree } from '../components/FileTree';
import { QuickOpen } from '../components/QuickOpen';
import { TerminalPanel } from '../components/TerminalPanel';
import { TopBar } from '../components/TopBar';
import { AutoStart, IdleBanner, WorkspaceBar } from '../components/WorkspaceBar';
import { PortsPanel } from '../components/PortsPanel';
import { SourceControlPanel } from '../components/SourceControlPanel';
import { GitDiffView } from '../components/GitDiffView';
import { announceFileSaved } from '../modules/git';
import { PreviewPane, type PreviewTarget } from '../components/PreviewPane';
import { ProjectSettingsDialog } from '../components/ProjectSettingsDialog';
import { WorkspaceProvider } from '../modules/workspaceContext';
import { useAuth } from '../modules/auth';
import { languageOf } from '../modules/languages';
import { basename, isWithin, rebase } from '../modules/paths';
import { monacoTheme, useTheme } from '../modules/theme';

interface Tab {
  path: string;
  etag: string | null;
  saved: string;
  dirty: boolean;
  saving?: boolean;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export default function IdePage({ projectId }: { projectId: string }) {
  const { user } = useAuth();
  const [theme] = useTheme();
  const [project, setProject] = useState<Project | null>(null);
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [treeKey, setTreeKey] = useState(0);
  const [quickOpen, setQuickOpen] = useState(false);
  const [terminalOpen, setTerminalOpen] = useState(true);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [proposal, setProposal] = useState<ProposedEdits | null>(null);
  const [preview, setPreview] = useState<PreviewTarget | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The lead wires the activity bar (H7); until then a two-way toggle picks the sidebar view.
  const [sidebar, setSidebar] = useState<'explorer' | 'scm'>('explorer');
  // One diff tab, replaced by each click in Source Control (VS Code's preview tab).
  const [diffTab, setDiffTab] = useState<{ path: string; staged: boolean } | null>(null);
  const [diffActive, setDiffActive] = useState(false);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const terminalPanel = usePanelRef();
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;
  const activeRef = useRef(active);
  activeRef.current = active;

  const role = project
    ? project.ownerId === user?.id
      ? 'OWNER'
      : (project.members.find((m) => m.userId === user?.id)?.role ?? 'VIEWER')
    : 'VIEWER';
  const readOnly = role === 'VIEWER';
  const openPreview = useCallback(
    (port: number, path = '/') => setPreview({ port, path: path || '/' }),
    [],
  );

  const uriOf = useCallback((path: string) => `file:///${projectId}/${path}`, [projectId]);
  const modelOf = useCallback(
    (path: string) => monaco.editor.getModel(monaco.Uri.parse(uriOf(path))),
    [uriOf],
  );

  useEffect(() => {
    api.getProject(projectId).then((p) => {
      setProject(p);
      document.title = `${p.name} — Constellation`;
    }, setError);
    return () => {
      document.title = 'Constellation IDE';
      // Models belong to this page; drop them so another project starts clean.
      monaco.editor
        .getModels()
        .forEach((m) => m.uri.path.startsWith(`/${projectId}/`) && m.dispose());
    };
  }, [projectId]);

  // Files change from terminals and from other users: refresh the tree on focus and every few seconds while visible.
  const refreshTree = useCallback(() => setTreeKey((k) => k + 1), []);
  useEffect(() => {
    const onFocus = () => refreshTree();
    window.addEventListener('focus', onFocus);
    const t = setInterval(() => document.visibilityState === 'visible' && refreshTree(), 5000);
    return () => {
      window.removeEventListener('focus', onFocus);
      clearInterval(t);
    };
  }, [refreshTree]);
  const commandTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onTerminalCommand = useCallback(() => {
    if (commandTimer.current) clearTimeout(commandTimer.current);
    commandTimer.current = setTimeout(refreshTree, 800);
  }, [refreshTree]);

  const openFile = useCallback(
    async (path: string) => {
      setDiffActive(false);
      if (tabsRef.current.some((t) => t.path === path)) {
        setActive(path);
        return;
      }
      try {
        const { content, etag } = await api.readFile(projectId, path);
        if (!modelOf(path))
          monaco.editor.createModel(content, languageOf(path), monaco.Uri.parse(uriOf(path)));
        setTabs((ts) =>
          ts.some((t) => t.path === path)
            ? ts
            : [...ts, { path, etag, saved: content, dirty: false }],
        );
        setActive(path);
      } catch (e) {
        setError(e);
      }
    },
    [projectId, modelOf, uriOf],
  );

  const patchTab = (path: string, patch: Partial<Tab>) =>
    setTabs((ts) => ts.map((t) => (t.path === path ? { ...t, ...patch } : t)));

  const write = useCallback(
    async (path: string, content: string, etag: string | null) => {
      const res = await api.writeFile(projectId, path, content, etag);
      const model = modelOf(path);
      patchTab(path, {
        etag: res.etag,
        saved: content,
        dirty: model ? model.getValue() !== content : false,
        saving: false,
      });
      announceFileSaved(path);
    },
    [projectId, modelOf],
  );

  const save = useCallback(
    async (path: string | null) => {
      const tab = tabsRef.current.find((t) => t.path === path);
      const model = path ? modelOf(path) : null;
      if (!tab || !model || readOnly) return;
      const content = model.getValue();
      patchTab(tab.path, { saving: true });
      try {
        await write(tab.path, content, tab.etag);
      } catch (e) {
        patchTab(tab.path, { saving: false });
        if (e instanceof ApiError && e.status === 412) {
          try {
            const theirs = await api.readFile(projectId, tab.path);
            setConflict({
              path: tab.path,
              mine: content,
              theirs: theirs.content,
              theirsEtag: theirs.etag,
            });
          } catch (e2) {
            setError(e2);
          }
        } else setError(e);
      }
    },
    [modelOf, readOnly, write, projectId],
  );

  const closeTab = useCallback(
    (path: string | null) => {
      if (!path) return;
      const tab = tabsRef.current.find((t) => t.path === path);
      if (tab?.dirty && !window.confirm(`${basename(path)} has unsaved changes. Close it anyway?`))
        return;
      const rest = tabsRef.current.filter((t) => t.path !== path);
      setTabs(rest);
      if (activeRef.current === path) {
        const i = tabsRef.current.findIndex((t) => t.path === path);
        setActive(rest[Math.min(i, rest.length - 1)]?.path ?? null);
      }
      setTimeout(() => modelOf(path)?.dispose(), 0);
    },
    [modelOf],
  );

  const toggleTerminal = useCallback(() => {
    const p = terminalPanel.current;
    if (!p) return;
    if (p.isCollapsed()) {
      p.expand();
      setTerminalOpen(true);
    } else {
      p.collapse();
      setTerminalOpen(false);
    }
  }, [terminalPanel]);

  // Shortcuts, in the capture phase so Monaco and xterm do not swallow them.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey : e.ctrlKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void save(activeRef.current);
      } else if (
        (mod && key === 'w') ||
        (e.altKey && key === 'w') ||
        (e.altKey && e.code === 'KeyW')
      ) {
        e.preventDefault();
        closeTab(activeRef.current);
      } else if (mod && key === 'p') {
        e.preventDefault();
        setQuickOpen(true);
      } else if (e.ctrlKey && (e.key === '`' || e.code === 'Backquote')) {
        e.preventDefault();
        toggleTerminal();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [save, closeTab, toggleTerminal]);

  // Warn before leaving with unsaved changes.
  useEffect(() => {
    const onBefore = (e: BeforeUnloadEvent) => {
      if (tabsRef.current.some((t) => t.dirty)) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBefore);
    return () => window.removeEventListener('beforeunload', onBefore);
  }, []);

  const onMoved = (from: string, to: string) => {
    setTabs((ts) =>
      ts.map((t) => {
        if (!isWithin(t.path, from)) return t;
        const next = rebase(t.path, from, to);
        const old = modelOf(t.path);
        if (old) {
          monaco.editor.createModel(
            old.getValue(),
            languageOf(next),
            monaco.Uri.parse(uriOf(next)),
          );
          setTimeout(() => old.dispose(), 0);
        }
        return { ...t, path: next };
      }),
    );
    setActive((a) => (a ? rebase(a, from, to) : a));
  };
  const onDeleted = (path: string) => {
    const gone = tabsRef.current.filter((t) => isWithin(t.path, path));
    setTabs((ts) => ts.filter((t) => !isWithin(t.path, path)));
    setActive((a) => (a && isWithin(a, path) ? null : a));
    setTimeout(() => gone.forEach((t) => modelOf(t.path)?.dispose()), 0);
  };

  const onEditsApplied = async (paths: string[]) => {
    refreshTree();
    for (const path of paths) {
      const tab = tabsRef.current.find((t) => t.path === path);
      if (!tab) continue;
      try {
        const f = await api.readFile(projectId, path);
        if (!tab.dirty) modelOf(path)?.setValue(f.content);
        patchTab(path, { etag: f.etag, saved: f.content, dirty: tab.dirty });
      } catch {
        onDeleted(path);
      }
    }
  };

  const getContext = (): EditorContext => {
    const ed = editorRef.current;
    const sel = ed?.getSelection();
    return {
      path: activeRef.current,
      selection:
        sel && !sel.isEmpty()
          ? { startLine: sel.startLineNumber, endLine: sel.endLineNumber }
          : null,
    };
  };

  const activeTab = tabs.find((t) => t.path === active) ?? null;
  const mod = isMac ? '⌘' : 'Ctrl';
  const editorPane = (
    <div className="pane">
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <div
            key={t.path}
            className={`tab${t.path === active && !diffActive ? ' active' : ''}`}
            role="tab"
            aria-selected={t.path === active && !diffActive}
            onClick={() => {
              setActive(t.path);
              setDiffActive(false);
            }}
            title={t.path}
            data-testid="editor-tab"
            data-path={t.path}
            data-dirty={t.dirty}
          >
            {basename(t.path)}
            {t.dirty ? (
              <span className="dirty" title="Unsaved changes">
                ●
              </span>
            ) : null}
            {t.saving ? <span className="muted">…</span> : null}
            <button
              title={`Close (${mod}+W / Alt+W)`}
              onClick={(e) => {
                e.stopPropagation();
                closeTab(t.path);
              }}
            >
              ✕
            </button>
          </div>
        ))}
        {diffTab && (
          <div
            className={`tab diff-tab${diffActive ? ' active' : ''}`}
            role="tab"
            aria-selected={diffActive}
            onClick={() => setDiffActive(true)}
            title={`${diffTab.path} (${diffTab.staged ? 'staged' : 'working tree'})`}
            data-testid="diff-tab"
          >
            <i>
              {basename(diffTab.path)} ({diffTab.staged ? 'index' : 'working tree'})
            </i>
            <button
              title="Close diff"
              onClick={(e) => {
                e.stopPropagation();
                setDiffTab(null);
                setDiffActive(false);
              }}
            >
              ✕
            </button>
          </div>
        )}
        <span className="grow" />
        {activeTab && !readOnly && !diffActive && (
          <button
            className="link"
            onClick={() => void save(active)}
            disabled={!activeTab.dirty}
            title={`Save (${mod}+S)`}
            data-testid="save"
          >
            Save
          </button>
        )}
      </div>
      <div className="pane-body" style={{ overflow: 'hidden' }}>
        {diffActive && diffTab ? (
          <GitDiffView
            projectId={projectId}
            path={diffTab.path}
            staged={diffTab.staged}
            theme={theme}
            readOnly={readOnly}
            onOpenFile={(p) => void openFile(p)}
          />
        ) : activeTab ? (
          <Editor
            path={uriOf(activeTab.path)}
            language={languageOf(activeTab.path)}
            theme={monacoTheme(theme)}
            keepCurrentModel
            onMount={(ed) => {
              editorRef.current = ed;
            }}
            onChange={(value) => {
              const path = activeRef.current;
              const tab = tabsRef.current.find((t) => t.path === path);
              if (tab && path) {
                const dirty = (value ?? '') !== tab.saved;
                if (dirty !== tab.dirty) patchTab(path, { dirty });
              }
            }}
            options={{
              readOnly,
              automaticLayout: true,
              minimap: { enabled: false },
              fontSize: 13,
              scrollBeyondLastLine: false,
              tabSize: 2,
            }}
          />
        ) : (
          <div className="editor-empty">
            <span>Open a file from the tree.</span>
            <span>
              <kbd>{mod}+P</kbd> quick open · <kbd>{mod}+S</kbd> save · <kbd>Alt+W</kbd> close tab ·{' '}
              <kbd>Ctrl+`</kbd> terminal
            </span>
          </div>
        )}
      </div>
    </div>
  );

  return (
    <WorkspaceProvider
      projectId={projectId}
      canControl={!readOnly}
      isOwner={role === 'OWNER'}
      onOpenPreview={openPreview}
    >
      <div className="app ide">
        <TopBar>
          <strong>{project?.name}</strong>
          {project && <span className="badge">{role.toLowerCase()}</span>}
          <span className="grow" />
          <WorkspaceBar onSettings={() => setSettingsOpen(true)} />
        </TopBar>
        {project && <AutoStart />}
        <IdleBanner />
        {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
        <div className="ide-body">
          <Group orientation="horizontal">
            <Panel defaultSize="18%" minSize="10%">
              <Group orientation="vertical">
                <Panel defaultSize="70%" minSize="20%">
                  <div className="pane">
                    <div className="sidebar-switch" role="tablist" aria-label="Sidebar">
                      <button
                        role="tab"
                        aria-selected={sidebar === 'explorer'}
                        className={sidebar === 'explorer' ? 'active' : ''}
                        onClick={() => setSidebar('explorer')}
                        data-testid="sidebar-explorer"
                      >
                        Explorer
                      </button>
                      <button
                        role="tab"
                        aria-selected={sidebar === 'scm'}
                        className={sidebar === 'scm' ? 'active' : ''}
                        onClick={() => setSidebar('scm')}
                        data-testid="sidebar-scm"
                      >
                        Source control
                      </button>
                    </div>
                    <div className="pane-body">
                      {sidebar === 'explorer' ? (
                        <FileTree
                          projectId={projectId}
                          refreshKey={treeKey}
                          readOnly={readOnly}
                          activePath={active}
                          onOpen={(p) => void openFile(p)}
                          onMoved={onMoved}
                          onDeleted={onDeleted}
                        />
                      ) : (
                        <SourceControlPanel
                          projectId={projectId}
                          readOnly={readOnly}
                          onOpenDiff={(path, staged) => {
                            setDiffTab({ path, staged });
                            setDiffActive(true);
                          }}
                          onOpenFile={(p) => void openFile(p)}
                        />
                      )}
                    </div>
                  </div>
                </Panel>
                <Separator className="sep h" />
                <Panel defaultSize="30%" minSize="10%">
                  <PortsPanel />
                </Panel>
              </Group>
            </Panel>
            <Separator className="sep v" />
            <Panel defaultSize="54%" minSize="25%">
              <Group orientation="vertical">
                <Panel defaultSize="65%" minSize="15%">
                  {preview ? (
                    <Group orientation="horizontal">
                      <Panel defaultSize="55%" minSize="20%">
                        {editorPane}
                      </Panel>
                      <Separator className="sep v" />
                      <Panel defaultSize="45%" minSize="20%">
                        <PreviewPane
                          projectId={projectId}
                          target={preview}
                          onClose={() => setPreview(null)}
                        />
                      </Panel>
                    </Group>
                  ) : (
                    editorPane
                  )}
                </Panel>
                <Separator className="sep h" />
                <Panel
                  defaultSize="35%"
                  minSize="10%"
                  collapsible
                  collapsedSize="0%"
                  panelRef={terminalPanel}
                  onResize={(size) => setTerminalOpen(size.asPercentage > 0)}
                >
                  <TerminalPanel
                    projectId={projectId}
                    visible={terminalOpen}
                    theme={theme}
                    readOnly={readOnly}
                    onCommand={onTerminalCommand}
                  />
                </Panel>
              </Group>
            </Panel>
            <Separator className="sep v" />
            <Panel defaultSize="28%" minSize="18%">
              <AiPanel
                projectId={projectId}
                readOnly={readOnly}
                getContext={getContext}
                onProposal={setProposal}
              />
            </Panel>
          </Group>
        </div>
        {quickOpen && (
          <QuickOpen
            projectId={projectId}
            onPick={(p) => void openFile(p)}
            onClose={() => setQuickOpen(false)}
          />
        )}
        {conflict && (
          <ConflictDialog
            conflict={conflict}
            theme={theme}
            onKeepMine={(content) => write(conflict.path, content, conflict.theirsEtag)}
            onTakeTheirs={() => {
              modelOf(conflict.path)?.setValue(conflict.theirs);
              patchTab(conflict.path, {
                etag: conflict.theirsEtag,
                saved: conflict.theirs,
                dirty: false,
              });
            }}
            onClose={() => setConflict(null)}
          />
        )}
        {proposal && (
          <EditsReview
            projectId={projectId}
            proposal={proposal}
            theme={theme}
            onClose={() => setProposal(null)}
            onApplied={(p) => void onEditsApplied(p)}
          />
        )}
        {settingsOpen && project && (
          <ProjectSettingsDialog
            project={project}
            canEdit={!readOnly}
            isOwner={role === 'OWNER'}
            onSaved={(p) => {
              setProject(p);
              document.title = `${p.name} — Constellation`;
            }}
            onClose={() => setSettingsOpen(false)}
          />
        )}
      </div>
    </WorkspaceProvider>
  );
}
