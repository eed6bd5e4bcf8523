import type { Permissions } from '../api/types';

/** What the agent may do without asking in this conversation, each with a way to take it back. */
export function PermissionsLine({
  permissions,
  canChange,
  onChange,
}: {
  permissions: Permissions;
  canChange: boolean;
  onChange(p: Permissions): void;
}) {
  const none = !permissions.edits && permissions.commandPatterns.length === 0;
  return (
    <div className="permissions-line" data-testid="permissions">
      {none ? (
        <span className="muted">Every edit and command waits for your approval.</span>
      ) : (
        <>
          <span className="muted">Allowed without asking:</span>
          {permissions.edits && (
            <span className="chip" data-testid="permission-edits">
              edits
              {canChange && (
                <button
                  className="link"
                  aria-label="Stop allowing edits without asking"
                  title="Revoke"
                  onClick={() => onChange({ ...permissions, edits: false })}
                >
                  ✕
                </button>
              )}
            </span>
          )}
          {permissions.commandPatterns.map((p) => (
            <span className="chip" key={p} data-testid="permission-pattern">
              <code>{p}</code>
              {canChange && (
                <button
                  className="link"
                  aria-label={`Stop allowing commands like ${p}`}
                  title="Revoke"
                  onClick={() =>
                    onChange({
                      ...permissions,
                      commandPatterns: permissions.commandPatterns.filter((x) => x !== p),
                    })
                  }
                >
                  ✕
                </button>
              )}
            </span>
          ))}
        </>
      )}
    </div>
  );
}
