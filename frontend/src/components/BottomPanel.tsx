import type { ReactNode } from 'react';

export type BottomTab = 'terminal' | 'problems';

/**
 * The panel under the editor: terminals and problems side by side as tabs. Both stay mounted so
 * terminal sessions and their scrollback survive switching to Problems.
 */
export function BottomPanel({
  tab,
  onTab,
  terminal,
  problems,
  problemCount,
}: {
  tab: BottomTab;
  onTab(tab: BottomTab): void;
  terminal: ReactNode;
  problems: ReactNode;
  problemCount?: number;
}) {
  const tabs: { id: BottomTab; label: string }[] = [
    { id: 'terminal', label: 'Terminal' },
    { id: 'problems', label: problemCount ? `Problems (${problemCount})` : 'Problems' },
  ];
  return (
    <div className="pane bottom-panel">
      <div className="bottom-tabs" role="tablist" aria-label="Panel">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'active' : undefined}
            data-testid={`panel-tab-${t.id}`}
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="bottom-body" hidden={tab !== 'terminal'}>
        {terminal}
      </div>
      <div className="bottom-body" hidden={tab !== 'problems'}>
        {problems}
      </div>
    </div>
  );
}
