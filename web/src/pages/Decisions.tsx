/** Placeholder: the Decisions page is being built. */
export function Decisions() {
  return <h1>Decisions</h1>;
}
