import type { Store } from '../../store/port.js';
import type { DataSubject } from './personal-data.js';
import { PERSONAL_DATA_SECTIONS } from './sections.js';

/** The GDPR export document (Art. 15 access, Art. 20 portability): one JSON value. */
export interface ExportDocument {
  exported_at: string;
  subject: DataSubject;
  sections: Record<string, unknown>;
}

/** Everything every registered area holds about the subject, decrypted, without secrets (hashes, TOTP secrets). */
export async function exportSubject(store: Store, subject: DataSubject, at: number): Promise<ExportDocument> {
  const sections: Record<string, unknown> = {};
  for (const s of PERSONAL_DATA_SECTIONS) sections[s.name] = await s.export(store, subject);
  return { exported_at: new Date(at).toISOString(), subject: { id: subject.id, name: subject.name }, sections };
}
