export type SidebarView = 'explorer' | 'search' | 'scm';

export const SIDEBAR_VIEWS: { id: SidebarView; label: string; icon: string; keys: string }[] = [
  { id: 'explorer', label: 'Explorer', icon: '🗂', keys: 'Ctrl+Shift+E' },
  { id: 'search', label: 'Search', icon: '🔍', keys: 'Ctrl+Shift+F' },
  { id: 'scm', label: 'Source Control', icon: '⑂', keys: 'Ctrl+Shift+G' },
];

/** The IDE's left edge: picks which view fills the sidebar (VS Code's keys switch it too). */
export function ActivityBar({
  view,
  onSelect,
}: {
  view: SidebarView;
  onSelect(view: SidebarView): void;
}) {
  return (
    <nav className="activity-bar" aria-label="Views" role="tablist" aria-orientation="vertical">
      {SIDEBAR_VIEWS.map((v) => (
        <button
          key={v.id}
          role="tab"
          aria-selected={view === v.id}
          aria-label={v.label}
          title={`${v.label} (${v.keys})`}
          className={view === v.id ? 'active' : undefined}
          data-testid={`activity-${v.id}`}
          onClick={() => onSelect(v.id)}
        >
          <span aria-hidden>{v.icon}</span>
        </button>
      ))}
    </nav>
  );
}

/** The view a VS Code shortcut asks for (Ctrl+Shift+E/F/G), or null. */
export function viewForShortcut(
  e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'code'>,
): SidebarView | null {
  if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey) return null;
  if (e.code === 'KeyE') return 'explorer';
  if (e.code === 'KeyF') return 'search';
  if (e.code === 'KeyG') return 'scm';
  return null;
}
