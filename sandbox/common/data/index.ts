/** The neutral sandbox world: `createWorld` plus record types and value catalogues. */
export * from './types.js';
export * from './catalog.js';
export { createWorld, WORLD_START, WORLD_END, type World, type WorldOptions } from './world.js';
