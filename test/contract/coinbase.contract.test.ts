import { generateKeyPairSync } from 'node:crypto';
import { CoinbaseVenue } from '../../src/venues/coinbase/venue.js';
import { FAKE_COINBASE_KEY_NAME, startFakeCoinbase } from '../fakes/coinbase-server.js';
import { timeoutWhileHung } from '../support/timeout-while-hung.js';
import { venueContract } from './venue.contract.js';

// A CDP key as Coinbase issues it: an EC P-256 private key in SEC1 PEM.
const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();

venueContract(
  'coinbase (ccxt against the local Advanced Trade fake)',
  async () => {
    const fake = await startFakeCoinbase({ privateKeyPem: pem, prices: { 'BTC-USD': 40000, 'XRP-USD': 0.5 } });
    const { venue, fail } = timeoutWhileHung((timeoutMs) => new CoinbaseVenue({ apiKey: FAKE_COINBASE_KEY_NAME, apiSecret: pem, sandbox: true, baseUrl: fake.url, timeoutMs }), fake.setMode, 'hang', 600);
    return { venue, pair: 'BTCUSD', price: 40000, units: '0.01', fail, secrets: [pem, pem.split('\n')[1]], close: fake.close };
  },
  { failureModes: true },
);
