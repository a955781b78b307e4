import { investorPersonalData } from '../investor/personal-data.js';
import { auditSection } from '../audit/personal-data.js';
import { authSection } from '../auth/personal-data.js';
import { jobsSection } from '../jobs/personal-data.js';
import type { PersonalDataSection } from './personal-data.js';

/** Every area holding personal data: one line per area (its section lives beside its code). */
// prettier-ignore
export const PERSONAL_DATA_SECTIONS: readonly PersonalDataSection[] = [
  investorPersonalData,
  authSection,
  jobsSection,
  auditSection,
];
