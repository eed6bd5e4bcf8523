import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  workspaceEvents: vi.fn(),
  workspace: vi.fn(),
  ports: vi.fn(),
  startWorkspace: vi.fn(),
  stopWorkspace: vi.fn(),
  exec: vi.fn(),
}));
vi.mock('../api/client', () => ({ api }));
const auth = vi.hoisted(() => ({
  user: { id: 'u1', preferences: { autoStartWorkspace: false } } as {
    id: string;
    preferences?: { autoStartWorkspace: boolean };
  },
  setPreferences: vi.fn(),
}));
vi.mock('../modules/auth', () => ({ useAuth: () => auth }));

import { WorkspaceProvider } from '../modules/workspaceContext';
import { AutoStart, IdleBanner, WorkspaceBar } from './WorkspaceBar';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let push: (event: string, data: unknown) => void;
let host: HTMLDivElement;
let root: Root;
const flush = () => act(async () => new Promise((r) => setTimeout(r, 10)));
const badge = () => host.querySelector('[data-testid=workspace-status]')!;

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
  auth.setPreferences.mockReset();
  auth.user = { id: 'u1', preferences: { autoStartWorkspace: false } };
  const enc = new TextEncoder();
  api.workspaceEvents.mockImplementation(
    async () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          push = (event, data) =>
            c.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        },
      }),
  );
  api.ports.mockResolvedValue([]);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

async function render() {
  await act(async () =>
    root.render(
      <WorkspaceProvider projectId="p1" canControl isOwner onOpenPreview={() => undefined}>
        <WorkspaceBar onSettings={() => undefined} />
        <AutoStart />
        <IdleBanner />
      </WorkspaceProvider>,
    ),
  );
  await flush();
}
const send = async (event: string, data: unknown) => {
  await act(async () => push(event, data));
  await flush();
};

describe('WorkspaceBar', () => {
  it('shows what the server pushes: the phase while starting, the reason of a failure', async () => {
    await render();
    await send('status', { projectId: 'p1', status: 'STARTING', phase: 'creating' });
    expect(badge().textContent).toBe('STARTING (creating…)');
    await send('status', { projectId: 'p1', status: 'STARTING', phase: 'starting' });
    expect(badge().textContent).toBe('STARTING (starting…)');
    await send('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' });
    expect(badge().textContent).toBe('RUNNING');
    expect(host.querySelector('[data-testid=workspace-stop]')).not.toBeNull();
    await send('status', {
      projectId: 'p1',
      status: 'FAILED',
      phase: 'failed',
      reason: 'image constellation/workspace:local is missing',
    });
    expect(badge().textContent).toBe('FAILED');
    expect(host.querySelector('[data-testid=workspace-failure]')?.textContent).toContain(
      'image constellation/workspace:local is missing',
    );
    expect(host.querySelector('[data-testid=workspace-start]')).not.toBeNull();
  });

  it('a paused workspace offers Resume and Stop, and shows the resuming phase', async () => {
    api.startWorkspace.mockResolvedValue({ projectId: 'p1', status: 'RUNNING', runtime: 'docker' });
    await render();
    await send('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' });
    expect(host.querySelector('[data-testid=workspace-resume]')).toBeNull();
    await send('status', { projectId: 'p1', status: 'PAUSED', phase: 'paused' });
    expect(badge().textContent).toBe('PAUSED');
    expect(badge().getAttribute('data-phase')).toBe('paused');
    expect(host.querySelector('[data-testid=workspace-start]')).toBeNull();
    expect(host.querySelector('[data-testid=workspace-stop]')).not.toBeNull();
    // Not a transition: no progress bar while it sits paused.
    expect(host.querySelector('[role=progressbar]')).toBeNull();
    await act(async () =>
      (host.querySelector('[data-testid=workspace-resume]') as HTMLButtonElement).click(),
    );
    await flush();
    expect(api.startWorkspace).toHaveBeenCalledWith('p1');
    await send('status', { projectId: 'p1', status: 'STARTING', phase: 'resuming' });
    expect(badge().textContent).toBe('STARTING (resuming…)');
    expect(host.querySelector('[data-testid=workspace-resume]')).toBeNull();
    await send('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' });
    expect(badge().textContent).toBe('RUNNING');
  });

  it('a viewer sees a paused workspace but gets no Resume or Stop', async () => {
    await act(async () =>
      root.render(
        <WorkspaceProvider
          projectId="p1"
          canControl={false}
          isOwner={false}
          onOpenPreview={() => undefined}
        >
          <WorkspaceBar onSettings={() => undefined} />
        </WorkspaceProvider>,
      ),
    );
    await flush();
    await send('status', { projectId: 'p1', status: 'PAUSED', phase: 'paused' });
    expect(badge().textContent).toBe('PAUSED');
    expect(host.querySelector('[data-testid=workspace-resume]')).toBeNull();
    expect(host.querySelector('[data-testid=workspace-stop]')).toBeNull();
  });

  it('opening a project does not start it while auto-start is off', async () => {
    await render();
    await send('status', { projectId: 'p1', status: 'STOPPED', phase: 'stopped' });
    expect(badge().textContent).toBe('STOPPED');
    expect(api.startWorkspace).not.toHaveBeenCalled();
  });

  it('with auto-start on, opening a stopped project starts it once', async () => {
    auth.user = { id: 'u1', preferences: { autoStartWorkspace: true } };
    api.startWorkspace.mockResolvedValue({
      projectId: 'p1',
      status: 'STARTING',
      runtime: 'docker',
    });
    await render();
    await send('status', { projectId: 'p1', status: 'STOPPED', phase: 'stopped' });
    expect(api.startWorkspace).toHaveBeenCalledTimes(1);
    // A later Stop by the user is not undone.
    await send('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' });
    await send('status', { projectId: 'p1', status: 'STOPPED', phase: 'stopped' });
    expect(api.startWorkspace).toHaveBeenCalledTimes(1);
  });

  it('the auto-start toggle stores the preference', async () => {
    auth.setPreferences.mockResolvedValue(undefined);
    await render();
    await act(async () =>
      (host.querySelector('[data-testid=auto-start]') as HTMLInputElement).click(),
    );
    expect(auth.setPreferences).toHaveBeenCalledWith({ autoStartWorkspace: true });
  });

  it('warns a minute before the idle stop; Keep running is activity and hides the warning', async () => {
    api.exec.mockResolvedValue({ exitCode: 0, stdout: '', stderr: '' });
    await render();
    await send('status', { projectId: 'p1', status: 'RUNNING', phase: 'ready' });
    await send('idle-warning', { stopsAt: new Date(Date.now() + 60_000).toISOString() });
    const banner = host.querySelector('[data-testid=idle-warning]');
    expect(banner?.textContent).toMatch(/Stopping in (59|60) s for inactivity — Keep running/);
    await act(async () =>
      (host.querySelector('[data-testid=keep-running]') as HTMLButtonElement).click(),
    );
    await flush();
    expect(api.exec).toHaveBeenCalledWith('p1', 'true', 10);
    expect(api.startWorkspace).not.toHaveBeenCalled();
    expect(host.querySelector('[data-testid=idle-warning]')).toBeNull();
  });
});
