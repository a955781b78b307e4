import { inputError } from '../../core/errors.js';
import type { Store } from '../../store/port.js';
import type { Principal } from '../auth/principal.js';
import type { Runtime } from '../runtime.js';
import { ownerOf } from './owner.js';

/** What a user may consent to, and what it means (shown with the consent). */
export const CONSENT_PURPOSES = {
  telegram_recommendations: 'Send my daily recommendations to my linked Telegram account.',
  feedback_learning: "Use my ratings of recommendations (useful or not, acted on or not) in FFE's memory and accuracy statistics.",
} as const;
export type ConsentPurpose = keyof typeof CONSENT_PURPOSES;
export const isConsentPurpose = (s: string): s is ConsentPurpose => Object.hasOwn(CONSENT_PURPOSES, s);

export interface ConsentView {
  purpose: ConsentPurpose;
  version: string;
  granted: boolean;
  at: string | null;
  description: string;
}

/**
 * Owners among `owners` whose latest record for `purpose` grants it under the current consent
 * version: a grant given under an older version of the texts no longer counts.
 */
export async function consenting(store: Store, purpose: ConsentPurpose, owners: string[], version: string): Promise<Set<string>> {
  const latest = await store.investor.latestConsents(purpose, [...new Set(owners)]);
  return new Set(latest.filter((c) => c.granted && c.version === version).map((c) => c.owner));
}

/** Consent records: every change is appended (purpose, version, granted or withdrawn, time); the current state is the latest. */
export const consentUseCases = (rt: Runtime) => {
  const version = () => rt.app.config.recommendations.consent_version;
  const list = async (who: Principal): Promise<{ consents: ConsentView[] }> => {
    const history = await rt.app.store.investor.consentHistory(ownerOf(who));
    return {
      consents: (Object.keys(CONSENT_PURPOSES) as ConsentPurpose[]).map((purpose) => {
        const last = history.filter((c) => c.purpose === purpose).at(-1);
        const current = last && last.version === version();
        return { purpose, version: version(), granted: !!(current && last.granted), at: current ? new Date(last.at).toISOString() : null, description: CONSENT_PURPOSES[purpose] };
      }),
    };
  };
  return {
    list,
    async set(who: Principal, purpose: string, granted: boolean): Promise<ConsentView> {
      if (!isConsentPurpose(purpose)) throw inputError('CONSENT_PURPOSE_UNKNOWN', `purpose: unknown consent purpose "${purpose}"; known: ${Object.keys(CONSENT_PURPOSES).join(', ')}`);
      await rt.app.store.investor.addConsent({ owner: ownerOf(who), purpose, version: version(), granted, at: rt.app.clock.now() });
      return (await list(who)).consents.find((c) => c.purpose === purpose)!;
    },
    /** Every change, oldest first (what the user was asked and answered, and when). */
    async history(who: Principal) {
      return (await rt.app.store.investor.consentHistory(ownerOf(who))).map((c) => ({ purpose: c.purpose, version: c.version, granted: c.granted, at: new Date(c.at).toISOString() }));
    },
    /** Whether `owner` currently consents to `purpose`. */
    granted: async (owner: string, purpose: ConsentPurpose) => (await consenting(rt.app.store, purpose, [owner], version())).has(owner),
  };
};
