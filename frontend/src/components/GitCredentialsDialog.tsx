import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { git, type GitCredential } from '../modules/git';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';
import { ConfirmDialog } from './PromptDialog';

/**
 * The caller's git credentials: https tokens and server-made SSH keys. The server keeps the secrets
 * encrypted and never sends them back; the list shows hosts, names and public keys only.
 */
export function GitCredentialsDialog({ onClose }: { onClose(): void }) {
  const [items, setItems] = useState<GitCredential[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState<null | 'https-token' | 'ssh-key'>(null);
  const [removing, setRemoving] = useState<GitCredential | null>(null);
  const [fresh, setFresh] = useState<GitCredential | null>(null);

  const load = useCallback(async () => {
    try {
      setItems(await git.credentials());
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Modal title="Git credentials" onClose={onClose} wide>
      <div className="col" data-testid="git-credentials">
        <p className="muted" style={{ margin: 0 }}>
          Used to clone, pull and push to hosts that need a sign-in. Tokens and private keys are
          stored encrypted and are never shown again or written into a project.
        </p>
        <ErrorBanner error={error} onClose={() => setError(null)} />
        {items && items.length === 0 && <p className="muted">No credentials yet.</p>}
        {items && items.length > 0 && (
          <table>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-testid="git-credential">
                  <td>
                    <strong>{c.host}</strong>
                  </td>
                  <td>{c.kind === 'ssh-key' ? 'SSH key' : `Token for ${c.username ?? ''}`}</td>
                  <td className="muted">
                    {c.createdAt ? new Date(c.createdAt).toLocaleDateString() : ''}
                  </td>
                  <td>
                    {c.publicKey && <CopyButton text={c.publicKey} label="Copy public key" />}
                    <button
                      className="link danger"
                      onClick={() => setRemoving(c)}
                      data-testid="git-credential-delete"
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {fresh?.publicKey && (
          <div className="notice col" data-testid="git-public-key">
            <span>
              Add this public key to your account on <strong>{fresh.host}</strong> (for example
              GitHub → Settings → SSH keys):
            </span>
            <code className="public-key">{fresh.publicKey}</code>
            <CopyButton text={fresh.publicKey} label="Copy public key" />
          </div>
        )}
        {adding ? (
          <AddCredentialForm
            kind={adding}
            onCancel={() => setAdding(null)}
            onAdded={(c) => {
              setAdding(null);
              if (c.kind === 'ssh-key') setFresh(c);
              void load();
            }}
          />
        ) : (
          <div className="buttons">
            <button onClick={() => setAdding('https-token')} data-testid="git-add-token">
              Add an HTTPS token
            </button>
            <button onClick={() => setAdding('ssh-key')} data-testid="git-add-ssh">
              Create an SSH key
            </button>
            <span className="grow" />
            <button onClick={onClose}>Close</button>
          </div>
        )}
      </div>
      {removing && (
        <ConfirmDialog
          title="Delete credential"
          message={`Delete the ${removing.kind === 'ssh-key' ? 'SSH key' : 'token'} for ${removing.host}? Clones, pulls and pushes to that host will need another one.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await git.deleteCredential(removing.id);
            if (fresh?.id === removing.id) setFresh(null);
            await load();
          }}
          onClose={() => setRemoving(null)}
        />
      )}
    </Modal>
  );
}

function AddCredentialForm({
  kind,
  onCancel,
  onAdded,
}: {
  kind: 'https-token' | 'ssh-key';
  onCancel(): void;
  onAdded(c: GitCredential): void;
}) {
  const [host, setHost] = useState('');
  const [username, setUsername] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const h = host.trim();
      onAdded(
        await git.addCredential(
          kind === 'ssh-key'
            ? { kind, host: h }
            : { kind, host: h, username: username.trim() || undefined, token },
        ),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="col" onSubmit={submit} data-testid="git-credential-form">
      <label>
        Host
        <input
          autoFocus
          required
          placeholder="github.com"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          data-testid="git-credential-host"
        />
      </label>
      {kind === 'https-token' && (
        <>
          <label>
            User name <span className="muted">(optional for most hosts)</span>
            <input
              autoComplete="off"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              data-testid="git-credential-username"
            />
          </label>
          <label>
            Token or password
            <input
              required
              type="password"
              autoComplete="new-password"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              data-testid="git-credential-token"
            />
          </label>
        </>
      )}
      {kind === 'ssh-key' && (
        <span className="muted">
          The server creates an ed25519 key pair and shows you its public key to add to your git
          host. The private key never leaves the server.
        </span>
      )}
      <ErrorBanner error={error} />
      <div className="buttons">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button className="primary" disabled={busy} data-testid="git-credential-save">
          {kind === 'ssh-key' ? 'Create key' : 'Save token'}
        </button>
      </div>
    </form>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="link"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          window.prompt(label, text);
        }
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}
