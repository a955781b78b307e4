import { failoverSuite } from './failover.js';

// The postgres half of the failover e2e test (the scenario: failover.ts).
failoverSuite('postgres');
