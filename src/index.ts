// The package's public API (`import … from 'finance-feedback-engine'`): the domain types and the
// streaming indicators. The CLI is the `ffe` bin; adapters are wired by the application, not exported.
export * from './core/index.js';
export * from './indicators/index.js';
