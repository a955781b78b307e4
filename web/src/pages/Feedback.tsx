/** Placeholder: the Feedback page is being built. */
export function Feedback() {
  return <h1>Feedback</h1>;
}
