/** The import's pure core: mappings and their validation, the record mapper, record keys, run options. */
export * from './mapping.js';
export * from './mapper.js';
export * from './dedupe.js';
export * from './options.js';
export { VALUE_LIMITS, toRaw, type StoredValue } from './values.js';
