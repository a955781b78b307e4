/** Placeholder: the DecisionDetail page is being built. */
export function DecisionDetail({ id }: { id: string }) {
  return <h1>DecisionDetail {id}</h1>;
}
