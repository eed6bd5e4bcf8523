import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UsagePage } from '../api/types';
import { formatUsd, periodStart } from '../modules/usage';
import { AdminPage } from './AdminPage';

const api = vi.hoisted(() => ({
  listUsers: vi.fn(),
  usage: vi.fn(),
  health: vi.fn(),
  updateUser: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));
vi.mock('../components/TopBar', () => ({
  TopBar: ({ children }: { children?: unknown }) => <header>{children as never}</header>,
}));
vi.mock('../modules/auth', () => ({
  useAuth: () => ({ user: { id: 'u-admin', roles: ['USER', 'ADMIN'] } }),
}));
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const totals = {
  requests: 5,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  totalTokens: 12_000,
  costUsd: 2.5,
  cacheHitRate: 0.75,
};
const row = (key: Partial<UsagePage['items'][number]>, costUsd: number, totalTokens: number) => ({
  ...key,
  requests: 2,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  totalTokens,
  costUsd,
  cacheHitRate: 0.5,
});
const pages: Record<string, UsagePage> = {
  user: {
    items: [row({ userId: 'u-ann' }, 2.25, 9_000), row({ userId: 'u-gone' }, 0.25, 3_000)],
    page: 0,
    size: 100,
    total: 2,
    totals,
  },
  project: {
    items: [row({ projectId: 'p-1' }, 2.5, 12_000)],
    page: 0,
    size: 100,
    total: 1,
    totals,
  },
  model: {
    items: [
      row({ model: 'claude-opus-4-5' }, 2.4, 2_000),
      row({ model: 'claude-haiku-4-5' }, 0.004, 10_000),
    ],
    page: 0,
    size: 100,
    total: 2,
    totals,
  },
};

let host: HTMLDivElement;
let root: Root;
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const cells = () =>
  [...host.querySelectorAll('[data-testid=spend-row]')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent),
  );

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  api.listUsers.mockResolvedValue({
    items: [{ id: 'u-ann', email: 'ann@example.com', displayName: 'Ann', roles: ['USER'] }],
  });
  api.health.mockResolvedValue({ status: 'UP', services: {} });
  api.usage.mockImplementation(async ({ groupBy }: { groupBy: string }) => pages[groupBy]);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

describe('AdminPage spend', () => {
  it('shows spend by user with names, then by project and by model as the select changes', async () => {
    await act(async () => root.render(<AdminPage />));
    await flush();

    expect(api.usage).toHaveBeenLastCalledWith(
      expect.objectContaining({ groupBy: 'user', from: periodStart('30d') }),
    );
    expect(cells()).toEqual([
      ['Ann (ann@example.com)', '2', '9,000', '50 %', '$2.25'],
      ['u-gone', '2', '3,000', '50 %', '$0.25'],
    ]);
    expect(host.querySelector('[data-testid=spend-total]')?.textContent).toBe('$2.50');

    const select = host.querySelector<HTMLSelectElement>('select[aria-label="Spend by"]')!;
    await act(async () => {
      select.value = 'model';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await flush();
    expect(api.usage).toHaveBeenLastCalledWith(expect.objectContaining({ groupBy: 'model' }));
    expect(cells().map((r) => [r[0], r[4]])).toEqual([
      ['claude-opus-4-5', '$2.40'],
      ['claude-haiku-4-5', '$0.0040'],
    ]);

    await act(async () => {
      select.value = 'project';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await flush();
    expect(cells()[0][0]).toBe('p-1');
  });

  it('asks for all time without a from day, and says so when nothing was spent', async () => {
    api.usage.mockResolvedValue({ items: [], page: 0, size: 100, total: 0, totals });
    await act(async () => root.render(<AdminPage />));
    await flush();
    const period = host.querySelector<HTMLSelectElement>('select[aria-label="Period"]')!;
    await act(async () => {
      period.value = 'all';
      period.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await flush();

    expect(api.usage).toHaveBeenLastCalledWith(expect.objectContaining({ from: undefined }));
    expect(host.textContent).toContain('No AI usage in this period.');
  });
});

describe('usage formatting', () => {
  it('counts periods in UTC days and keeps small costs visible', () => {
    const now = new Date('2026-03-01T23:30:00Z');
    expect(periodStart('today', now)).toBe('2026-03-01');
    expect(periodStart('7d', now)).toBe('2026-02-23');
    expect(periodStart('all', now)).toBeUndefined();
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0004)).toBe('$0.0004');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
  });
});
