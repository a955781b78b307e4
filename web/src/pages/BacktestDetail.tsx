/** Placeholder: the BacktestDetail page is being built. */
export function BacktestDetail({ id }: { id: string }) {
  return <h1>BacktestDetail {id}</h1>;
}
