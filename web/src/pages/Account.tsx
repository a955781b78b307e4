import { usePrincipal } from '../lib/context';
import { ConsentsCard } from './account/Consents';
import { DeleteAccountCard, ExportCard } from './account/MyData';

/** The signed-in user's account and privacy: consents, a copy of their data, closing the account. */
export function Account() {
  const principal = usePrincipal();
  return (
    <>
      <h1>Account and privacy</h1>
      <p className="muted">
        Signed in as <strong>{principal?.name}</strong> ({principal?.role}).
      </p>
      <ConsentsCard />
      <ExportCard />
      <DeleteAccountCard />
    </>
  );
}
