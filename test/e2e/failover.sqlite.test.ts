import { failoverSuite } from './failover.js';

// The sqlite half of the failover e2e test (the scenario: failover.ts).
failoverSuite('sqlite');
