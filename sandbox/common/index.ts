/**
 * Shared machinery for the CRM sandboxes (docs/sandboxes.md). A CRM sandbox imports from here:
 * `defineSandbox` and its types, the world, OAuth store and consent page, limiters, CSV/ZIP writers.
 */
export * from './rng.js';
export * from './clock.js';
export * from './data/index.js';
export * from './oauth.js';
export * from './consent.js';
export * from './limits.js';
export * from './faults.js';
export { requestFault, defaultFaultRenderer, type FaultRenderer } from './fault-hooks.js';
export * from './stats.js';
export * from './parsers.js';
export * from './csv.js';
export * from './zip.js';
export * from './sandbox.js';
export * from './runner.js';
