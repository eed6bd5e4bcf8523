import type { ChatEvent } from '../api/sse';
import { formatUsd as usd } from './usage';
import type {
  AgentMessage,
  Approval,
  CheckpointTaken,
  LimitReached,
  StepStatus,
  TokenUsage,
  ToolResult,
  TurnDone,
  TurnStart,
  UsageUpdate,
} from '../api/types';

/** One tool call of a turn as the chat shows it. */
export interface StepView {
  stepId: string;
  /** The model call (0-based) that asked for it. */
  step: number;
  tool: string;
  input: Record<string, unknown>;
  status: StepStatus;
  approval?: Approval;
  /** A command's output as it streams (the tail, when long). */
  output: string;
  result?: Omit<ToolResult, 'stepId'>;
}

export type TurnItem =
  | { kind: 'text'; step: number; text: string }
  | { kind: 'tool'; stepId: string }
  | { kind: 'checkpoint'; checkpoint: CheckpointTaken }
  | { kind: 'limit'; limit: LimitReached };

/** An agent turn folded from its events, in the order they happened. */
export interface TurnState {
  turn?: TurnStart;
  items: TurnItem[];
  steps: Record<string, StepView>;
  /** Tokens and cost of each model call, by its index. */
  callUsage: TokenUsage[];
  usage?: UsageUpdate;
  done?: TurnDone;
}

export const emptyTurn = (): TurnState => ({ items: [], steps: {}, callUsage: [] });

// Enough of a long command's output for the chat; the whole result stays with the server.
const MAX_STREAMED = 64 * 1024;
const WRITE_TOOLS = new Set(['write_file', 'edit_file', 'delete_file']);

type TurnEvent = Exclude<ChatEvent, { type: 'error' }>;

/** Applies one event of the stream; returns a new state (the old one is never changed). */
export function reduceTurn(s: TurnState, ev: TurnEvent): TurnState {
  switch (ev.type) {
    case 'turn':
      return { ...s, turn: ev.data };
    case 'delta': {
      const step = ev.data.step ?? lastStep(s);
      const last = s.items[s.items.length - 1];
      if (last?.kind === 'text' && last.step === step)
        return {
          ...s,
          items: [...s.items.slice(0, -1), { ...last, text: last.text + ev.data.text }],
        };
      return { ...s, items: [...s.items, { kind: 'text', step, text: ev.data.text }] };
    }
    case 'tool': {
      const d = ev.data;
      const known = s.steps[d.stepId];
      const view: StepView = {
        ...known,
        output: known?.output ?? '',
        stepId: d.stepId,
        step: d.step,
        tool: d.tool,
        input: d.input,
        status: known?.result ? known.status : d.status,
        approval: d.approval ?? known?.approval,
      };
      return {
        ...s,
        steps: { ...s.steps, [d.stepId]: view },
        items: known ? s.items : [...s.items, { kind: 'tool', stepId: d.stepId }],
      };
    }
    case 'tool-output': {
      const known = s.steps[ev.data.stepId];
      if (!known) return s;
      const output = (known.output + ev.data.text).slice(-MAX_STREAMED);
      return { ...s, steps: { ...s.steps, [known.stepId]: { ...known, output } } };
    }
    case 'tool-result': {
      const { stepId, ...result } = ev.data;
      const known = s.steps[stepId];
      if (!known) return s;
      return {
        ...s,
        steps: { ...s.steps, [stepId]: { ...known, status: result.status, result } },
      };
    }
    case 'checkpoint': {
      // Taken before the turn's first write: shown above the write that caused it.
      const at = s.items.findIndex(
        (i) =>
          i.kind === 'tool' &&
          WRITE_TOOLS.has(s.steps[i.stepId]?.tool) &&
          !s.steps[i.stepId]?.result,
      );
      const item: TurnItem = { kind: 'checkpoint', checkpoint: ev.data };
      const items =
        at < 0 ? [...s.items, item] : [...s.items.slice(0, at), item, ...s.items.slice(at)];
      return { ...s, items };
    }
    case 'usage':
      // One usage event follows each model call, in order: the n-th is the n-th call's.
      return { ...s, usage: ev.data, callUsage: [...s.callUsage, ev.data.step] };
    case 'limit':
      return { ...s, items: [...s.items, { kind: 'limit', limit: ev.data }] };
    case 'done':
      return { ...s, done: ev.data };
  }
}

function lastStep(s: TurnState): number {
  let max = 0;
  for (const i of s.items) if (i.kind === 'text') max = Math.max(max, i.step);
  for (const v of Object.values(s.steps)) max = Math.max(max, v.step);
  return max;
}

/** Steps still waiting for the user (the Stop button and the approvals care). */
export const waiting = (s: TurnState) =>
  Object.values(s.steps).filter((v) => v.status === 'awaiting-approval');

/** A stored assistant message's steps as a finished turn: its steps first, then its text. */
export function turnFromMessage(m: AgentMessage): TurnState | null {
  if (!m.steps?.length) return null;
  const s = emptyTurn();
  const seen = new Set<string>();
  for (const st of m.steps) {
    if (st.checkpointId && !seen.has(st.checkpointId)) {
      seen.add(st.checkpointId);
      s.items.push({
        kind: 'checkpoint',
        checkpoint: { checkpointId: st.checkpointId, createdAt: '', fileCount: -1 },
      });
    }
    s.items.push({ kind: 'tool', stepId: st.id });
    s.steps[st.id] = {
      stepId: st.id,
      step: st.step,
      tool: st.tool,
      input: st.input ?? {},
      status: st.status,
      output: '',
      result:
        st.status === 'running' || st.status === 'awaiting-approval'
          ? undefined
          : {
              status: st.status,
              output: st.output ?? '',
              approvedBy: st.approvedBy ?? null,
              exitCode: st.exitCode,
              durationMs: 0,
              checkpointId: st.checkpointId,
            },
    };
  }
  if (m.content) s.items.push({ kind: 'text', step: Number.MAX_SAFE_INTEGER, text: m.content });
  if (m.usage) s.done = { messageId: m.id, usage: m.usage };
  return s;
}

// ---- words for people

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : String(v));

/** "Read src/app.js (lines 10–40)": what a tool call does, in a line. */
export function describeTool(tool: string, input: Record<string, unknown>): string {
  const path = str(input.path);
  switch (tool) {
    case 'list_files':
      return `List files in ${path || 'the project'}`;
    case 'read_file': {
      const range =
        input.startLine || input.endLine
          ? ` (lines ${str(input.startLine) || '1'}–${str(input.endLine) || 'end'})`
          : '';
      return `Read ${path}${range}`;
    }
    case 'search_files':
      return `Search for “${str(input.query)}”${input.include ? ` in ${str(input.include)}` : ''}`;
    case 'write_file':
      return `Write ${path}`;
    case 'edit_file':
      return `Edit ${path}`;
    case 'delete_file':
      return `Delete ${path}`;
    case 'run_command':
      return `Run ${str(input.command)}`;
    case 'read_problems': {
      const paths = Array.isArray(input.paths) ? input.paths.map(str) : [];
      return `Read problems${paths.length ? ` in ${paths.join(', ')}` : ''}`;
    }
    default:
      return tool;
  }
}

export const STATUS_TEXT: Record<StepStatus, string> = {
  running: 'running',
  'awaiting-approval': 'waiting for you',
  ok: 'done',
  error: 'failed',
  denied: 'denied',
  cancelled: 'stopped',
  timeout: 'timed out',
};

export const APPROVED_BY_TEXT: Record<NonNullable<ToolResult['approvedBy']>, string> = {
  user: 'approved by you',
  'auto-edits': 'edits allowed for this conversation',
  'auto-pattern': 'command allowed by a pattern',
  'read-only': 'read-only, ran at once',
};

export const LIMIT_TEXT: Record<LimitReached['reason'], string> = {
  budget: 'The daily token budget is spent',
  'max-steps': 'The turn reached its limit of model calls',
  'max-tokens': 'The turn reached its token limit',
  'wall-time': 'The turn ran out of time',
};

// Runners whose second word is the real command: `npm test`, `git status`, `mvn verify`.
const RUNNERS = new Set([
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'git',
  'mvn',
  './mvnw',
  'gradle',
  './gradlew',
  'cargo',
  'go',
  'make',
  'pip',
  'python',
  'python3',
  'node',
  'docker',
  'dotnet',
]);

/** The pattern "Always allow commands like …" starts with: `npm test -- -u` → `npm test*`. */
export function suggestPattern(command: string): string {
  const words = command.trim().split(/\s+/);
  const first = words[0] ?? '';
  const second = words[1];
  const take =
    RUNNERS.has(first) && second && !second.startsWith('-') && /^[\w.:/@-]+$/.test(second)
      ? `${first} ${second}`
      : first;
  return `${take}*`;
}

/** Dollars as the admin report shows them; a dash when the server did not price it. */
export function formatUsd(v: number | undefined | null): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '—';
  return usd(v);
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export const totalTokens = (u: TokenUsage) =>
  u.inputTokens + u.outputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens;
