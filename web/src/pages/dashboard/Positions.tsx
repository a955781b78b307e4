import { TableWrap } from '../../components/TableWrap';
import { useState } from 'react';
import { Badge, ConfirmDialog } from '../../components/ui';
import { fmtMoney, fmtPct, fmtQty, fmtSigned, fmtTime, signClass } from '../../lib/format';
import { positionPnl } from './shape';
import type { Position } from './types';

/** Open positions with live P&L; a Close button per row when `onClose` is given (the trade permission), confirmed first. */
export function PositionsTable({ positions, onClose }: { positions: readonly Position[]; onClose?: (p: Position) => Promise<void> }) {
  const [closing, setClosing] = useState<Position | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <>
      <TableWrap label="Open positions">
        <table>
          <thead>
            <tr>
              <th scope="col">Pair</th>
              <th scope="col">Venue</th>
              <th scope="col">Side</th>
              <th scope="col" className="num">
                Units
              </th>
              <th scope="col" className="num">
                Entry
              </th>
              <th scope="col" className="num">
                Mark
              </th>
              <th scope="col" className="num">
                P&amp;L
              </th>
              <th scope="col" className="num">
                P&amp;L %
              </th>
              <th scope="col">Stop / target</th>
              <th scope="col">Opened</th>
              {onClose && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => {
              const { pnl, fraction } = positionPnl(p);
              return (
                <tr key={p.id} data-testid="position-row">
                  <th scope="row">{p.asset_pair}</th>
                  <td>{p.venue}</td>
                  <td>
                    <Badge tone={p.side === 'long' ? 'ok' : 'warn'}>{p.side}</Badge>
                  </td>
                  <td className="num">{fmtQty(p.units)}</td>
                  <td className="num">{fmtMoney(p.entry_price)}</td>
                  <td className="num">{fmtMoney(p.mark_price)}</td>
                  <td className={`num ${signClass(pnl)}`}>{fmtSigned(pnl)}</td>
                  <td className={`num ${signClass(fraction)}`}>{fmtPct(fraction)}</td>
                  <td>
                    {fmtMoney(p.stop_loss)} / {fmtMoney(p.take_profit)}
                  </td>
                  <td>{fmtTime(p.opened_at)}</td>
                  {onClose && (
                    <td>
                      <button type="button" onClick={() => setClosing(p)} disabled={busy === p.id}>
                        Close
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {onClose && (
        <ConfirmDialog
          open={closing !== null}
          title="Close position"
          confirmLabel="Close position"
          danger
          onCancel={() => setClosing(null)}
          onConfirm={() => {
            const p = closing!;
            setClosing(null);
            setBusy(p.id);
            void onClose(p).finally(() => setBusy(null));
          }}
        >
          {closing && (
            <p>
              Close the {closing.side} {closing.asset_pair} position ({fmtQty(closing.units)} units on {closing.venue}) with a market order?
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
