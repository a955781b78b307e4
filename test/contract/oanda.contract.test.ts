import { OandaVenue } from '../../src/venues/oanda/venue.js';
import { startFakeOanda } from '../fakes/oanda-server.js';
import { timeoutWhileHung } from '../support/timeout-while-hung.js';
import { venueContract } from './venue.contract.js';

venueContract(
  'oanda (against the local v20 fake)',
  async () => {
    const token = 'oanda-contract-token-7f3a';
    const fake = await startFakeOanda({ token, prices: { EUR_USD: 1.1, GBP_USD: 1.27 } });
    const { venue, fail } = timeoutWhileHung((timeoutMs) => new OandaVenue({ token, accountId: fake.state.accountId, environment: 'practice', baseUrl: fake.url, timeoutMs }), fake.setMode, 'hang');
    return { venue, pair: 'EURUSD', price: 1.1, units: '1000', fail, secrets: [token], close: fake.close };
  },
  { failureModes: true },
);
