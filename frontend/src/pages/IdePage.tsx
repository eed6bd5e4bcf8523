import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Editor from '@monaco-editor/react';
import { Group, Panel, Separator, usePanelRef } from 'react-resizable-panels';
import { monaco } from '../modules/monaco';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { FilesEvent, Project, ProposedEdits } from '../api/types';
import { AiPanel, type EditorContext } from '../components/AiPanel';
import { ConflictDialog, type Conflict } from '../components/ConflictDialog';
import { EditsReview } from '../components/EditsReview';
import { ActivityBar, viewForShortcut, type SidebarView } from '../components/ActivityBar';
import { BottomPanel, type BottomTab } from '../components/BottomPanel';
import { EditorTabs } from '../components/EditorTabs';
import { ErrorBanner } from '../components/ErrorBanner';
import { FileTree } from '../components/FileTree';
import { ProblemsPanel } from '../components/ProblemsPanel';
import { SearchPanel } from '../components/SearchPanel';
import { SourceControlPanel } from '../components/SourceControlPanel';
import { StatusBar } from '../components/StatusBar';
import { ConfirmDialog, PromptDialog } from '../components/PromptDialog';
import { FilesWatch } from '../components/FilesWatch';
import { DiskBar } from '../components/DiskBar';
import { SignInAgain } from '../components/SignInAgain';
import { BufferStore, type StoredBuffer } from '../modules/buffers';
import { onDiskChange, type OnDisk } from '../modules/diskSync';
import { QuickOpen } from '../components/QuickOpen';
import type { SearchMatch } from '../modules/search';
import { TerminalPanel } from '../components/TerminalPanel';
import { TopBar } from '../components/TopBar';
import { AutoStart, IdleBanner, WorkspaceBar } from '../components/WorkspaceBar';
import { PortsPanel } from '../components/PortsPanel';
import { LspWorkspaceStatus, useLsp } from '../modules/lsp/useLsp';
import { GitDiffView } from '../components/GitDiffView';
import { announceFileSaved, useGitBranch } from '../modules/git';
import { PreviewPane, type PreviewTarget } from '../components/PreviewPane';
import { ProjectSettingsDialog } from '../components/ProjectSettingsDialog';
import { useEditorStatus } from '../modules/editorStatus';
import { useProblemCounts } from '../modules/problems';
import { download, hasEditor, viewerFor, type Viewer } from '../modules/fileKind';
import { BinaryNotice, ImagePreview, MarkdownPreview } from '../components/FileViews';
import { WorkspaceProvider, useWorkspace } from '../modules/workspaceContext';
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
  viewer: Viewer;
  /** The bytes of an image or other binary file (these tabs have no editor). */
  blob?: Blob;
  /** Markdown or SVG shown rendered beside the editor. */
  preview?: boolean;
  /** Brought back from IndexedDB after a reload, a crash or a sign-in. */
  restored?: boolean;
  /** The file on disk moved on while this tab was dirty, or is gone. */
  disk?: 'changed' | 'deleted';
  diskEtag?: string | null;
  diskContent?: string;
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
  const [confirmClose, setConfirmClose] = useState<string | null>(null);
  const [sidebar, setSidebar] = useState<SidebarView>('explorer');
  const [bottomTab, setBottomTab] = useState<BottomTab>('terminal');
  const [saveAsNew, setSaveAsNew] = useState<string | null>(null);
  const [searchFocus, setSearchFocus] = useState({ token: 0, seed: '' });
  // One diff tab, replaced by each click in Source Control (VS Code's preview tab).
  const [diffTab, setDiffTab] = useState<{ path: string; staged: boolean } | null>(null);
  const [diffActive, setDiffActive] = useState(false);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [editor, setEditor] = useState<monaco.editor.IStandaloneCodeEditor | null>(null);
  const editorStatus = useEditorStatus(editor);
  const [liveText, setLiveText] = useState('');
  const terminalPanel = usePanelRef();
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;
  // The user of the page's start: an expired session (user still shown) keeps the same store.
  const userId = user?.id ?? null;
  const buffers = useMemo(
    () => (userId ? new BufferStore(userId, projectId) : null),
    [userId, projectId],
  );
  const buffersRef = useRef(buffers);
  buffersRef.current = buffers;
  const tabsRestored = useRef(false);
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
    if (active) setLiveText(modelOf(active)?.getValue() ?? '');
  }, [active, modelOf]);

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

  // Files change from terminals and from other users: the files watch (FilesWatch) says when.
  const refreshTree = useCallback(() => setTreeKey((k) => k + 1), []);
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
        const file = await api.openFile(projectId, path);
        const viewer = viewerFor(file, path);
        const content = file.text ?? '';
        // Binary bytes never become a model: there is then nothing that could save them as text.
        if (hasEditor(viewer)) {
          const existing = modelOf(path);
          // A model without a tab was read in for go-to-definition; bring it up to date.
          if (existing) {
            if (existing.getValue() !== content) existing.setValue(content);
          } else
            monaco.editor.createModel(content, languageOf(path), monaco.Uri.parse(uriOf(path)));
        }
        const tab: Tab = hasEditor(viewer)
          ? { path, etag: file.etag, saved: content, dirty: false, viewer }
          : { path, etag: file.etag, saved: '', dirty: false, viewer, blob: file.blob };
        setTabs((ts) => (ts.some((t) => t.path === path) ? ts : [...ts, tab]));
        setActive(path);
      } catch (e) {
        setError(e);
      }
    },
    [projectId, modelOf, uriOf],
  );

  // Go to definition, references and the Problems panel open a file at a spot.
  const reveal = useRef<{ path: string; range: monaco.IRange } | null>(null);
  const [revealTick, setRevealTick] = useState(0);
  const openFileAt = useCallback(
    async (path: string, range?: monaco.IRange) => {
      reveal.current = range ? { path, range } : null;
      await openFile(path);
      setRevealTick((t) => t + 1);
    },
    [openFile],
  );
  useEffect(() => {
    const r = reveal.current;
    const ed = editorRef.current;
    if (!r || !ed || ed.getModel()?.uri.toString() !== modelOf(r.path)?.uri.toString()) return;
    reveal.current = null;
    ed.setSelection(r.range);
    ed.revealRangeInCenterIfOutsideViewport(r.range);
    ed.focus();
  }, [active, revealTick, modelOf]);
  const lsp = useLsp(projectId, project !== null && !readOnly, {
    openFile: (path, range) => void openFileAt(path, range),
    isOpen: (path) => tabsRef.current.some((t) => t.path === path),
  });

  // The ref too, at once: Monaco's onChange (run inside setValue) must see the new `saved`.
  const patchTab = (path: string, patch: Partial<Tab>) => {
    tabsRef.current = tabsRef.current.map((t) => (t.path === path ? { ...t, ...patch } : t));
    setTabs((ts) => ts.map((t) => (t.path === path ? { ...t, ...patch } : t)));
  };

  /** Replaces a model's text as one undoable edit, keeping the cursor and scroll of its editor. */
  const replaceText = useCallback(
    (path: string, content: string) => {
      const model = modelOf(path);
      if (!model || model.getValue() === content) return;
      const ed = editorRef.current;
      const view = ed && ed.getModel() === model ? ed.saveViewState() : null;
      model.pushEditOperations(
        [],
        [{ range: model.getFullModelRange(), text: content }],
        () => null,
      );
      if (ed && view) ed.restoreViewState(view);
    },
    [modelOf],
  );

  /** Reads an open file again after a change on disk and brings its tab up to date. */
  const recheck = useCallback(
    async (path: string) => {
      const before = tabsRef.current.find((t) => t.path === path);
      if (!before || before.saving || !hasEditor(before.viewer)) return;
      let disk: OnDisk | null;
      try {
        disk = await api.readFile(projectId, path);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) return;
        disk = null;
      }
      const tab = tabsRef.current.find((t) => t.path === path);
      const model = modelOf(path);
      if (!tab || !model || tab.saving) return;
      const action = onDiskChange(tab, model.getValue(), disk);
      switch (action.kind) {
        case 'same':
          // our own save coming back, or the file is as this tab knows it again
          if (tab.disk) patchTab(path, { disk: undefined });
          break;
        case 'in-sync':
          patchTab(path, {
            etag: action.etag,
            saved: action.content,
            dirty: false,
            disk: undefined,
            restored: false,
          });
          void buffersRef.current?.drop(path);
          break;
        case 'refresh':
          patchTab(path, {
            etag: action.etag,
            saved: action.content,
            dirty: false,
            disk: undefined,
          });
          replaceText(path, action.content);
          break;
        case 'changed':
          patchTab(path, { disk: 'changed', diskEtag: action.etag, diskContent: action.content });
          break;
        case 'deleted':
          patchTab(path, { disk: 'deleted' });
      }
    },
    [projectId, modelOf, replaceText],
  );

  const onFiles = useCallback(
    (e: FilesEvent) => {
      refreshTree();
      for (const t of tabsRef.current)
        if (e.overflow || e.changes.some((c) => isWithin(t.path, c.path))) void recheck(t.path);
    },
    [refreshTree, recheck],
  );

  /** Opens a tab for `path` after a reload: with its unsaved buffer when there is one. */
  const restoreTab = useCallback(
    async (path: string, kept: StoredBuffer | undefined) => {
      if (!kept) {
        // A tab without unsaved text reopens as any file does: an image stays an image.
        try {
          const file = await api.openFile(projectId, path);
          const viewer = viewerFor(file, path);
          const content = file.text ?? '';
          if (hasEditor(viewer) && !modelOf(path))
            monaco.editor.createModel(content, languageOf(path), monaco.Uri.parse(uriOf(path)));
          const tab: Tab = hasEditor(viewer)
            ? { path, etag: file.etag, saved: content, dirty: false, viewer }
            : { path, etag: file.etag, saved: '', dirty: false, viewer, blob: file.blob };
          setTabs((ts) => (ts.some((t) => t.path === path) ? ts : [...ts, tab]));
        } catch {
          // Gone since: nothing to bring back.
        }
        return;
      }
      // Only text is ever kept as an unsaved buffer.
      const viewer = viewerFor(
        { binary: false, mediaType: /\.svg$/i.test(path) ? 'image/svg+xml' : 'text/plain' },
        path,
      );
      let disk: { content: string; etag: string | null } | null = null;
      try {
        disk = await api.readFile(projectId, path);
      } catch (e) {
        if (!kept || !(e instanceof ApiError && e.status === 404)) return;
      }
      if (tabsRef.current.some((t) => t.path === path)) return;
      const content = kept ? kept.content : disk!.content;
      if (!modelOf(path))
        monaco.editor.createModel(content, languageOf(path), monaco.Uri.parse(uriOf(path)));
      let tab: Tab;
      if (!disk)
        tab = { path, etag: null, saved: '', dirty: true, restored: true, disk: 'deleted', viewer };
      else if (disk.content === kept.content) {
        tab = { path, etag: disk.etag, saved: disk.content, dirty: false, viewer };
        void buffersRef.current?.drop(path);
      } else {
        // The base ETag stays: saving still meets a change made since as a conflict (412).
        const moved = kept.baseEtag !== disk.etag;
        tab = {
          path,
          etag: kept.baseEtag,
          saved: moved ? '' : disk.content,
          dirty: true,
          restored: true,
          viewer,
          ...(moved
            ? { disk: 'changed' as const, diskEtag: disk.etag, diskContent: disk.content }
            : {}),
        };
      }
      setTabs((ts) => (ts.some((t) => t.path === path) ? ts : [...ts, tab]));
    },
    [projectId, modelOf, uriOf],
  );

  // Tabs and unsaved buffers come back after a reload, a crash or a sign-in.
  useEffect(() => {
    if (!buffers) return;
    let cancelled = false;
    tabsRestored.current = false;
    void (async () => {
      const [saved, kept] = await Promise.all([buffers.tabs(), buffers.buffers()]);
      const byPath = new Map(kept.map((b) => [b.path, b]));
      const paths = [...new Set([...(saved?.paths ?? []), ...byPath.keys()])];
      for (const path of paths) {
        if (cancelled) return;
        await restoreTab(path, byPath.get(path));
      }
      if (cancelled) return;
      if (saved?.active && paths.includes(saved.active)) setActive((a) => a ?? saved.active);
      else if (paths.length) setActive((a) => a ?? paths[0]);
      tabsRestored.current = true;
    })();
    return () => {
      cancelled = true;
    };
  }, [buffers, restoreTab]);

  useEffect(() => {
    if (!buffers || !tabsRestored.current) return;
    void buffers.saveTabs({ paths: tabs.map((t) => t.path), active });
  }, [buffers, tabs, active]);

  const write = useCallback(
    async (path: string, content: string, etag: string | null) => {
      const res = await api.writeFile(projectId, path, content, etag);
      lsp.client?.didSave(path);
      const model = modelOf(path);
      const dirty = model ? model.getValue() !== content : false;
      patchTab(path, {
        etag: res.etag,
        saved: content,
        dirty,
        saving: false,
        restored: false,
        disk: undefined,
      });
      if (!dirty) void buffersRef.current?.drop(path);
      announceFileSaved(path);
    },
    [projectId, modelOf, lsp.client],
  );

  const save = useCallback(
    async (path: string | null) => {
      const tab = tabsRef.current.find((t) => t.path === path);
      const model = path ? modelOf(path) : null;
      if (!tab || !model || readOnly || !hasEditor(tab.viewer)) return;
      if (tab.disk === 'deleted') {
        setSaveAsNew(tab.path);
        return;
      }
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
            if (e2 instanceof ApiError && e2.status === 404) {
              patchTab(tab.path, { disk: 'deleted' });
              setSaveAsNew(tab.path);
            } else setError(e2);
          }
        } else if (e instanceof ApiError && e.status === 404) {
          patchTab(tab.path, { disk: 'deleted' });
          setSaveAsNew(tab.path);
        } else setError(e);
      }
    },
    [modelOf, readOnly, write, projectId],
  );

  const discardTab = useCallback(
    (path: string) => {
      const rest = tabsRef.current.filter((t) => t.path !== path);
      setTabs(rest);
      void buffersRef.current?.drop(path);
      if (activeRef.current === path) {
        const i = tabsRef.current.findIndex((t) => t.path === path);
        setActive(rest[Math.min(i, rest.length - 1)]?.path ?? null);
      }
      setTimeout(() => modelOf(path)?.dispose(), 0);
    },
    [modelOf],
  );

  // A tab with unsaved changes is closed only after the person agrees to lose them.
  const closeTab = useCallback(
    (path: string | null) => {
      if (!path) return;
      const tab = tabsRef.current.find((t) => t.path === path);
      if (tab?.dirty) setConfirmClose(path);
      else discardTab(path);
    },
    [discardTab],
  );

  const showBottom = useCallback(
    (tab: BottomTab) => {
      setBottomTab(tab);
      const p = terminalPanel.current;
      if (p?.isCollapsed()) {
        p.expand();
        setTerminalOpen(true);
      }
    },
    [terminalPanel],
  );

  const toggleTerminal = useCallback(() => {
    const p = terminalPanel.current;
    if (!p) return;
    setBottomTab('terminal');
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
      const view = viewForShortcut(e);
      if (view === 'search') {
        e.preventDefault();
        const ed = editorRef.current;
        const sel = ed?.getSelection();
        const text = sel && !sel.isEmpty() ? (ed?.getModel()?.getValueInRange(sel) ?? '') : '';
        setSidebar('search');
        setSearchFocus((f) => ({ token: f.token + 1, seed: text.includes('\n') ? '' : text }));
        return;
      }
      if (view) {
        e.preventDefault();
        setSidebar(view);
        return;
      }
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
      void buffersRef.current?.flush();
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
    gone.forEach((t) => void buffersRef.current?.drop(t.path));
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
  const onEditsAppliedRef = useRef(onEditsApplied);
  onEditsAppliedRef.current = onEditsApplied;

  /** Opens a search hit: the file, then the match selected and scrolled into view once its model is shown. */
  const openMatch = useCallback(
    async (path: string, m: SearchMatch) => {
      await openFile(path);
      const range = new monaco.Range(m.line, m.column, m.line, m.column + m.length);
      const started = Date.now();
      const reveal = () => {
        const ed = editorRef.current;
        if (ed && ed.getModel()?.uri.toString() === monaco.Uri.parse(uriOf(path)).toString()) {
          ed.setSelection(range);
          ed.revealRangeInCenter(range);
          ed.focus();
        } else if (Date.now() - started < 3000) requestAnimationFrame(reveal);
      };
      reveal();
    },
    [openFile, uriOf],
  );

  const onReplaced = useCallback((paths: string[]) => void onEditsAppliedRef.current(paths), []);

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
  const activeTabPreview = !!activeTab?.preview;
  const svgBlob = useMemo(() => new Blob([liveText], { type: 'image/svg+xml' }), [liveText]);
  const mod = isMac ? '⌘' : 'Ctrl';
  const editorPane = (
    <div className="pane">
      <EditorTabs
        tabs={tabs}
        active={active}
        closeTitle={`Close (${mod}+W / Alt+W, middle click)`}
        activeHidden={diffActive}
        onSelect={(p) => {
          setActive(p);
          setDiffActive(false);
        }}
        onClose={closeTab}
        extra={
          diffTab && (
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
          )
        }
      >
        {activeTab &&
          !diffActive &&
          (activeTab.viewer === 'markdown' || activeTab.viewer === 'svg') && (
            <button
              className="link"
              aria-pressed={!!activeTab.preview}
              data-testid="toggle-preview"
              title="Show the rendered file beside the editor"
              onClick={() => {
                setLiveText(modelOf(activeTab.path)?.getValue() ?? '');
                patchTab(activeTab.path, { preview: !activeTab.preview });
              }}
            >
              {activeTab.preview ? 'Hide preview' : 'Preview'}
            </button>
          )}
        {activeTab && !readOnly && !diffActive && hasEditor(activeTab.viewer) && (
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
      </EditorTabs>
      {activeTab?.disk && !diffActive && (
        <DiskBar
          state={activeTab.disk}
          readOnly={readOnly}
          onCompare={() => {
            const model = modelOf(activeTab.path);
            if (model && activeTab.diskContent !== undefined)
              setConflict({
                path: activeTab.path,
                mine: model.getValue(),
                theirs: activeTab.diskContent,
                theirsEtag: activeTab.diskEtag ?? null,
              });
          }}
          onReload={() => {
            const { path, diskContent, diskEtag } = activeTab;
            if (diskContent === undefined) return;
            patchTab(path, {
              etag: diskEtag ?? null,
              saved: diskContent,
              dirty: false,
              disk: undefined,
              restored: false,
            });
            replaceText(path, diskContent);
            void buffersRef.current?.drop(path);
          }}
          onKeepMine={() => {
            const model = modelOf(activeTab.path);
            if (model)
              void write(activeTab.path, model.getValue(), activeTab.diskEtag ?? null).catch(
                setError,
              );
          }}
          onSaveAsNew={() => setSaveAsNew(activeTab.path)}
          onClose={() => closeTab(activeTab.path)}
        />
      )}
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
        ) : activeTab && activeTab.viewer === 'image' && activeTab.blob ? (
          <ImagePreview
            key={activeTab.path}
            path={activeTab.path}
            blob={activeTab.blob}
            onDownload={() => download(projectId, activeTab.path, 'file').catch(setError)}
          />
        ) : activeTab && activeTab.viewer === 'binary' ? (
          <BinaryNotice
            path={activeTab.path}
            size={activeTab.blob?.size ?? 0}
            onDownload={() => download(projectId, activeTab.path, 'file').catch(setError)}
          />
        ) : activeTab ? (
          <div className="editor-split">
            <div className="editor-host">
              <Editor
                path={uriOf(activeTab.path)}
                language={languageOf(activeTab.path)}
                theme={monacoTheme(theme)}
                keepCurrentModel
                onMount={(ed) => {
                  editorRef.current = ed;
                  setEditor(ed);
                }}
                onChange={(value) => {
                  if (activeTabPreview) setLiveText(value ?? '');
                  const path = activeRef.current;
                  const tab = tabsRef.current.find((t) => t.path === path);
                  if (tab && path) {
                    const dirty = (value ?? '') !== tab.saved;
                    if (dirty !== tab.dirty) patchTab(path, { dirty });
                    if (dirty) buffersRef.current?.keep(path, value ?? '', tab.etag);
                    else void buffersRef.current?.drop(path);
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
            </div>
            {activeTab.preview ? (
              <div className="side-preview" aria-label="Preview">
                {activeTab.viewer === 'svg' ? (
                  <ImagePreview path={activeTab.path} blob={svgBlob} />
                ) : (
                  <MarkdownPreview projectId={projectId} path={activeTab.path} text={liveText} />
                )}
              </div>
            ) : null}
          </div>
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
        <FilesWatch onFiles={onFiles} />
        {user && <SignInAgain user={user} />}
        <LspWorkspaceStatus client={lsp.client} />
        <IdleBanner />
        {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
        <div className="ide-body">
          <ActivityBar
            view={sidebar}
            onSelect={(v) => {
              setSidebar(v);
              if (v === 'search') setSearchFocus((f) => ({ token: f.token + 1, seed: '' }));
            }}
          />
          <Group orientation="horizontal">
            <Panel defaultSize="18%" minSize="10%">
              {/* Every view stays mounted so the tree keeps what is expanded while another is shown. */}
              <div className="sidebar-view" hidden={sidebar !== 'explorer'}>
                <Group orientation="vertical">
                  <Panel defaultSize="70%" minSize="20%">
                    <FileTree
                      projectId={projectId}
                      refreshKey={treeKey}
                      readOnly={readOnly}
                      activePath={active}
                      onOpen={(p) => void openFile(p)}
                      onMoved={onMoved}
                      onDeleted={onDeleted}
                    />
                  </Panel>
                  <Separator className="sep h" />
                  <Panel defaultSize="30%" minSize="10%">
                    <PortsPanel />
                  </Panel>
                </Group>
              </div>
              <div className="sidebar-view" hidden={sidebar !== 'search'}>
                <SearchPanel
                  projectId={projectId}
                  readOnly={readOnly}
                  focusToken={searchFocus.token}
                  seed={searchFocus.seed}
                  onOpen={(p, m) => void openMatch(p, m)}
                  onChanged={onReplaced}
                />
              </div>
              <div className="sidebar-view" hidden={sidebar !== 'scm'}>
                <SourceControlPanel
                  projectId={projectId}
                  readOnly={readOnly}
                  onOpenDiff={(path, staged) => {
                    setDiffTab({ path, staged });
                    setDiffActive(true);
                  }}
                  onOpenFile={(p) => void openFile(p)}
                />
              </div>
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
                  <BottomPanel
                    tab={bottomTab}
                    onTab={showBottom}
                    terminal={
                      <TerminalPanel
                        projectId={projectId}
                        visible={terminalOpen && bottomTab === 'terminal'}
                        theme={theme}
                        readOnly={readOnly}
                        onCommand={onTerminalCommand}
                      />
                    }
                    problems={
                      <ProblemsPanel
                        servers={lsp.servers}
                        onOpen={(path, line, column) =>
                          void openFileAt(path, {
                            startLineNumber: line,
                            startColumn: column,
                            endLineNumber: line,
                            endColumn: column,
                          })
                        }
                      />
                    }
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
                onFilesChanged={onReplaced}
              />
            </Panel>
          </Group>
        </div>
        <IdeStatusBar
          projectId={projectId}
          editor={activeTab && hasEditor(activeTab.viewer) ? editorStatus : null}
          onShowProblems={() => showBottom('problems')}
        />
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
                disk: undefined,
                restored: false,
              });
              void buffersRef.current?.drop(conflict.path);
            }}
            onClose={() => setConflict(null)}
          />
        )}
        {confirmClose && (
          <ConfirmDialog
            title="Unsaved changes"
            message={`${basename(confirmClose)} has unsaved changes. Close it and lose them?`}
            confirmLabel="Close without saving"
            onConfirm={() => discardTab(confirmClose)}
            onClose={() => setConfirmClose(null)}
          />
        )}
        {saveAsNew && (
          <PromptDialog
            title="Save as a new file"
            label="Path in the project"
            initial={saveAsNew}
            submitLabel="Save"
            onSubmit={async (to) => {
              const from = saveAsNew;
              const content = modelOf(from)?.getValue() ?? '';
              const res = await api.writeFile(projectId, to, content, null);
              if (to !== from) {
                void buffersRef.current?.drop(from);
                onMoved(from, to);
              }
              patchTab(to, {
                etag: res.etag,
                saved: content,
                dirty: false,
                disk: undefined,
                restored: false,
              });
              void buffersRef.current?.drop(to);
              refreshTree();
            }}
            onClose={() => setSaveAsNew(null)}
          />
        )}
        {proposal && (
          <EditsReview
            projectId={projectId}
            proposal={proposal}
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

/** The status bar fed from the workspace context (which lives below the page's own state). */
function IdeStatusBar({
  projectId,
  editor,
  onShowProblems,
}: {
  projectId: string;
  editor: ReturnType<typeof useEditorStatus>;
  onShowProblems(): void;
}) {
  const ws = useWorkspace();
  const problems = useProblemCounts();
  const git = useGitBranch(projectId);
  return (
    <StatusBar
      editor={editor}
      branch={git?.branch ?? undefined}
      problems={problems}
      workspace={ws.status?.status}
      onShowProblems={onShowProblems}
    />
  );
}
