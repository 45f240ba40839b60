/** The committed migrations (drizzle/) must produce exactly the schema in src/db/schema.ts. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('schema drift', () => {
  it('drizzle-kit finds nothing to generate beyond the committed migrations', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const dir = await mkdtemp(join(tmpdir(), 'cm-drift-'));
    try {
      await cp(join(root, 'drizzle'), join(dir, 'drizzle'), { recursive: true });
      const before = await readdir(join(dir, 'drizzle'));
      const config = join(dir, 'drizzle.config.json');
      await writeFile(config, JSON.stringify({ dialect: 'postgresql', schema: join(root, 'src/db/schema.ts'), out: './drizzle' }));
      const { stdout, stderr } = await run(join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', config], { cwd: dir, timeout: 60_000 });
      const after = await readdir(join(dir, 'drizzle'));
      expect(after, `schema.ts changed without a migration; run npm run db:generate. drizzle-kit said:\n${stdout}${stderr}`).toEqual(before);
      // drizzle-kit exits 0 even when it fails, so require its own all-clear.
      expect(`${stdout}${stderr}`).toMatch(/No schema changes/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
