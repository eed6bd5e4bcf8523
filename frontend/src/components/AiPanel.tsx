import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { messageOf } from '../api/problem';
import type { Conversation, Message, MessageContext, ProposedEdits, Usage } from '../api/types';
import { ErrorBanner } from './ErrorBanner';
import { MarkdownView } from './MarkdownView';

export interface EditorContext {
  path: string | null;
  selection: { startLine: number; endLine: number } | null;
}

// A message still being written has no createdAt yet, so only the fields shown are taken.
interface ChatMessage extends Pick<Message, 'id' | 'role' | 'content' | 'usage'> {
  streaming?: boolean;
  error?: string;
}

interface Props {
  projectId: string;
  readOnly: boolean;
  getContext(): EditorContext;
  onProposal(p: ProposedEdits): void;
}

export function AiPanel({ projectId, readOnly, getContext, onProposal }: Props) {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [cid, setCid] = useState<string | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [input, setInput] = useState('');
  const [attachFile, setAttachFile] = useState(true);
  const [attachSelection, setAttachSelection] = useState(false);
  const [busy, setBusy] = useState<null | 'chat' | 'edits'>(null);
  const [error, setError] = useState<unknown>(null);
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
      (c) => live && setMessages((c.messages ?? []).map((m) => ({ ...m }))),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [cid]);

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages]);

  const newConversation = async () => {
    try {
      const c = await api.createConversation(projectId, `Chat ${new Date().toLocaleString()}`);
      created.current = c.id;
      setConversations((l) => [c, ...l]);
      setMessages([]);
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
    setBusy('chat');
    setInput('');
    const pendingId = `pending-${Date.now()}`;
    setMessages((m) => [
      ...m,
      { id: `u-${pendingId}`, role: 'user', content: text },
      { id: pendingId, role: 'assistant', content: '', streaming: true },
    ]);
    const update = (fn: (m: ChatMessage) => ChatMessage) =>
      setMessages((all) => all.map((m) => (m.id === pendingId ? fn(m) : m)));
    abort.current = new AbortController();
    try {
      await api.sendMessage(
        conv,
        text,
        context(),
        {
          onDelta: (t) => update((m) => ({ ...m, content: m.content + t })),
          onDone: (d) => update((m) => ({ ...m, usage: d?.usage, streaming: false })),
        },
        abort.current.signal,
      );
    } catch (e) {
      update((m) => ({ ...m, streaming: false, error: messageOf(e) }));
    } finally {
      setBusy(null);
      abort.current = null;
    }
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
      <div className="chat-messages" ref={list} data-testid="chat-messages">
        {messages.length === 0 && (
          <p className="muted">Ask about this project. The open file can be attached as context.</p>
        )}
        {messages.map((m) => (
          <div key={m.id} className={`msg ${m.role}`} data-testid={`msg-${m.role}`}>
            {m.role === 'assistant' ? (
              <MarkdownView text={m.content || (m.streaming ? '…' : '')} />
            ) : (
              <div style={{ whiteSpace: 'pre-wrap' }}>{m.content}</div>
            )}
            {m.error && <ErrorBanner error={new Error(m.error)} />}
            {(m.usage || m.streaming) && (
              <div className="meta">
                {m.streaming && <span>streaming…</span>}
                {m.usage && <span data-testid="usage">{usageText(m.usage)}</span>}
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
              : 'Ask a question, or describe a change and press “Propose edits”'
          }
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
            <button onClick={() => abort.current?.abort()}>Stop</button>
          ) : (
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

/** "12 in · 56 out tokens (340 cache read, 20 cache write)": the prompt cache's input tokens shown apart. */
export function usageText(u: Usage): string {
  const cache = [
    u.cacheReadInputTokens ? `${u.cacheReadInputTokens} cache read` : '',
    u.cacheCreationInputTokens ? `${u.cacheCreationInputTokens} cache write` : '',
  ].filter(Boolean);
  return `${u.inputTokens} in · ${u.outputTokens} out tokens${cache.length ? ` (${cache.join(', ')})` : ''}`;
}
