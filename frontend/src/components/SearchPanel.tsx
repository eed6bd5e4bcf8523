// Placeholder: H3's search view replaces this file at merge.
export function SearchPanel(_props: {
  projectId: string;
  onOpen(path: string, line?: number): void;
}) {
  return (
    <div className="pane">
      <div className="pane-head">Search</div>
      <div className="pane-body muted" style={{ padding: 8 }}>
        Search arrives with the search feature.
      </div>
    </div>
  );
}
