import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamHandlers } from '../api/client';
import type { ChatEvent } from '../api/sse';

const api = vi.hoisted(() => ({
  listConversations: vi.fn(),
  createConversation: vi.fn(),
  getConversation: vi.fn(),
  deleteConversation: vi.fn(),
  sendMessage: vi.fn(),
  proposeEdits: vi.fn(),
  projectAiUsage: vi.fn(),
  decideStep: vi.fn(),
  stopTurn: vi.fn(),
  getPermissions: vi.fn(),
  setPermissions: vi.fn(),
  checkpointDiff: vi.fn(),
  restoreCheckpoint: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));
// Monaco does not run in jsdom; what the diff editor is given is what the review decides.
vi.mock('./SafeDiffEditor', () => ({
  SafeDiffEditor: (p: { original: string; modified: string }) => (
    <pre data-testid="fake-diff">
      {p.original}|{p.modified}
    </pre>
  ),
}));

import { AiPanel } from './AiPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
Element.prototype.scrollTo ??= () => undefined;

const conv = {
  id: 'c1',
  projectId: 'p1',
  title: 'c1',
  createdBy: 'u1',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const flush = () => act(async () => sleep(10));
const $ = (id: string) => host.querySelector<HTMLElement>(`[data-testid=${id}]`);
const $$ = (id: string) => [...host.querySelectorAll<HTMLElement>(`[data-testid=${id}]`)];
const click = (el: Element | null) =>
  act(async () => {
    if (!el) throw new Error('nothing to click');
    (el as HTMLElement).click();
    await sleep(10);
  });

let host: HTMLDivElement;
let root: Root;
/** The handlers of the message being streamed: the test plays the server. */
let stream: StreamHandlers;
let finish: (stopReason?: 'end_turn' | 'stopped') => void;
const filesChanged: string[][] = [];

const emit = (ev: Exclude<ChatEvent, { type: 'error' | 'done' }>) =>
  act(async () => {
    if (ev.type === 'delta') stream.onDelta(ev.data.text, ev.data.step);
    else stream.onEvent?.(ev);
    await sleep(5);
  });
const usage = (inputTokens: number, costUsd: number) => ({
  inputTokens,
  outputTokens: 100,
  cacheReadInputTokens: 900,
  cacheCreationInputTokens: 0,
  costUsd,
});

async function render(readOnly = false) {
  await act(async () => {
    root.render(
      <AiPanel
        projectId="p1"
        readOnly={readOnly}
        getContext={() => ({ path: null, selection: null })}
        onProposal={() => undefined}
        onFilesChanged={(p) => filesChanged.push(p)}
      />,
    );
  });
  await flush();
}

async function startAgentTurn(task = 'Fix the test') {
  await click($('mode-agent'));
  const area = host.querySelector<HTMLTextAreaElement>('[data-testid=chat-input]')!;
  const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  await act(async () => {
    setValue.call(area, task);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await click($('chat-send'));
}

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  localStorage.clear();
  filesChanged.length = 0;
  api.listConversations.mockResolvedValue({ items: [conv], page: 0, size: 50, total: 1 });
  api.getConversation.mockResolvedValue({
    ...conv,
    messages: [],
    permissions: { edits: false, commandPatterns: [] },
  });
  api.projectAiUsage.mockResolvedValue({
    today: {
      user: { usedTokens: 25_000, budgetTokens: 100_000, costUsd: 0.12 },
      project: { usedTokens: 0, budgetTokens: 0, costUsd: 0 },
    },
  });
  api.sendMessage.mockImplementation(
    (_c: string, _t: string, _x: unknown, h: StreamHandlers) =>
      new Promise<void>((resolve) => {
        stream = h;
        finish = (stopReason = 'end_turn') => {
          h.onDone?.({ messageId: 'm1', usage: usage(10, 0.01), stopReason });
          resolve();
        };
      }),
  );
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

describe('AiPanel in agent mode', () => {
  it('sends the task in agent mode and shows each step as it happens, with its output and cost', async () => {
    await render();
    await startAgentTurn('Fix the test');
    expect(api.sendMessage).toHaveBeenCalledWith(
      'c1',
      'Fix the test',
      undefined,
      expect.anything(),
      expect.anything(),
      'agent',
    );
    await emit({
      type: 'turn',
      data: { turnId: 't1', mode: 'agent', model: 'claude', contextWindow: 200_000 },
    });
    await emit({ type: 'delta', data: { text: 'Reading the file first.', step: 0 } });
    await emit({
      type: 'tool',
      data: {
        stepId: 's1',
        step: 0,
        tool: 'read_file',
        input: { path: 'src/a.js' },
        status: 'running',
      },
    });
    await emit({ type: 'usage', data: meterData(50_000, 0.0123) });
    let card = $$('step-card')[0];
    expect(card.textContent).toContain('Read src/a.js');
    expect(card.dataset.status).toBe('running');
    expect(card.querySelector('[data-testid=step-cost]')?.textContent).toContain('$0.01');

    await emit({
      type: 'tool-result',
      data: {
        stepId: 's1',
        status: 'ok',
        output: 'const a = 1;',
        approvedBy: 'read-only',
        durationMs: 4,
      },
    });
    card = $$('step-card')[0];
    expect(card.dataset.status).toBe('ok');
    expect(card.querySelector('summary')?.textContent).toContain('read-only, ran at once');
    expect(card.querySelector('[data-testid=step-result]')?.textContent).toBe('const a = 1;');

    await emit({
      type: 'tool',
      data: {
        stepId: 's2',
        step: 1,
        tool: 'run_command',
        input: { command: 'npm test' },
        status: 'running',
      },
    });
    await emit({ type: 'tool-output', data: { stepId: 's2', text: 'PASS src/a.test.js\n' } });
    expect($$('step-card')[1].querySelector('[data-testid=step-output]')?.textContent).toBe(
      'PASS src/a.test.js\n',
    );
    await emit({ type: 'delta', data: { text: 'All green.', step: 2 } });
    await act(async () => finish());
    await flush();
    // The text between steps stays where it was said.
    const turn = $('agent-turn')!;
    expect(turn.textContent!.indexOf('Reading the file first.')).toBeLessThan(
      turn.textContent!.indexOf('Read src/a.js'),
    );
    expect(turn.textContent!.indexOf('All green.')).toBeGreaterThan(
      turn.textContent!.indexOf('Run npm test'),
    );
    expect($('usage')?.textContent).toContain('1 model call');
  });

  it('approves an edit after showing its change set, and allows edits for the conversation', async () => {
    api.decideStep.mockResolvedValue({ stepId: 'w1', status: 'running' });
    api.getPermissions.mockResolvedValue({ edits: true, commandPatterns: [] });
    api.setPermissions.mockImplementation(async (_c: string, p: unknown) => p);
    await render();
    await startAgentTurn();
    await emit({
      type: 'tool',
      data: {
        stepId: 'w1',
        step: 0,
        tool: 'edit_file',
        input: { path: 'src/a.js', old_text: 'a', new_text: 'b' },
        status: 'awaiting-approval',
        approval: {
          kind: 'edit',
          changes: [
            { path: 'src/a.js', action: 'modify', before: 'old text\n', after: 'new text\n' },
          ],
        },
      },
    });
    const approval = $('approval')!;
    expect(approval.getAttribute('aria-label')).toBe(
      'Approval needed: Claude wants to change 1 file',
    );
    expect(approval.querySelector('[data-testid=fake-diff]')?.textContent).toBe(
      'old text\n|new text\n',
    );
    await click($('allow-edits'));
    expect(api.decideStep).toHaveBeenCalledWith('c1', 'w1', {
      decision: 'approve',
      allow: 'edits',
    });
    expect($('approval')).toBeNull();
    expect($$('step-card')[0].dataset.status).toBe('running');
    expect($('permission-edits')?.textContent).toContain('edits');

    await click($('permission-edits')!.querySelector('button'));
    expect(api.setPermissions).toHaveBeenCalledWith('c1', { edits: false, commandPatterns: [] });
    expect($('permissions')?.textContent).toBe('Every edit and command waits for your approval.');
  });

  it('offers to always allow a command by an editable pattern, and shows a refusal the server gives', async () => {
    api.decideStep
      .mockRejectedValueOnce(new Error('The pattern is not allowed.'))
      .mockResolvedValueOnce({ stepId: 'c1s', status: 'running' });
    api.getPermissions.mockResolvedValue({ edits: false, commandPatterns: ['npm run*'] });
    await render();
    await startAgentTurn();
    await emit({
      type: 'tool',
      data: {
        stepId: 'c1s',
        step: 0,
        tool: 'run_command',
        input: { command: 'npm test -- --watch=false' },
        status: 'awaiting-approval',
        approval: { kind: 'command', command: 'npm test -- --watch=false' },
      },
    });
    expect($('approval-command')?.textContent).toBe('$ npm test -- --watch=false');
    const input = $('allow-pattern') as HTMLInputElement;
    expect(input.value).toBe('npm test*');
    await click($('allow-command'));
    expect(api.decideStep).toHaveBeenLastCalledWith('c1', 'c1s', {
      decision: 'approve',
      allow: 'command',
      pattern: 'npm test*',
    });
    expect($('approval')?.textContent).toContain('The pattern is not allowed.');

    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    await act(async () => {
      setValue.call(input, 'npm run*');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click($('allow-command'));
    expect(api.decideStep).toHaveBeenLastCalledWith('c1', 'c1s', {
      decision: 'approve',
      allow: 'command',
      pattern: 'npm run*',
    });
    expect($('permission-pattern')?.textContent).toContain('npm run*');
  });

  it('denies a step with the keyboard alone', async () => {
    api.decideStep.mockResolvedValue({ stepId: 'x', status: 'denied' });
    await render();
    await startAgentTurn();
    await emit({
      type: 'tool',
      data: {
        stepId: 'x',
        step: 0,
        tool: 'run_command',
        input: { command: 'curl http://evil' },
        status: 'awaiting-approval',
        approval: { kind: 'command', command: 'curl http://evil' },
      },
    });
    const deny = $('deny') as HTMLButtonElement;
    // Native buttons: focusable, Enter and Space activate them.
    expect(deny.tagName).toBe('BUTTON');
    deny.focus();
    expect(document.activeElement).toBe(deny);
    await click(deny);
    expect(api.decideStep).toHaveBeenCalledWith('c1', 'x', { decision: 'deny' });
    expect($$('step-card')[0].dataset.status).toBe('denied');
  });

  it('stops a running turn through the server', async () => {
    api.stopTurn.mockResolvedValue({ stopped: true });
    await render();
    await startAgentTurn();
    await emit({
      type: 'tool',
      data: {
        stepId: 'r',
        step: 0,
        tool: 'run_command',
        input: { command: 'sleep 100' },
        status: 'running',
      },
    });
    await click($('chat-stop'));
    expect(api.stopTurn).toHaveBeenCalledWith('c1');
    expect($('chat-stop')?.textContent).toBe('Stopping…');
    await emit({
      type: 'tool-result',
      data: { stepId: 'r', status: 'cancelled', output: '', approvedBy: 'user', durationMs: 800 },
    });
    await act(async () => finish('stopped'));
    await flush();
    expect($$('step-card')[0].dataset.status).toBe('cancelled');
    expect($('turn-stopped')?.textContent).toBe('stopped by you');
    expect($('chat-stop')).toBeNull();
  });

  it('restores a checkpoint after a confirmation, refreshes the files and offers an undo', async () => {
    api.checkpointDiff.mockResolvedValue({
      files: [
        { path: 'src/a.js', status: 'modified', before: 'old\n', after: 'new\n', binary: false },
        { path: 'src/new.js', status: 'added', after: 'x\n', binary: false },
      ],
    });
    api.restoreCheckpoint.mockResolvedValue({
      restored: ['src/a.js'],
      deleted: ['src/new.js'],
      undoCheckpointId: 'cp-undo',
    });
    await render();
    await startAgentTurn();
    await emit({ type: 'checkpoint', data: { checkpointId: 'cp1', createdAt: '', fileCount: 12 } });
    await act(async () => finish());
    await flush();
    expect(api.checkpointDiff).toHaveBeenCalledWith('p1', 'cp1');
    expect($('checkpoint-summary')?.textContent).toBe('Checkpoint · 2 files changed since');

    await click($('checkpoint-diff'));
    expect(document.querySelector('[role=dialog] [data-testid=fake-diff]')?.textContent).toBe(
      'old\n|new\n',
    );
    await click(document.querySelector('[role=dialog] .buttons button'));

    await click($('checkpoint-restore'));
    expect(api.restoreCheckpoint).not.toHaveBeenCalled();
    expect(document.querySelector('[role=dialog]')?.textContent).toContain(
      '2 files changed since will be restored',
    );
    await click(document.querySelector('[data-testid=confirm]'));
    expect(api.restoreCheckpoint).toHaveBeenCalledWith('p1', 'cp1');
    expect(filesChanged).toEqual([['src/a.js', 'src/new.js']]);
    expect($('checkpoint-restored')?.textContent).toContain('Restored 2 files to the checkpoint.');

    await click($('checkpoint-restored')!.querySelector('button'));
    expect(api.restoreCheckpoint).toHaveBeenLastCalledWith('p1', 'cp-undo');
    expect($('checkpoint-restored')).toBeNull();
  });

  it('meters the context against the window, the spend, the cache and the budget left today', async () => {
    await render();
    expect($('budget-left')?.textContent).toBe('75k tokens left today');
    await startAgentTurn();
    await emit({
      type: 'turn',
      data: { turnId: 't', mode: 'agent', model: 'claude', contextWindow: 200_000 },
    });
    await emit({ type: 'usage', data: meterData(150_000, 0.5) });
    expect($('context-used')?.textContent).toBe('150k / 200k (75%)');
    expect(host.querySelector('[role=meter]')?.getAttribute('aria-valuenow')).toBe('150000');
    expect(host.querySelector('.meter-bar')?.className).toContain('high');
    expect($('conversation-cost')?.textContent).toBe('This chat: 150k tokens · $0.50');
    expect($('cache-hit-rate')?.textContent).toBe('cache hits 90%');
    await act(async () => finish());
    await flush();
    // The budget is read again after the turn.
    expect(api.projectAiUsage).toHaveBeenCalledTimes(2);
  });

  it('does not offer agent mode to a viewer, and says why', async () => {
    localStorage.setItem('constellation.chatMode', 'agent');
    await render(true);
    expect(($('mode-agent') as HTMLButtonElement).disabled).toBe(true);
    expect($('mode-ask')?.getAttribute('aria-checked')).toBe('true');
    expect($('mode-hint')?.textContent).toBe(
      'Agent mode needs editor access: as a viewer you can read the conversations.',
    );
  });
});

function meterData(usedTokens: number, costUsd: number) {
  const u = {
    inputTokens: usedTokens - 1000 + 100,
    outputTokens: 1000,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
    costUsd,
  };
  return {
    step: u,
    turn: u,
    conversation: u,
    context: { usedTokens, windowTokens: 200_000 },
    cacheHitRate: 0.9,
  };
}
