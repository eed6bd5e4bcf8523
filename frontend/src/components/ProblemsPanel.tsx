// Placeholder: H2's problems view replaces this file at merge.
export function ProblemsPanel(_props: {
  projectId: string;
  onOpen(path: string, line?: number): void;
}) {
  return (
    <div className="pane-body muted" style={{ padding: 8 }}>
      No problems have been detected.
    </div>
  );
}
