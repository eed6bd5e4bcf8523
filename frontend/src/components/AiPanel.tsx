import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { messageOf } from '../api/problem';
import type {
  AgentMessage,
  AiUsageToday,
  ChatMode,
  Conversation,
  MessageContext,
  Permissions,
  ProposedEdits,
  StepDecision,
  TokenUsage,
  Usage,
} from '../api/types';
import {
  emptyTurn,
  formatTokens,
  formatUsd,
  reduceTurn,
  totalTokens,
  turnFromMessage,
  type TurnState,
} from '../modules/agentTurn';
import { AgentTurnView, type TurnActions } from './AgentTurn';
import { ContextMeter, type MeterState } from './ContextMeter';
import { ErrorBanner } from './ErrorBanner';
import { MarkdownView } from './MarkdownView';
import { PermissionsLine } from './PermissionsLine';

export interface EditorContext {
  path: string | null;
  selection: { startLine: number; endLine: number } | null;
}

// A message still being written has no createdAt yet, so only the fields shown are taken.
interface ChatMessage extends Pick<AgentMessage, 'id' | 'role' | 'content' | 'usage'> {
  streaming?: boolean;
  error?: string;
  /** An agent turn's steps (live or stored). */
  turn?: TurnState | null;
}

interface Props {
  projectId: string;
  readOnly: boolean;
  getContext(): EditorContext;
  onProposal(p: ProposedEdits): void;
  /** Files changed behind the editor's back (a checkpoint restore): read open tabs again. */
  onFilesChanged?(paths: string[]): void;
}

const MODE_KEY = 'constellation.chatMode';
const NO_PERMISSIONS: Permissions = { edits: false, commandPatterns: [] };

export function AiPanel({ projectId, readOnly, getContext, onProposal, onFilesChanged }: Props) {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [cid, setCid] = useState<string | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [input, setInput] = useState('');
  const [attachFile, setAttachFile] = useState(true);
  const [attachSelection, setAttachSelection] = useState(false);
  const [busy, setBusy] = useState<null | 'chat' | 'edits'>(null);
  const [error, setError] = useState<unknown>(null);
  const [chosenMode, setMode] = useState<ChatMode>(() =>
    localStorage.getItem(MODE_KEY) === 'agent' ? 'agent' : 'ask',
  );
  // Viewers keep ask mode whatever was chosen before.
  const mode: ChatMode = readOnly ? 'ask' : chosenMode;
  const [permissions, setPermissions] = useState<Permissions>(NO_PERMISSIONS);
  const [meter, setMeter] = useState<MeterState>({});
  const [today, setToday] = useState<AiUsageToday | null>(null);
  const [stopping, setStopping] = useState(false);
  const sending = useRef<{ cid: string; mode: ChatMode } | null>(null);
  // The model's window is told with each turn; a stored conversation's context is measured by it.
  const contextWindow = useRef(0);
  const abort = useRef<AbortController | null>(null);
  const list = useRef<HTMLDivElement>(null);
  // A conversation this panel has just created has no history to load; loading it anyway would
  // race the first message and replace its streaming answer with the (still empty) server copy.
  const created = useRef<string | null>(null);

  const loadConversations = useCallback(async () => {
    const page = await api.listConversations(projectId);
    setConversations(page.items);
    return page.items;
  }, [projectId]);

  useEffect(() => {
    loadConversations().then((items) => setCid((c) => c ?? items[0]?.id ?? null), setError);
    return () => abort.current?.abort();
  }, [loadConversations]);

  useEffect(() => {
    if (!cid) {
      created.current = null;
      setMessages([]);
      return;
    }
    if (created.current === cid) return;
    created.current = null;
    let live = true;
    api.getConversation(cid).then(
      (c) => {
        if (!live) return;
        setMessages((c.messages ?? []).map((m) => ({ ...m, turn: turnFromMessage(m) })));
        setPermissions(c.permissions ?? NO_PERMISSIONS);
        setMeter({
          conversation: c.usage ?? null,
          context: c.contextTokens
            ? { usedTokens: c.contextTokens, windowTokens: contextWindow.current }
            : null,
        });
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [cid]);

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages]);

  const loadToday = useCallback(() => {
    // The meter is a nicety: an older server without the route leaves it out.
    api.projectAiUsage(projectId).then(setToday, () => setToday(null));
  }, [projectId]);
  useEffect(loadToday, [loadToday]);

  const chooseMode = (m: ChatMode) => {
    setMode(m);
    localStorage.setItem(MODE_KEY, m);
  };

  const newConversation = async () => {
    try {
      const c = await api.createConversation(projectId, `Chat ${new Date().toLocaleString()}`);
      created.current = c.id;
      setConversations((l) => [c, ...l]);
      setMessages([]);
      setPermissions(NO_PERMISSIONS);
      setMeter({});
      setCid(c.id);
      return c.id;
    } catch (e) {
      setError(e);
      return null;
    }
  };

  const context = (): MessageContext | undefined => {
    const ctx = getContext();
    if (!ctx.path) return undefined;
    const out: MessageContext = {};
    if (attachFile) out.files = [ctx.path];
    if (attachSelection && ctx.selection) out.selection = { path: ctx.path, ...ctx.selection };
    return out.files || out.selection ? out : undefined;
  };

  const send = async () => {
    const text = input.trim();
    if (!text || busy) return;
    setError(null);
    const conv = cid ?? (await newConversation());
    if (!conv) return;
    const turnMode = mode;
    setBusy('chat');
    setInput('');
    const pendingId = `pending-${Date.now()}`;
    setMessages((m) => [
      ...m,
      { id: `u-${pendingId}`, role: 'user', content: text },
      {
        id: pendingId,
        role: 'assistant',
        content: '',
        streaming: true,
        turn: turnMode === 'agent' ? emptyTurn() : null,
      },
    ]);
    const update = (fn: (m: ChatMessage) => ChatMessage) =>
      setMessages((all) => all.map((m) => (m.id === pendingId ? fn(m) : m)));
    const onTurn = (fn: (t: TurnState) => TurnState) =>
      update((m) => ({ ...m, turn: fn(m.turn ?? emptyTurn()) }));
    abort.current = new AbortController();
    sending.current = { cid: conv, mode: turnMode };
    try {
      await api.sendMessage(
        conv,
        text,
        context(),
        {
          onDelta: (t, step) => {
            if (turnMode === 'agent') {
              onTurn((s) => reduceTurn(s, { type: 'delta', data: { text: t, step } }));
              update((m) => ({ ...m, content: m.content + t }));
            } else update((m) => ({ ...m, content: m.content + t }));
          },
          onEvent: (ev) => {
            onTurn((s) => reduceTurn(s, ev));
            if (ev.type === 'usage')
              setMeter({
                context: ev.data.context,
                conversation: ev.data.conversation,
                cacheHitRate: ev.data.cacheHitRate,
              });
            else if (ev.type === 'turn') {
              contextWindow.current = ev.data.contextWindow;
              setMeter((mt) => ({
                ...mt,
                context: mt.context
                  ? { ...mt.context, windowTokens: ev.data.contextWindow }
                  : { usedTokens: 0, windowTokens: ev.data.contextWindow },
              }));
            }
          },
          onDone: (d) => {
            update((m) => ({ ...m, usage: d?.usage, streaming: false }));
            if (turnMode === 'agent') onTurn((s) => reduceTurn(s, { type: 'done', data: d }));
          },
        },
        abort.current.signal,
        turnMode,
      );
    } catch (e) {
      update((m) => ({ ...m, streaming: false, error: messageOf(e) }));
    } finally {
      setBusy(null);
      setStopping(false);
      abort.current = null;
      sending.current = null;
      loadToday();
    }
  };

  /** Stop: an agent turn is stopped by the server (it cancels the model call and any command). */
  const stop = async () => {
    const s = sending.current;
    if (!s || s.mode !== 'agent') return abort.current?.abort();
    setStopping(true);
    try {
      const r = await api.stopTurn(s.cid);
      if (!r.stopped) abort.current?.abort();
    } catch {
      abort.current?.abort();
    }
  };

  const changePermissions = async (p: Permissions) => {
    if (!cid) return;
    try {
      setPermissions(await api.setPermissions(cid, p));
    } catch (e) {
      setError(e);
    }
  };

  const turnActions: TurnActions = {
    projectId,
    readOnly,
    decide: async (stepId: string, d: StepDecision) => {
      if (!cid) return;
      const r = await api.decideStep(cid, stepId, d);
      const status = r?.status === 'denied' || d.decision === 'deny' ? 'denied' : 'running';
      setMessages((all) =>
        all.map((m) => {
          const step = m.turn?.steps[stepId];
          if (!m.turn || !step || step.result) return m;
          return {
            ...m,
            turn: { ...m.turn, steps: { ...m.turn.steps, [stepId]: { ...step, status } } },
          };
        }),
      );
      if (d.allow) api.getPermissions(cid).then(setPermissions, () => undefined);
    },
    onFilesChanged: (paths) => onFilesChanged?.(paths),
  };

  const proposeEdits = async () => {
    const text = input.trim();
    if (!text || busy) return;
    setBusy('edits');
    setError(null);
    try {
      const ctx = getContext();
      const proposal = await api.proposeEdits(
        projectId,
        text,
        attachFile && ctx.path ? [ctx.path] : undefined,
      );
      if (!proposal.edits?.length)
        setError(new Error(proposal.summary || 'The assistant proposed no changes.'));
      else onProposal(proposal);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const ctxNow = getContext();

  return (
    <div className="pane chat" data-testid="ai-panel">
      <div className="pane-head">
        <span>AI</span>
        <select
          className="grow"
          value={cid ?? ''}
          onChange={(e) => setCid(e.target.value || null)}
          aria-label="Conversation"
          style={{ textTransform: 'none', fontSize: 12, padding: 2 }}
        >
          {!cid && <option value="">New conversation</option>}
          {conversations.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title || c.id}
            </option>
          ))}
        </select>
        <button className="link" title="New conversation" onClick={() => void newConversation()}>
          +
        </button>
        {cid && (
          <button
            className="link"
            title="Delete conversation"
            onClick={async () => {
              try {
                await api.deleteConversation(cid);
                const items = await loadConversations();
                setCid(items[0]?.id ?? null);
              } catch (e) {
                setError(e);
              }
            }}
          >
            ✕
          </button>
        )}
      </div>
      <div className="chat-mode row">
        <div className="segmented" role="radiogroup" aria-label="Chat mode">
          {(['ask', 'agent'] as const).map((m) => (
            <button
              key={m}
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? 'active' : ''}
              disabled={!!busy || (m === 'agent' && readOnly)}
              onClick={() => chooseMode(m)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                  e.preventDefault();
                  if (!readOnly && !busy) chooseMode(m === 'ask' ? 'agent' : 'ask');
                }
              }}
              data-testid={`mode-${m}`}
            >
              {m === 'ask' ? 'Ask' : 'Agent'}
            </button>
          ))}
        </div>
        <span className="muted grow" data-testid="mode-hint" style={{ fontSize: 12 }}>
          {readOnly
            ? 'Agent mode needs editor access: as a viewer you can read the conversations.'
            : mode === 'agent'
              ? 'Edits and commands wait for your approval.'
              : 'Claude answers; “Propose edits” opens a review.'}
        </span>
      </div>
      {mode === 'agent' && cid && (
        <PermissionsLine
          permissions={permissions}
          canChange={!readOnly}
          onChange={(p) => void changePermissions(p)}
        />
      )}
      <ContextMeter meter={meter} today={today} />
      <div className="chat-messages" ref={list} data-testid="chat-messages">
        {messages.length === 0 && (
          <p className="muted">
            {mode === 'agent'
              ? 'Describe a task. Claude works through it step by step in the workspace; every step shows here.'
              : 'Ask about this project. The open file can be attached as context.'}
          </p>
        )}
        {messages.map((m) => (
          <div key={m.id} className={`msg ${m.role}`} data-testid={`msg-${m.role}`}>
            {m.role === 'assistant' && m.turn ? (
              <AgentTurnView turn={m.turn} actions={turnActions} live={!!m.streaming} />
            ) : m.role === 'assistant' ? (
              <MarkdownView text={m.content || (m.streaming ? '…' : '')} />
            ) : (
              <div style={{ whiteSpace: 'pre-wrap' }}>{m.content}</div>
            )}
            {m.error && <ErrorBanner error={new Error(m.error)} />}
            {(m.usage || m.streaming) && (
              <div className="meta">
                {m.streaming && <span>{m.turn ? 'working…' : 'streaming…'}</span>}
                {m.turn?.done?.stopReason === 'stopped' && (
                  <span data-testid="turn-stopped">stopped by you</span>
                )}
                {m.usage && (
                  <span data-testid="usage">
                    {m.turn ? turnUsageText(m.turn, m.usage) : usageText(m.usage)}
                  </span>
                )}
              </div>
            )}
          </div>
        ))}
      </div>
      <div className="chat-input">
        <ErrorBanner error={error} onClose={() => setError(null)} />
        <textarea
          placeholder={
            readOnly
              ? 'Viewers can read conversations only.'
              : mode === 'agent'
                ? 'Describe a task for Claude, e.g. “fix the failing test and run npm test”'
                : 'Ask a question, or describe a change and press “Propose edits”'
          }
          aria-label={mode === 'agent' ? 'Task for the agent' : 'Message'}
          value={input}
          disabled={readOnly}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void send();
            }
          }}
          data-testid="chat-input"
        />
        <div className="row" style={{ fontSize: 12, flexWrap: 'wrap' }}>
          <label className="row" style={{ gap: 4 }} title={ctxNow.path ?? 'No file open'}>
            <input
              type="checkbox"
              checked={attachFile}
              onChange={(e) => setAttachFile(e.target.checked)}
              disabled={!ctxNow.path}
            />
            file{ctxNow.path ? `: ${ctxNow.path.split('/').pop()}` : ''}
          </label>
          <label className="row" style={{ gap: 4 }}>
            <input
              type="checkbox"
              checked={attachSelection}
              onChange={(e) => setAttachSelection(e.target.checked)}
              disabled={!ctxNow.path}
            />
            selection
          </label>
          <span className="grow" />
          {busy === 'chat' ? (
            <button onClick={() => void stop()} disabled={stopping} data-testid="chat-stop">
              {stopping ? 'Stopping…' : 'Stop'}
            </button>
          ) : mode === 'agent' ? null : (
            <button
              onClick={() => void proposeEdits()}
              disabled={readOnly || !!busy || !input.trim()}
              data-testid="propose-edits"
            >
              {busy === 'edits' ? 'Proposing…' : 'Propose edits'}
            </button>
          )}
          <button
            className="primary"
            onClick={() => void send()}
            disabled={readOnly || !!busy || !input.trim()}
            data-testid="chat-send"
          >
            Send
          </button>
        </div>
      </div>
    </div>
  );
}

/** "3 model calls · 12.3k tokens · $0.0123": an agent turn's totals. */
export function turnUsageText(turn: TurnState, u: TokenUsage | Usage): string {
  const total = turn.usage?.turn ?? u;
  const calls = turn.callUsage.length;
  const cost = 'costUsd' in total ? formatUsd(total.costUsd as number | undefined) : null;
  return [
    calls ? `${calls} model call${calls === 1 ? '' : 's'}` : '',
    `${formatTokens(totalTokens(total))} tokens`,
    cost ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "12 in · 56 out tokens (340 cache read, 20 cache write)": the prompt cache's input tokens shown apart. */
export function usageText(u: Usage): string {
  const cache = [
    u.cacheReadInputTokens ? `${u.cacheReadInputTokens} cache read` : '',
    u.cacheCreationInputTokens ? `${u.cacheCreationInputTokens} cache write` : '',
  ].filter(Boolean);
  return `${u.inputTokens} in · ${u.outputTokens} out tokens${cache.length ? ` (${cache.join(', ')})` : ''}`;
}
