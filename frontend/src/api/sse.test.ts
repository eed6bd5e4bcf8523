import { describe, expect, it } from 'vitest';
import { parseChatEvent, SseParser } from './sse';

const wire =
  'event: delta\ndata: {"text":"a"}\n\n: keep-alive\n\nevent: delta\r\ndata: {"text":"b\\n"}\r\n\r\nevent: done\rdata: {"messageId":"m"}\r\r';

function parseIn(chunks: string[]) {
  const p = new SseParser();
  const out = chunks.flatMap((c) => p.push(c));
  return [...out, ...p.end()];
}

describe('SseParser', () => {
  it('parses whole events with \\n, \\r\\n and \\r line ends and skips comments', () => {
    expect(parseIn([wire])).toEqual([
      { event: 'delta', data: '{"text":"a"}' },
      { event: 'delta', data: '{"text":"b\\n"}' },
      { event: 'done', data: '{"messageId":"m"}' },
    ]);
  });

  it('gives the same events whatever the chunk boundaries (including mid \\r\\n)', () => {
    const whole = parseIn([wire]);
    for (let size = 1; size <= 9; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.slice(i, i + size));
      expect(parseIn(chunks)).toEqual(whole);
    }
    for (let cut = 1; cut < wire.length; cut++)
      expect(parseIn([wire.slice(0, cut), wire.slice(cut)])).toEqual(whole);
  });

  it('joins multi-line data and defaults the event name to message', () => {
    expect(parseIn(['data: one\ndata:two\n\n'])).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('dispatches a final event without its blank line at end of stream', () => {
    expect(parseIn(['event: done\ndata: {}'])).toEqual([{ event: 'done', data: '{}' }]);
  });
});

describe('parseChatEvent', () => {
  const ev = (event: string, data: unknown) => ({
    event,
    data: typeof data === 'string' ? data : JSON.stringify(data),
  });

  it('types the agent events of the contract', () => {
    expect(
      parseChatEvent(
        ev('tool', {
          stepId: 's1',
          step: 0,
          tool: 'read_file',
          input: { path: 'a' },
          status: 'running',
        }),
      ),
    ).toEqual({
      type: 'tool',
      data: { stepId: 's1', step: 0, tool: 'read_file', input: { path: 'a' }, status: 'running' },
    });
    expect(parseChatEvent(ev('tool-output', { stepId: 's1', text: 'ok\n' }))?.type).toBe(
      'tool-output',
    );
    expect(parseChatEvent(ev('checkpoint', { checkpointId: 'cp', fileCount: 3 }))?.type).toBe(
      'checkpoint',
    );
  });

  it('drops unknown events and data that breaks the contract, keeps an error raw', () => {
    expect(parseChatEvent(ev('thinking', { text: 'x' }))).toBeNull();
    expect(parseChatEvent(ev('tool', { step: 0 }))).toBeNull();
    expect(parseChatEvent(ev('delta', 'not json'))).toBeNull();
    expect(parseChatEvent(ev('error', '{"status":429}'))).toEqual({
      type: 'error',
      data: '{"status":429}',
    });
  });

  it('gives a tool without an input object an empty one', () => {
    const e = parseChatEvent(
      ev('tool', { stepId: 's', step: 1, tool: 'list_files', status: 'running', input: null }),
    );
    expect(e?.type === 'tool' && e.data.input).toEqual({});
  });
});
