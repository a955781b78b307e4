import { TableWrap } from '../../components/TableWrap';
import { fmtMoney, fmtPct } from '../../lib/format';
import { allocationRows } from './shape';
import type { Allocation } from './types';

/** One allocation table (by venue or by asset): value, signed share and a bar. */
export function AllocationTable({ caption, label, allocs, total, currency }: { caption: string; label: string; allocs: readonly Allocation[]; total: number; currency: string }) {
  const rows = allocationRows(allocs, total);
  if (!rows.length) return <p className="state empty">No holdings.</p>;
  return (
    <TableWrap label={caption}>
      <table className="alloc-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">
              Value ({currency})
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col">
              <span className="sr-only">Share bar</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-testid="allocation-row">
              <th scope="row">{r.name}</th>
              <td className="num">{fmtMoney(r.value)}</td>
              <td className="num">{fmtPct(r.share, 1)}</td>
              <td className="alloc-bar-cell" aria-hidden="true">
                <span className={`alloc-bar ${r.share < 0 ? 'short' : ''}`} style={{ width: `${r.bar}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
