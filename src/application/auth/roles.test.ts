import { describe, expect, it } from 'vitest';
import { can, leastRoleFor, PERMISSIONS, ROLES, rolesHolding } from './roles.js';

describe('the permission matrix', () => {
  it('is cumulative from viewer to admin; auditor holds only audit', () => {
    const chain = ROLES.filter((r) => r !== 'auditor');
    for (const p of PERMISSIONS) {
      const i = chain.findIndex((r) => can(r, p));
      expect(i, p).toBeGreaterThanOrEqual(0);
      for (const r of chain.slice(i)) expect(can(r, p), `${r} ${p}`).toBe(true);
      for (const r of chain.slice(0, i)) expect(can(r, p), `${r} ${p}`).toBe(false);
    }
    expect(PERMISSIONS.filter((p) => can('auditor', p))).toEqual(['audit']);
  });

  it('names who holds a permission without misleading about the auditor', () => {
    expect(leastRoleFor('trade')).toBe('trader');
    expect(rolesHolding('trade')).toBe('the trader role or one above it');
    expect(rolesHolding('admin')).toBe('the admin role');
    expect(rolesHolding('audit')).toBe('the auditor or admin role');
  });
});
