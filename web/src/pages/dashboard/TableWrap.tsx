import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways at phone width: a named, keyboard-focusable region (so it can be
 * scrolled without a mouse), positioned so hidden header text stays inside it.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap dash-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
