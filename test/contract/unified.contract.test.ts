import { generateKeyPairSync } from 'node:crypto';
import { CoinbaseVenue } from '../../src/venues/coinbase/venue.js';
import { OandaVenue } from '../../src/venues/oanda/venue.js';
import { UnifiedVenue } from '../../src/venues/unified/venue.js';
import { FAKE_COINBASE_KEY_NAME, startFakeCoinbase } from '../fakes/coinbase-server.js';
import { startFakeOanda } from '../fakes/oanda-server.js';
import { openPaperVenue } from '../fakes/paper-venue.js';
import { venueContract } from './venue.contract.js';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();

venueContract('unified (crypto → coinbase fake, forex → oanda fake, stock → paper)', async () => {
  const cb = await startFakeCoinbase({ privateKeyPem: pem });
  const oa = await startFakeOanda({ token: 'unified-oanda-token' });
  const paper = await openPaperVenue({ prices: { SPY: 400 } });
  const venue = new UnifiedVenue({
    crypto: new CoinbaseVenue({ apiKey: FAKE_COINBASE_KEY_NAME, apiSecret: pem, sandbox: true, baseUrl: cb.url }),
    forex: new OandaVenue({ token: 'unified-oanda-token', accountId: oa.state.accountId, environment: 'practice', baseUrl: oa.url }),
    stock: paper.venue,
  });
  return {
    venue,
    pair: 'BTCUSD',
    price: 40000,
    units: '0.01',
    positionVenue: 'coinbase',
    close: async () => {
      await Promise.all([cb.close(), oa.close(), paper.close()]);
    },
  };
});
