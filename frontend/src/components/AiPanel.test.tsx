import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamHandlers } from '../api/client';
import { AiPanel, usageText } from './AiPanel';

const api = vi.hoisted(() => ({
  listConversations: vi.fn(),
  createConversation: vi.fn(),
  getConversation: vi.fn(),
  deleteConversation: vi.fn(),
  sendMessage: vi.fn(),
  proposeEdits: vi.fn(),
  projectAiUsage: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom does no layout: the panel's scroll-to-bottom has nothing to do.
Element.prototype.scrollTo ??= () => undefined;

const usage = {
  inputTokens: 3,
  outputTokens: 36,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 135,
};
const conv = (id: string) => ({
  id,
  projectId: 'p1',
  title: id,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let host: HTMLDivElement;
let root: Root;

async function render() {
  await act(async () => {
    root.render(
      <AiPanel
        projectId="p1"
        readOnly={false}
        getContext={() => ({ path: 'src/server.js', selection: null })}
        onProposal={() => undefined}
      />,
    );
  });
}

async function type(text: string) {
  const area = host.querySelector<HTMLTextAreaElement>('[data-testid=chat-input]')!;
  const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  await act(async () => {
    setValue.call(area, text);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const assistantTexts = () =>
  [...host.querySelectorAll('[data-testid=msg-assistant]')].map((m) => m.textContent ?? '');

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  api.projectAiUsage.mockRejectedValue(new Error('no usage route'));
  localStorage.clear();
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

describe('AiPanel', () => {
  it('keeps the streamed answer of the first message in a conversation it has just created', async () => {
    api.listConversations.mockResolvedValue({ items: [], page: 0, size: 50, total: 0 });
    api.createConversation.mockResolvedValue(conv('c1'));
    // The server copy of the new conversation, were it loaded, has no assistant answer yet.
    api.getConversation.mockResolvedValue({
      ...conv('c1'),
      messages: [{ id: 'u1', role: 'user', content: 'What?', createdAt: '' }],
    });
    api.sendMessage.mockImplementation(
      async (_cid: string, _text: string, _ctx: unknown, h: StreamHandlers) => {
        await sleep(20);
        h.onDelta('Hello ');
        await sleep(5);
        h.onDelta('**world**');
        h.onDone?.({ messageId: 'm1', usage });
      },
    );
    await render();
    await type('What does src/server.js do?');
    await act(async () => {
      host.querySelector<HTMLButtonElement>('[data-testid=chat-send]')!.click();
      await sleep(60);
    });

    expect(api.sendMessage).toHaveBeenCalledWith(
      'c1',
      'What does src/server.js do?',
      { files: ['src/server.js'] },
      expect.anything(),
      expect.anything(),
      'ask',
    );
    expect(assistantTexts()).toHaveLength(1);
    expect(assistantTexts()[0]).toContain('Hello world');
    expect(host.querySelector('[data-testid=usage]')?.textContent).toBe(
      '3 in · 36 out tokens (135 cache write)',
    );
    expect(host.querySelector('[data-testid=msg-user]')?.textContent).toBe(
      'What does src/server.js do?',
    );
    expect(api.getConversation).not.toHaveBeenCalled();
  });

  it('loads the history of an existing conversation, and again after switching away and back', async () => {
    api.listConversations.mockResolvedValue({
      items: [conv('c1'), conv('c2')],
      page: 0,
      size: 50,
      total: 2,
    });
    api.getConversation.mockImplementation(async (id: string) => ({
      ...conv(id),
      messages: [{ id: `a-${id}`, role: 'assistant', content: `answer in ${id}`, createdAt: '' }],
    }));
    await render();
    expect(api.getConversation).toHaveBeenCalledWith('c1');
    expect(assistantTexts()).toEqual([expect.stringContaining('answer in c1')]);

    const select = host.querySelector<HTMLSelectElement>('select[aria-label=Conversation]')!;
    for (const id of ['c2', 'c1']) {
      await act(async () => {
        select.value = id;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
      expect(assistantTexts()).toEqual([expect.stringContaining(`answer in ${id}`)]);
    }
  });

  it('ignores a history that arrives after the user switched to another conversation', async () => {
    api.listConversations.mockResolvedValue({
      items: [conv('slow'), conv('fast')],
      page: 0,
      size: 50,
      total: 2,
    });
    api.getConversation.mockImplementation(async (id: string) => {
      if (id === 'slow') await sleep(40);
      return {
        ...conv(id),
        messages: [{ id: `a-${id}`, role: 'assistant', content: `answer in ${id}`, createdAt: '' }],
      };
    });
    await render();
    const select = host.querySelector<HTMLSelectElement>('select[aria-label=Conversation]')!;
    await act(async () => {
      select.value = 'fast';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await sleep(60);
    });
    expect(assistantTexts()).toEqual([expect.stringContaining('answer in fast')]);
  });
});

describe('usageText', () => {
  it('shows input and output tokens, and the prompt cache only when used', () => {
    expect(
      usageText({
        inputTokens: 12,
        outputTokens: 56,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
      }),
    ).toBe('12 in · 56 out tokens');
    expect(
      usageText({
        inputTokens: 1,
        outputTokens: 5,
        cacheReadInputTokens: 340,
        cacheCreationInputTokens: 20,
      }),
    ).toBe('1 in · 5 out tokens (340 cache read, 20 cache write)');
  });
});
