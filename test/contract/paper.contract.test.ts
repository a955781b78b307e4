import { openPaperVenue } from '../fakes/paper-venue.js';
import { venueContract } from './venue.contract.js';

venueContract('paper', async () => {
  const p = await openPaperVenue({ prices: { BTCUSD: 40000, XRPUSD: 0.5 } });
  return { venue: p.venue, pair: 'BTCUSD', price: 40000, units: '0.01', close: p.close };
});
