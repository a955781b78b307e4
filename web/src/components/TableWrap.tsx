import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways at phone width: a named region reachable by keyboard (so it can be
 * scrolled without a mouse), positioned so visually hidden captions stay inside it.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap table-region" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
