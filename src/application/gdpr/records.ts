import type { Store } from '../../store/port.js';
import { PERSONAL_COLUMNS, type PersonalColumn } from '../../store/personal-columns.js';
import type { DataSubject } from './personal-data.js';

/** How a user is named in records: by principal label, id or name (see src/store/personal-columns.ts). */
const valueFor = (c: PersonalColumn, s: DataSubject): string => (c.by === 'label' ? `user:${s.name}` : c.by === 'id' ? s.id : s.name);

const iso = (v: unknown) => (typeof v === 'number' ? new Date(v).toISOString() : v);
/** Rows as exports show them: times as ISO 8601, JSON text parsed. */
const shown = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      if (k.endsWith('_at')) return [k, iso(v)];
      if (typeof v === 'string' && /^[[{]/.test(v)) {
        try {
          return [k, JSON.parse(v) as unknown];
        } catch {
          return [k, v];
        }
      }
      return [k, v];
    }),
  );

/** An area's rows naming the subject, keyed by table. */
export async function exportRecords(store: Store, area: string, subject: DataSubject): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const c of PERSONAL_COLUMNS.filter((x) => x.area === area)) out[c.table] = (await store.personal.rows(c, valueFor(c, subject))).map(shown);
  return out;
}

/** Pseudonymises or deletes an area's rows naming the subject; returns how many. */
export async function eraseRecords(tx: Store, area: string, subject: DataSubject, pseudonym: string): Promise<number> {
  let n = 0;
  for (const c of PERSONAL_COLUMNS.filter((x) => x.area === area)) n += await tx.personal.erase(c, valueFor(c, subject), valueFor(c, { id: subject.id, name: pseudonym }));
  return n;
}
