import { defineConfig } from 'vitest/config';

// Projects: `unit` runs everything but the browser suite on the embedded database (PGlite);
// `postgres` re-runs the database-backed suites (*.db.test.ts) against TEST_DATABASE_URL;
// `browser` drives Debian's Chromium. scripts/test.mjs decides which run. Each project `extends` the root
// options (timeouts), which Vitest does not inherit otherwise.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          env: { TEST_DB_DRIVER: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/**/*.db.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          env: { TEST_DB_DRIVER: 'postgres' },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
