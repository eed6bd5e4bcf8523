// Placeholder: H5's source control view replaces this file at merge.
export function SourceControlPanel(_props: { projectId: string; onOpen(path: string): void }) {
  return (
    <div className="pane">
      <div className="pane-head">Source Control</div>
      <div className="pane-body muted" style={{ padding: 8 }}>
        Source control arrives with the git feature.
      </div>
    </div>
  );
}
