import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import type { Project } from '../api/types';
import { MembersDialog, describeMember } from './MembersDialog';

const api = vi.hoisted(() => ({
  usersByIds: vi.fn(),
  lookupUser: vi.fn(),
  setMember: vi.fn(),
  removeMember: vi.fn(),
  getProject: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const people = {
  'u-own': { id: 'u-own', email: 'owner@example.com', displayName: 'Olga Owner' },
  'u-ann': { id: 'u-ann', email: 'ann@example.com', displayName: 'Ann' },
};
const project: Project = {
  id: 'p1',
  name: 'demo',
  description: '',
  ownerId: 'u-own',
  members: [{ userId: 'u-own', role: 'OWNER' }],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
let host: HTMLDivElement;
let root: Root;
const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const rows = () =>
  [...host.querySelectorAll('[data-testid=member] td:first-child')].map((td) => td.textContent);

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  api.usersByIds.mockImplementation(async (ids: string[]) =>
    ids.map((id) => people[id as keyof typeof people]).filter(Boolean),
  );
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

async function addByEmail(email: string) {
  const input = host.querySelector<HTMLInputElement>('[data-testid=member-email]')!;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  await act(async () => {
    setValue.call(input, email);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => host.querySelector<HTMLButtonElement>('[data-testid=add-member]')!.click());
  await flush();
}

describe('MembersDialog', () => {
  it('shows names and emails instead of ids, and adds a member by email', async () => {
    api.lookupUser.mockResolvedValue(people['u-ann']);
    api.setMember.mockResolvedValue({});
    api.getProject.mockResolvedValue({
      ...project,
      members: [...project.members, { userId: 'u-ann', role: 'VIEWER' }],
    });
    await act(async () =>
      root.render(<MembersDialog project={project} canManage onClose={() => undefined} />),
    );
    await flush();
    expect(rows()).toEqual(['Olga Owner (owner)owner@example.com']);

    await act(async () => {
      const select = host.querySelector<HTMLSelectElement>('select[aria-label="New member role"]')!;
      select.value = 'VIEWER';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await addByEmail('ann@example.com');
    expect(api.lookupUser).toHaveBeenCalledWith('ann@example.com');
    expect(api.setMember).toHaveBeenCalledWith('p1', 'u-ann', 'VIEWER');
    expect(rows()).toEqual(['Olga Owner (owner)owner@example.com', 'Annann@example.com']);
    expect(host.querySelector<HTMLInputElement>('[data-testid=member-email]')!.value).toBe('');
  });

  it('says so when no account uses the email, and adds nobody', async () => {
    api.lookupUser.mockRejectedValue(new ApiError(404, null, null, 'Not found'));
    await act(async () =>
      root.render(<MembersDialog project={project} canManage onClose={() => undefined} />),
    );
    await addByEmail('nobody@example.com');
    expect(api.setMember).not.toHaveBeenCalled();
    expect(host.textContent).toContain('No active account uses nobody@example.com.');
    expect(host.querySelector<HTMLInputElement>('[data-testid=member-email]')!.value).toBe(
      'nobody@example.com',
    );
  });
});

describe('describeMember', () => {
  it('prefers the directory, then the id', () => {
    const dir = new Map([['u-ann', people['u-ann']]]);
    expect(describeMember({ userId: 'u-ann', role: 'EDITOR' }, dir)).toEqual({
      name: 'Ann',
      email: 'ann@example.com',
    });
    expect(describeMember({ userId: 'u-y', role: 'VIEWER' }, dir)).toEqual({
      name: 'u-y',
      email: undefined,
    });
  });
});
