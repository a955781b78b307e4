import type { PersonalDataSection } from '../gdpr/personal-data.js';
import { userOwner } from './owner.js';
import { recommendationView } from './recommendations.js';

/**
 * The investor platform's personal data: a user's watchlists, recommendations (with their
 * ratings and notes) and consent history. Erasure deletes the watchlists and the notes; the
 * recommendations and consent records stay under the pseudonym.
 */
export const investorPersonalData: PersonalDataSection = {
  name: 'investor',
  async export(store, subject) {
    const owner = userOwner(subject.name);
    const [watchlists, recommendations, consents] = await Promise.all([store.investor.watchlists(owner), store.investor.allRecommendations(owner), store.investor.consentHistory(owner)]);
    return {
      watchlists: watchlists.map((w) => ({ id: w.id, name: w.name, pairs: w.pairs, created_at: new Date(w.createdAt).toISOString(), updated_at: new Date(w.updatedAt).toISOString() })),
      recommendations: recommendations.map(recommendationView),
      consents: consents.map((c) => ({ purpose: c.purpose, version: c.version, granted: c.granted, at: new Date(c.at).toISOString() })),
    };
  },
  async erase(tx, subject, pseudonym) {
    const owner = userOwner(subject.name);
    return (await tx.investor.deleteWatchlists(owner)) + (await tx.investor.pseudonymiseRecommendations(owner, pseudonym)) + (await tx.investor.pseudonymiseConsents(owner, pseudonym));
  },
  retained:
    'Recommendations (pair, action, prices, outcome, and the rating without its note) stay under the pseudonym: they are the measured sample of recommendation accuracy (legitimate interest in measuring the service). Consent records stay under the pseudonym as proof of what was consented and withdrawn, and when (GDPR art. 7(1)).',
};
