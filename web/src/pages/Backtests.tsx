/** Placeholder: the Backtests page is being built. */
export function Backtests() {
  return <h1>Backtests</h1>;
}
