import { Badge } from '../../components/ui';
import { fmtPct } from '../../lib/format';
import { actionTone, type PulseRow, type VoteRow } from './model';
import { TableWrap } from '../../components/TableWrap';

const trendTone = (t: string | null) => (t === 'UPTREND' ? 'ok' : t === 'DOWNTREND' ? 'bad' : 'muted');

export function PulseTable({ rows }: { rows: readonly PulseRow[] }) {
  return (
    <TableWrap label="The pulse on six timeframes">
      <table>
        <caption className="sr-only">The pulse on six timeframes</caption>
        <thead>
          <tr>
            <th scope="col">Timeframe</th>
            <th scope="col">Trend</th>
            <th scope="col" className="num">
              Strength
            </th>
            <th scope="col" className="num">
              RSI
            </th>
            <th scope="col" className="num">
              ADX
            </th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.timeframe} data-testid="pulse-row">
              <th scope="row">{r.timeframe}</th>
              <td>{r.status === 'ok' ? <Badge tone={trendTone(r.trend)}>{r.trend ?? '—'}</Badge> : <span className="muted">{r.status}</span>}</td>
              <td className="num">{r.strength === null ? '—' : Math.round(r.strength)}</td>
              <td className="num">{r.rsi === null ? '—' : r.rsi.toFixed(1)}</td>
              <td className="num">{r.adx === null ? '—' : r.adx.toFixed(1)}</td>
              <td className="wrap muted">{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function VoteTable({ rows }: { rows: readonly VoteRow[] }) {
  if (!rows.length) return <p className="state empty">No provider votes recorded.</p>;
  return (
    <TableWrap label="Each provider's vote">
      <table>
        <caption className="sr-only">Each provider's vote</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Vote</th>
            <th scope="col" className="num">
              Confidence
            </th>
            <th scope="col" className="num">
              Weight
            </th>
            <th scope="col" className="num">
              Latency
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.provider} data-testid="vote-row">
              <th scope="row">
                {r.provider}
                {r.local === true && <span className="muted"> (local)</span>}
              </th>
              <td className={r.failure ? 'wrap' : ''}>{r.failure ? <span className="down">failed: {r.failure}</span> : <Badge tone={actionTone(r.action)}>{r.action ?? '—'}</Badge>}</td>
              <td className="num">{r.confidence === null ? '—' : `${Math.round(r.confidence)} %`}</td>
              <td className="num" title={r.baseWeight !== null && r.baseWeight !== r.weight ? `configured ${fmtPct(r.baseWeight, 1)}` : undefined}>
                {r.weight === null ? '—' : fmtPct(r.weight, 1)}
              </td>
              <td className="num">{r.latencyMs === null ? '—' : `${Math.round(r.latencyMs)} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
