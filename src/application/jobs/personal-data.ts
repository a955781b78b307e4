import type { Store } from '../../store/port.js';
import { eraseRecords, exportRecords } from '../gdpr/records.js';
import type { DataSubject, PersonalDataSection } from '../gdpr/personal-data.js';

/** Backtest jobs the user submitted (their parameters and state; results stay in the job itself). */
export const jobsSection: PersonalDataSection = {
  name: 'backtest_jobs',
  async export(store: Store, subject: DataSubject) {
    return (await exportRecords(store, 'jobs', subject)).backtest_jobs;
  },
  erase: (tx: Store, subject: DataSubject, pseudonym: string) => eraseRecords(tx, 'jobs', subject, pseudonym),
  retained: 'Backtest jobs, their submitter pseudonymised: research results of the installation, not about the person. Legal basis: legitimate interest (Art. 6(1)(f)).',
};
