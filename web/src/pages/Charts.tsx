import { useMemo, useState } from 'react';
import { CandleChart } from '../components/charts/CandleChart';
import { Async, Empty } from '../components/State';
import { Card, Stat } from '../components/ui';
import { useResource } from '../lib/context';
import { fmtMoney, fmtTime } from '../lib/format';
import { navigate, useLocation } from '../lib/router';
import { barMarkers, indicatorLines, indicatorQuery, toBars, type CandlesAnswer, type PairsAnswer } from './charts/series';

const LIMITS = [100, 300, 500, 1000];

/** Candlesticks of a pair and timeframe from the server's market data, with indicator overlays and the account's trades on the pair. */
export function Charts() {
  const pairs = useResource((api) => api.get<PairsAnswer>('/api/v1/market/pairs'), []);
  return (
    <>
      <h1>Charts</h1>
      <Async resource={pairs} empty={(d) => d.pairs.length === 0} emptyText="The configured market data has no pairs.">
        {(d) => <ChartView pairs={d} />}
      </Async>
    </>
  );
}

function ChartView({ pairs }: { pairs: PairsAnswer }) {
  const { query } = useLocation();
  const pair = pairs.pairs.find((p) => p.pair === query.get('pair')) ?? pairs.pairs[0];
  const tf = pair.timeframes.includes(query.get('tf') ?? '') ? query.get('tf')! : pair.timeframes.includes('1h') ? '1h' : pair.timeframes[0];
  const set = (k: string, v: string) => {
    const q = new URLSearchParams(query);
    q.set(k, v);
    navigate(`/charts?${q.toString()}`, { replace: true });
  };
  const [limit, setLimit] = useState(300);
  const [sma, setSma] = useState<number | null>(20);
  const [ema, setEma] = useState<number | null>(50);
  const [bb, setBb] = useState<number | null>(20);
  const [rsi, setRsi] = useState(true);
  const [macd, setMacd] = useState(false);
  const indicators = indicatorQuery({ sma, ema, bb, rsi, macd });
  const candles = useResource((api) => api.get<CandlesAnswer>('/api/v1/market/candles', { pair: pair.pair, timeframe: tf, limit, indicators }), [pair.pair, tf, limit, indicators], {
    refreshOn: ['OrderFilled', 'PositionClosed'],
  });
  const periodInput = (label: string, value: number | null, setValue: (v: number | null) => void) => (
    <div className="overlay-toggle">
      <label className="check">
        <input type="checkbox" checked={value !== null} onChange={(e) => setValue(e.target.checked ? 20 : null)} /> {label}
      </label>
      {value !== null && (
        <label>
          {label} period
          <input type="number" min={2} max={500} value={value} onChange={(e) => setValue(Math.max(2, Math.min(500, Math.round(Number(e.target.value)) || 2)))} />
        </label>
      )}
    </div>
  );
  return (
    <>
      <Card>
        <div className="form-grid">
          <label>
            Pair
            <select value={pair.pair} onChange={(e) => set('pair', e.target.value)}>
              {pairs.pairs.map((p) => (
                <option key={p.pair} value={p.pair}>
                  {p.pair}
                </option>
              ))}
            </select>
          </label>
          <label>
            Timeframe
            <select value={tf} onChange={(e) => set('tf', e.target.value)}>
              {pair.timeframes.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Bars
            <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
              {LIMITS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="overlays">
          <legend>Indicators</legend>
          {periodInput('SMA', sma, setSma)}
          {periodInput('EMA', ema, setEma)}
          {periodInput('Bollinger', bb, setBb)}
          <label className="check">
            <input type="checkbox" checked={rsi} onChange={(e) => setRsi(e.target.checked)} /> RSI 14
          </label>
          <label className="check">
            <input type="checkbox" checked={macd} onChange={(e) => setMacd(e.target.checked)} /> MACD 12/26/9
          </label>
        </fieldset>
        <p className="muted">
          Data {pair.source}: {fmtTime(pair.first)} to {fmtTime(pair.last)}
        </p>
      </Card>
      <Async resource={candles} empty={(d) => d.candles.length === 0} emptyText="No closed bars for this pair and timeframe yet.">
        {(d) => <PriceChart data={d} />}
      </Async>
    </>
  );
}

function PriceChart({ data }: { data: CandlesAnswer }) {
  const bars = useMemo(() => toBars(data.candles), [data]);
  const lines = useMemo(() => indicatorLines(data.candles, data.indicators), [data]);
  const markers = useMemo(() => barMarkers(bars, data.markers), [bars, data]);
  const last = data.candles[data.candles.length - 1];
  return (
    <Card title={`${data.pair} ${data.timeframe}`}>
      <div className="stats">
        <Stat label="Last close" value={fmtMoney(last.close)} />
        <Stat label="Bar opened" value={fmtTime(new Date(last.timestamp).toISOString())} />
        <Stat label="Trade markers" value={data.markers.length} />
      </div>
      <CandleChart bars={bars} lines={lines} markers={markers} label={`Candlestick chart of ${data.pair} ${data.timeframe} with ${lines.map((l) => l.name).join(', ') || 'no indicators'}`} />
      {data.markers.length === 0 ? (
        <Empty>No trades of the account on {data.pair} in this span.</Empty>
      ) : (
        <details>
          <summary>Trades on this chart ({data.markers.length})</summary>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Trades on this chart">
            <table>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Kind</th>
                  <th>Side</th>
                  <th className="num">Price</th>
                  <th>Detail</th>
                </tr>
              </thead>
              <tbody>
                {data.markers.map((m) => (
                  <tr key={m.id}>
                    <td>{fmtTime(new Date(m.time).toISOString())}</td>
                    <td>{m.kind}</td>
                    <td>{m.side}</td>
                    <td className="num">{fmtMoney(m.price)}</td>
                    <td className="wrap">{m.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </Card>
  );
}
