import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../api/sse';
import {
  describeTool,
  emptyTurn,
  formatTokens,
  formatUsd,
  reduceTurn,
  suggestPattern,
  turnFromMessage,
  waiting,
  type TurnState,
} from './agentTurn';

type E = Exclude<ChatEvent, { type: 'error' }>;
const play = (events: E[], from: TurnState = emptyTurn()) => events.reduce(reduceTurn, from);
const u = (input: number, output: number, costUsd: number) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  costUsd,
});
const usage = (step: ReturnType<typeof u>) => ({
  type: 'usage' as const,
  data: {
    step,
    turn: step,
    conversation: step,
    context: { usedTokens: 1000, windowTokens: 200000 },
    cacheHitRate: 0.5,
  },
});

describe('reduceTurn', () => {
  it('keeps text and steps in the order they happened, text split by model call', () => {
    const s = play([
      { type: 'turn', data: { turnId: 't', mode: 'agent', model: 'm', contextWindow: 200000 } },
      { type: 'delta', data: { text: 'Let me ', step: 0 } },
      { type: 'delta', data: { text: 'look.', step: 0 } },
      {
        type: 'tool',
        data: {
          stepId: 's1',
          step: 0,
          tool: 'read_file',
          input: { path: 'a.js' },
          status: 'running',
        },
      },
      {
        type: 'tool-result',
        data: { stepId: 's1', status: 'ok', output: 'x', approvedBy: 'read-only', durationMs: 3 },
      },
      { type: 'delta', data: { text: 'Done.', step: 1 } },
    ]);
    expect(s.items).toEqual([
      { kind: 'text', step: 0, text: 'Let me look.' },
      { kind: 'tool', stepId: 's1' },
      { kind: 'text', step: 1, text: 'Done.' },
    ]);
    expect(s.steps.s1).toMatchObject({ status: 'ok', result: { approvedBy: 'read-only' } });
  });

  it("streams a command's output onto its step and takes the result when it ends", () => {
    const s = play([
      {
        type: 'tool',
        data: {
          stepId: 'c',
          step: 0,
          tool: 'run_command',
          input: { command: 'npm test' },
          status: 'running',
        },
      },
      { type: 'tool-output', data: { stepId: 'c', text: 'PASS 1\n' } },
      { type: 'tool-output', data: { stepId: 'c', text: 'PASS 2\n' } },
      { type: 'tool-output', data: { stepId: 'unknown', text: 'lost' } },
      {
        type: 'tool-result',
        data: {
          stepId: 'c',
          status: 'ok',
          output: 'PASS 1\nPASS 2\n',
          approvedBy: 'user',
          exitCode: 0,
          durationMs: 900,
        },
      },
    ]);
    expect(s.steps.c.output).toBe('PASS 1\nPASS 2\n');
    expect(s.steps.c).toMatchObject({ status: 'ok', result: { exitCode: 0 } });
  });

  it('moves a waiting step on when the server says it runs, but never back from a result', () => {
    const approval = { kind: 'command' as const, command: 'npm test' };
    const tool = (status: 'running' | 'awaiting-approval') => ({
      type: 'tool' as const,
      data: {
        stepId: 'c',
        step: 0,
        tool: 'run_command',
        input: { command: 'npm test' },
        status,
        approval,
      },
    });
    let s = play([tool('awaiting-approval')]);
    expect(waiting(s)).toHaveLength(1);
    s = play([tool('running')], s);
    expect(s.steps.c.status).toBe('running');
    expect(s.steps.c.approval).toEqual(approval);
    expect(s.items).toHaveLength(1);
    s = play(
      [
        {
          type: 'tool-result',
          data: { stepId: 'c', status: 'denied', output: '', approvedBy: null, durationMs: 0 },
        },
        tool('running'),
      ],
      s,
    );
    expect(s.steps.c.status).toBe('denied');
  });

  it('shows the checkpoint above the write that caused it', () => {
    const s = play([
      {
        type: 'tool',
        data: { stepId: 'r', step: 0, tool: 'read_file', input: { path: 'a' }, status: 'running' },
      },
      {
        type: 'tool-result',
        data: { stepId: 'r', status: 'ok', output: '', approvedBy: 'read-only', durationMs: 1 },
      },
      {
        type: 'tool',
        data: {
          stepId: 'w',
          step: 1,
          tool: 'edit_file',
          input: { path: 'a' },
          status: 'awaiting-approval',
        },
      },
      { type: 'checkpoint', data: { checkpointId: 'cp1', createdAt: '', fileCount: 4 } },
    ]);
    expect(s.items.map((i) => i.kind)).toEqual(['tool', 'checkpoint', 'tool']);
  });

  it('gives the n-th usage event to the n-th model call and keeps the latest totals', () => {
    const s = play([
      usage(u(10, 5, 0.01)),
      usage(u(20, 7, 0.02)),
      { type: 'limit', data: { reason: 'budget', detail: 'spent' } },
    ]);
    expect(s.callUsage.map((c) => c.costUsd)).toEqual([0.01, 0.02]);
    expect(s.usage?.context.windowTokens).toBe(200000);
    expect(s.items.at(-1)).toEqual({ kind: 'limit', limit: { reason: 'budget', detail: 'spent' } });
  });
});

describe('turnFromMessage', () => {
  it("shows a stored message's steps, its checkpoint once, then its text", () => {
    const s = turnFromMessage({
      id: 'm',
      role: 'assistant',
      content: 'All done.',
      createdAt: '',
      steps: [
        {
          id: 'a',
          step: 0,
          tool: 'edit_file',
          input: { path: 'x' },
          status: 'ok',
          output: 'edited',
          approvedBy: 'user',
          checkpointId: 'cp',
        },
        {
          id: 'b',
          step: 1,
          tool: 'write_file',
          input: { path: 'y' },
          status: 'denied',
          output: '',
          approvedBy: null,
          checkpointId: 'cp',
        },
      ],
    });
    expect(s?.items.map((i) => i.kind)).toEqual(['checkpoint', 'tool', 'tool', 'text']);
    expect(s?.steps.b.result?.status).toBe('denied');
    expect(
      turnFromMessage({ id: 'n', role: 'assistant', content: 'hi', createdAt: '' }),
    ).toBeNull();
  });
});

describe('words', () => {
  it('describes tool calls for people', () => {
    expect(describeTool('read_file', { path: 'src/a.js', startLine: 10, endLine: 40 })).toBe(
      'Read src/a.js (lines 10–40)',
    );
    expect(describeTool('run_command', { command: 'npm test' })).toBe('Run npm test');
    expect(describeTool('search_files', { query: 'TODO', include: '*.ts' })).toBe(
      'Search for “TODO” in *.ts',
    );
  });

  it("suggests a pattern from the command's program and, for runners, its sub-command", () => {
    expect(suggestPattern('npm test -- --watch=false')).toBe('npm test*');
    expect(suggestPattern('cat src/index.js')).toBe('cat*');
    expect(suggestPattern('git status')).toBe('git status*');
    expect(suggestPattern('npm --version')).toBe('npm*');
    expect(suggestPattern('npm te$(x)')).toBe('npm*');
  });

  it('formats money and tokens', () => {
    expect(formatUsd(0.001234)).toBe('$0.0012');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(undefined)).toBe('—');
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(1234)).toBe('1.2k');
    expect(formatTokens(200000)).toBe('200k');
    expect(formatTokens(1_500_000)).toBe('1.5M');
  });
});
