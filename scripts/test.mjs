#!/usr/bin/env node
/**
 * `npm test`: the whole suite.
 *   1. unit + integration on the embedded database (PGlite)
 *   2. the database-backed suites (*.db.test.ts) again on the PostgreSQL at TEST_DATABASE_URL
 *      (default postgres://postgres@127.0.0.1:5432/test): skipped with a notice when unreachable, a failure under CI=true
 *   3. the browser suite in Chromium (CHROMIUM_PATH, default /usr/bin/chromium): likewise
 * Extra arguments go to vitest (e.g. `npm test -- test/server`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

const args = process.argv.slice(2);
const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const results = [];

function vitest(project, env = {}) {
  const started = Date.now();
  const res = spawnSync('npx', ['vitest', 'run', '--project', project, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = res.status === 0;
  results.push(`${ok ? 'passed' : 'FAILED'}  ${project} (${Math.round((Date.now() - started) / 1000)} s)`);
  return ok;
}

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || 5432) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

let ok = vitest('unit');

if (await reachable(pgUrl)) {
  ok = vitest('postgres', { TEST_DATABASE_URL: pgUrl, TEST_DB_DRIVER: 'postgres' }) && ok;
} else if (ci) {
  results.push(`FAILED  postgres: no PostgreSQL at ${pgUrl} (CI=true requires it)`);
  ok = false;
} else {
  results.push(`skipped postgres: no PostgreSQL reachable at ${pgUrl} (set TEST_DATABASE_URL to run it)`);
}

const hasBrowserTests = existsSync('test/browser') && readdirSync('test/browser').some((f) => f.endsWith('.test.ts'));
if (hasBrowserTests) {
  if (existsSync(chromium)) {
    ok = vitest('browser', { CHROMIUM_PATH: chromium }) && ok;
  } else if (ci) {
    results.push(`FAILED  browser: Chromium not found at ${chromium} (CI=true requires it; apt-get install -y chromium)`);
    ok = false;
  } else {
    results.push(`skipped browser: Chromium not found at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
}

process.stdout.write(`\n== test summary ==\n${results.join('\n')}\n`);
process.exit(ok ? 0 : 1);
