import { useEffect, useRef } from 'react';

export interface MenuItem {
  label: string;
  onSelect(): void;
  keys?: string;
  danger?: boolean;
  /** Draws a line above this item. */
  separator?: boolean;
}

/** A right-click menu: arrows move, Enter picks, Escape or a click outside closes it. */
export function ContextMenu({
  x,
  y,
  items,
  onClose,
}: {
  x: number;
  y: number;
  items: MenuItem[];
  onClose(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);
  const move = (delta: number) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    all[(i + delta + all.length) % all.length]?.focus();
  };
  // Kept inside the window when opened near an edge.
  const left = Math.max(0, Math.min(x, (globalThis.innerWidth || 1024) - 200));
  const top = Math.max(0, Math.min(y, (globalThis.innerHeight || 768) - items.length * 28 - 16));
  return (
    <div
      className="context-menu"
      role="menu"
      ref={ref}
      style={{ left, top }}
      data-testid="context-menu"
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'ArrowDown') move(1);
        else if (e.key === 'ArrowUp') move(-1);
        else if (e.key === 'Escape' || e.key === 'Tab') onClose();
        else return;
        e.preventDefault();
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <div key={item.label}>
          {item.separator ? <hr /> : null}
          <button
            role="menuitem"
            className={item.danger ? 'danger' : undefined}
            onClick={() => {
              onClose();
              item.onSelect();
            }}
          >
            <span>{item.label}</span>
            {item.keys ? <span className="kbd">{item.keys}</span> : null}
          </button>
        </div>
      ))}
    </div>
  );
}
