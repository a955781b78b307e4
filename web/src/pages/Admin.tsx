/** Placeholder: the Admin page is being built. */
export function Admin() {
  return <h1>Admin</h1>;
}
