import { histogram } from './analysis';

/**
 * A histogram as plain bars (no chart library): the bars are drawn with CSS widths and the same
 * numbers are in a table for screen readers.
 */
export function Histogram({ title, values, format, bins = 20 }: { title: string; values: readonly number[]; format(v: number): string; bins?: number }) {
  const hist = histogram(values, bins);
  if (!hist.length) return <p className="state empty">No outcomes to draw.</p>;
  const top = Math.max(...hist.map((b) => b.count));
  return (
    <figure className="histogram">
      <figcaption>{title}</figcaption>
      <div className="histogram-bars" aria-hidden="true">
        {hist.map((b, i) => (
          <div key={i} className="histogram-bar" style={{ height: `${top ? (b.count / top) * 100 : 0}%` }} title={`${format(b.from)} to ${format(b.to)}: ${b.count}`} />
        ))}
      </div>
      <div className="histogram-axis muted small" aria-hidden="true">
        <span>{format(hist[0].from)}</span>
        <span>{format(hist[hist.length - 1].to)}</span>
      </div>
      <details>
        <summary>Bins of {title.toLowerCase()}</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`Bins of ${title.toLowerCase()}`}>
          <table>
            <thead>
              <tr>
                <th>From</th>
                <th>To</th>
                <th className="num">Count</th>
              </tr>
            </thead>
            <tbody>
              {hist.map((b, i) => (
                <tr key={i}>
                  <td>{format(b.from)}</td>
                  <td>{format(b.to)}</td>
                  <td className="num">{b.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
