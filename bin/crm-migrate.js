#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a checkout; a built package (dist/) runs directly.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
if (existsSync(src)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(src);
} else {
  await import(new URL('../dist/src/cli.js', import.meta.url).href);
}
