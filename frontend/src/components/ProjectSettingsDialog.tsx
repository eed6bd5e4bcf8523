import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Project, WorkspaceSettings } from '../api/types';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';

/**
 * Name and description (editors and owners, as project-service allows), the workspace's image,
 * memory and CPUs (owners; applied at the next start). Everyone else reads them.
 */
export function ProjectSettingsDialog({
  project,
  canEdit,
  isOwner,
  onSaved,
  onClose,
}: {
  project: Project;
  canEdit: boolean;
  isOwner: boolean;
  onSaved(p: Project): void;
  onClose(): void;
}) {
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? '');
  const [settings, setSettings] = useState<WorkspaceSettings | null>(null);
  const [image, setImage] = useState('');
  const [memoryMb, setMemoryMb] = useState(0);
  const [cpus, setCpus] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api.workspaceSettings(project.id).then((s) => {
      setSettings(s);
      setImage(s.image);
      setMemoryMb(s.memoryMb);
      setCpus(s.cpus);
    }, setError);
  }, [project.id]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      if (canEdit && (name.trim() !== project.name || description !== (project.description ?? '')))
        onSaved(await api.updateProject(project.id, { name: name.trim(), description }));
      if (
        isOwner &&
        settings &&
        (image !== settings.image || memoryMb !== settings.memoryMb || cpus !== settings.cpus)
      ) {
        const s = await api.updateWorkspaceSettings(project.id, { image, memoryMb, cpus });
        setSettings(s);
      }
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const limits = settings?.limits;
  return (
    <Modal title="Project settings" onClose={onClose}>
      <form className="col" onSubmit={submit} data-testid="settings-dialog">
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            readOnly={!canEdit}
            required
            data-testid="settings-name"
          />
        </label>
        <label>
          Description
          <textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            readOnly={!canEdit}
            rows={3}
            data-testid="settings-description"
          />
        </label>
        <fieldset disabled={!isOwner || !settings}>
          <legend>Workspace</legend>
          {settings ? (
            <>
              <label>
                Image
                <select
                  value={image}
                  onChange={(e) => setImage(e.target.value)}
                  data-testid="settings-image"
                >
                  {[...new Set([settings.image, ...(limits?.images ?? [])])].map((i) => (
                    <option key={i} value={i}>
                      {i}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Memory (MB{limits ? `, up to ${limits.maxMemoryMb}` : ''})
                <input
                  type="number"
                  min={128}
                  max={limits?.maxMemoryMb}
                  step={128}
                  value={memoryMb}
                  onChange={(e) => setMemoryMb(Number(e.target.value))}
                  data-testid="settings-memory"
                />
              </label>
              <label>
                CPUs{limits ? ` (up to ${limits.maxCpus})` : ''}
                <input
                  type="number"
                  min={0.25}
                  max={limits?.maxCpus}
                  step={0.25}
                  value={cpus}
                  onChange={(e) => setCpus(Number(e.target.value))}
                  data-testid="settings-cpus"
                />
              </label>
              <p className="muted">Changes to the workspace apply at its next start.</p>
            </>
          ) : (
            <p className="muted">Loading…</p>
          )}
          {!isOwner && <p className="muted">Only the project's owners change these.</p>}
        </fieldset>
        {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
        {saved && (
          <p className="muted" data-testid="settings-saved">
            Saved.
          </p>
        )}
        <div className="row">
          <span className="grow" />
          <button type="button" onClick={onClose}>
            Close
          </button>
          {(canEdit || isOwner) && (
            <button className="primary" type="submit" disabled={busy} data-testid="settings-save">
              Save
            </button>
          )}
        </div>
      </form>
    </Modal>
  );
}
