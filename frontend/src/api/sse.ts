import type {
  CheckpointTaken,
  LimitReached,
  ToolCall,
  ToolOutput,
  ToolResult,
  TurnDone,
  TurnStart,
  UsageUpdate,
} from './types';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental text/event-stream parser (WHATWG rules): feed it decoded chunks in any split, it
 * returns the events completed so far. Handles \n, \r\n and \r line ends, comments, multi-line data.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventName = '';
  private id: string | undefined;
  private pendingCR = false;

  push(chunk: string): SseEvent[] {
    const out: SseEvent[] = [];
    let text = chunk;
    if (this.pendingCR && text.startsWith('\n')) text = text.slice(1);
    this.pendingCR = false;
    this.buffer += text;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A trailing lone \r might be the first half of \r\n split across chunks.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) {
        this.pendingCR = true;
      }
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  /** Call at end of stream: a final event without its blank line is dispatched anyway. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.buffer) {
      const ev = this.line(this.buffer);
      this.buffer = '';
      if (ev) out.push(ev);
    }
    const ev = this.line('');
    if (ev) out.push(ev);
    return out;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      if (this.data.length === 0 && !this.eventName) return null;
      const ev: SseEvent = { event: this.eventName || 'message', data: this.data.join('\n') };
      if (this.id !== undefined) ev.id = this.id;
      this.data = [];
      this.eventName = '';
      return ev;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id') this.id = value;
    return null;
  }
}

/** Reads a fetch body as server-sent events. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
      const { value, done } = await reader.read();
      if (done) break;
      for (const ev of parser.push(decoder.decode(value, { stream: true }))) yield ev;
    }
    for (const ev of parser.push(decoder.decode())) yield ev;
    for (const ev of parser.end()) yield ev;
  } finally {
    reader.releaseLock();
  }
}

/** One event of a chat answer's stream (ask mode sends only `delta`, `done` and `error`). */
export type ChatEvent =
  | { type: 'turn'; data: TurnStart }
  | { type: 'delta'; data: { text: string; step?: number } }
  | { type: 'tool'; data: ToolCall }
  | { type: 'tool-output'; data: ToolOutput }
  | { type: 'tool-result'; data: ToolResult }
  | { type: 'checkpoint'; data: CheckpointTaken }
  | { type: 'usage'; data: UsageUpdate }
  | { type: 'limit'; data: LimitReached }
  | { type: 'done'; data: TurnDone }
  | { type: 'error'; data: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (o: Record<string, unknown>, k: string) => typeof o[k] === 'string';

// The fields each event cannot do without; a malformed event is dropped rather than half-shown.
const required: Record<string, (o: Record<string, unknown>) => boolean> = {
  turn: (o) => str(o, 'turnId'),
  delta: (o) => str(o, 'text'),
  tool: (o) => str(o, 'stepId') && str(o, 'tool') && str(o, 'status'),
  'tool-output': (o) => str(o, 'stepId') && str(o, 'text'),
  'tool-result': (o) => str(o, 'stepId') && str(o, 'status'),
  checkpoint: (o) => str(o, 'checkpointId'),
  usage: (o) => isObj(o.turn) && isObj(o.context),
  limit: (o) => str(o, 'reason'),
  done: () => true,
};

/**
 * Types one server-sent event of a chat stream. Unknown events (a newer server) and data that is
 * not the JSON the contract promises give null; `error` keeps its raw problem JSON for the caller.
 */
export function parseChatEvent(ev: SseEvent): ChatEvent | null {
  if (ev.event === 'error') return { type: 'error', data: ev.data };
  const check = required[ev.event];
  if (!check) return null;
  let data: unknown;
  try {
    data = JSON.parse(ev.data);
  } catch {
    return null;
  }
  if (!isObj(data) || !check(data)) return null;
  if (ev.event === 'tool' && !isObj(data.input)) data.input = {};
  return { type: ev.event, data } as ChatEvent;
}
