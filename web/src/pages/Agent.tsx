/** Placeholder: the Agent page is being built. */
export function Agent() {
  return <h1>Agent</h1>;
}
