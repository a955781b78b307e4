import { useCan } from '../lib/context';
import { ApiKeys } from './admin/ApiKeys';
import { AuditLog } from './admin/AuditLog';
import { Users } from './admin/Users';

/**
 * Admin: users and roles and API keys for admins; the audit log with its verification status for
 * admins and auditors. What the role may not do is not rendered (the API refuses it anyway).
 */
export function Admin() {
  const admin = useCan('admin');
  const audit = useCan('audit');
  return (
    <div className="admin">
      <h1>Admin</h1>
      {admin && <Users />}
      {admin && <ApiKeys />}
      {audit && <AuditLog />}
      {!admin && !audit && <p className="state empty">Your role has nothing to manage here.</p>}
    </div>
  );
}
