/** Placeholder: the Charts page is being built. */
export function Charts() {
  return <h1>Charts</h1>;
}
