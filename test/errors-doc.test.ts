import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

  it('lists every error code with its HTTP status', () => {
    const missing = Object.entries(ERROR_CODES)
      .filter(([code, spec]) => documented.get(code) !== spec.status)
      .map(([code, spec]) => `${code} (${spec.status})`);
    expect(missing).toEqual([]);
  });

  it('lists no code that does not exist', () => {
    expect([...documented.keys()].filter((code) => !(code in ERROR_CODES))).toEqual([]);
  });
});
