/**
 * The browser suite's harness: the built web app, a real crm-migrate server per test file (embedded database in a
 * temp DATA_DIR, in-process worker, CRM sandboxes with few records), and Debian's Chromium driven by playwright-core
 * with every non-local request blocked. Also: axe-core checks and screenshots.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { CRM_IDS, type CrmId } from '../../src/core/ids.js';
import { redirectUriFor } from '../../src/crm/resolve.js';
import { formatKeyring, generateKey } from '../../src/security/keyring.js';
import { serve } from '../../src/server/listen.js';
import type { RecordCounts } from '../../sandbox/common/data/types.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/common/runner.js';
import { sandboxOptions, type SandboxInstance } from '../../sandbox/common/sandbox.js';
import { getSandboxDefinition } from '../../sandbox/registry.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
const CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Without Chromium the browser tests cannot run: say so loudly (and fail under CI). scripts/test.mjs only runs this
 * project when Chromium exists; this keeps a direct `vitest --project browser` honest too.
 */
export function requireChromium(): void {
  if (HAS_CHROMIUM) return;
  const message = `Chromium not found at ${CHROMIUM_PATH}: the browser tests were SKIPPED (apt-get install -y chromium, or set CHROMIUM_PATH).`;
  if (CI) throw new Error(`${message} CI=true requires it.`);
  process.stderr.write(`\n*** ${message} ***\n\n`);
}

const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const SCREENSHOTS = join(ARTIFACTS, 'screenshots');

// ---------------------------------------------------------------- the built web app

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else out.push(path);
  }
  return out;
}

/**
 * The web app built from the current sources: dist/web when it is newer than every source, else a build into a
 * temp folder named by a digest of the sources (reused by the other test files of the run, and by later runs).
 */
export function webBuild(): string {
  const inputs = [...sourceFiles(join(ROOT, 'web')), join(ROOT, 'vite.config.ts'), join(ROOT, 'package.json'), join(ROOT, 'src/core/canonical-model.ts'), join(ROOT, 'src/core/ids.ts')];
  const stats = inputs.map((f) => [f, statSync(f)] as const);
  const newest = Math.max(...stats.map(([, s]) => s.mtimeMs));
  const dist = join(ROOT, 'dist/web');
  if (existsSync(join(dist, 'index.html')) && statSync(join(dist, 'index.html')).mtimeMs >= newest) return dist;
  const digest = createHash('sha256');
  for (const [f, s] of stats) digest.update(`${f}:${s.size}:${s.mtimeMs}\n`);
  const out = join(tmpdir(), `crm-migrate-web-${digest.digest('hex').slice(0, 16)}`);
  if (existsSync(join(out, 'index.html'))) return out;
  rmSync(out, { recursive: true, force: true });
  const res = spawnSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', timeout: 180_000 });
  if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status})`);
  return out;
}

// ---------------------------------------------------------------- the server

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * CRMs whose sandbox runs on its own port (`<CRM>_SANDBOX_URL`) instead of mounted under /sandbox/<crm>.
 * Zoho: in demo mode the token request goes to the origin of the callback's accounts-server, outside the
 * /sandbox/zoho prefix, so connecting fails with OAUTH_EXCHANGE_FAILED (see the TODO in
 * test/connections/demo-mode.db.test.ts). Remove it from this list when that is fixed.
 */
export const STANDALONE_SANDBOXES: ReadonlySet<CrmId> = new Set(['zoho']);

export const SMALL_WORLD: RecordCounts = { accounts: 6, contacts: 24, leads: 6, deals: 8, activities: 10 };

export interface TestServer {
  url: string;
  ctx: AppContext;
  /** The sandbox of each CRM that is part of this build. */
  sandboxes: Partial<Record<CrmId, SandboxInstance>>;
  /** CRMs whose sandbox could not be loaded (not part of this build yet). */
  missing: CrmId[];
  close(): Promise<void>;
}

export async function startServer(options: { records?: Partial<RecordCounts> } = {}): Promise<TestServer> {
  const webDist = webBuild();
  const dataDir = await mkdtemp(join(tmpdir(), 'cm-browser-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const records = { ...SMALL_WORLD, ...options.records };
  const sandboxes: Partial<Record<CrmId, SandboxInstance>> = {};
  const missing: CrmId[] = [];
  const standalone: RunningSandbox[] = [];
  const env: Record<string, string> = {};
  const definitions = new Map<CrmId, Awaited<ReturnType<typeof getSandboxDefinition>>>();
  for (const crm of CRM_IDS) {
    try {
      definitions.set(crm, await getSandboxDefinition(crm));
    } catch {
      missing.push(crm);
    }
  }
  for (const crm of STANDALONE_SANDBOXES) {
    const def = definitions.get(crm);
    if (!def) continue;
    const running = await startSandbox(def, { records });
    standalone.push(running);
    sandboxes[crm] = running.instance;
    env[`${crm.toUpperCase()}_SANDBOX_URL`] = running.url;
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    WEB_DIST_DIR: webDist,
    ENCRYPTION_KEYS: formatKeyring([generateKey('browser')]),
    LOG_LEVEL: process.env.BROWSER_TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const ctx = await createContext(config, { startQueue: true });
  // The demo mounts, as `crm-migrate serve` builds them (src/server/demo-mounts.ts), with a small world.
  const mounts = [];
  for (const [crm, def] of definitions) {
    if (STANDALONE_SANDBOXES.has(crm)) continue;
    const instance = def.create(sandboxOptions({ redirectUri: redirectUriFor(config, crm), records }));
    sandboxes[crm] = instance;
    mounts.push(async (app: import('fastify').FastifyInstance) => {
      await app.register(instance.plugin, { prefix: `/sandbox/${crm}` });
    });
  }
  await serve(ctx, { mounts });
  return {
    url,
    ctx,
    sandboxes,
    missing,
    async close() {
      await ctx.close();
      for (const s of standalone) await s.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- the browser

export async function launchBrowser(): Promise<Browser> {
  // launch() starts Chromium with a fresh temporary profile (--user-data-dir) every time.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** A browser context (own cookies) that can reach only this machine. */
export async function newContext(browser: Browser, options: { width?: number; height?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, locale: 'en-US', timezoneId: 'UTC' });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return route.continue();
    return route.abort('blockedbyclient');
  });
  context.setDefaultTimeout(20_000);
  return context;
}

// ---------------------------------------------------------------- checks

export interface AxeRecord {
  name: string;
  url: string;
  violations: Array<{ id: string; impact: string | null | undefined; help: string; nodes: number }>;
}
export const axeLog: AxeRecord[] = [];

/** axe-core on the page as it is now; returns the serious and critical violations (empty = pass). */
export async function axeCheck(page: Page, name: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .options({ resultTypes: ['violations'] }) // details only for violations: much faster on long pages
    .analyze();
  axeLog.push({
    name,
    url: page.url(),
    violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })),
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

/** Write this file's axe results (all impacts) to test-artifacts/axe/<file>.json. */
export function saveAxeLog(file: string): void {
  mkdirSync(join(ARTIFACTS, 'axe'), { recursive: true });
  writeFileSync(join(ARTIFACTS, 'axe', `${file}.json`), `${JSON.stringify(axeLog, null, 2)}\n`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Nothing wider than the viewport (readable at 375 px without sideways scrolling of the page itself). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export const PASSWORD = 'correct horse battery';
let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}@example.com`;
}

/** Sign up through the UI; ends on the wizard. */
export async function signUp(page: Page, baseUrl: string, organizationName: string, email = uniqueEmail('owner')): Promise<string> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Company or team name').fill(organizationName);
  await page.getByLabel('Work e-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Migrate your data' }).waitFor();
  return email;
}

export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Migrate your data' }).waitFor();
}

/** Call the API from the page's session (cookie + CSRF header), e.g. to set up a member. */
export async function apiFromPage<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = /(?:^|;\s*)cm_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch(path, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    { method, path, body },
  );
}

// ---------------------------------------------------------------- waiting on the page (playwright-core has no expect)

/** Wait until the first element the locator finds is visible. */
export async function visible(locator: import('playwright-core').Locator, timeout = 20_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Poll a value of the page until an assertion on it holds (vitest's expect.poll). */
export function eventually<T>(read: () => Promise<T>, timeout = 20_000) {
  return expect.poll(read, { timeout, interval: 200 });
}

/** BROWSER_TEST_TRACE=1: print how long each step of a test took (to find what is slow). */
export function tracer(name: string): (step: string) => void {
  if (!process.env.BROWSER_TEST_TRACE) return () => undefined;
  const start = Date.now();
  let last = start;
  return (step) => {
    const now = Date.now();
    process.stderr.write(`[trace] ${name} | ${step}: +${now - last} ms (${now - start} ms)\n`);
    last = now;
  };
}

/** Screenshot of the page when a test failed (test-artifacts/screenshots/FAILED-<file>-<test>.png). */
export async function screenshotOnFailure(page: Page | undefined, file: string, task: { name: string; result?: { state?: string } }): Promise<void> {
  if (!page || task.result?.state !== 'fail') return;
  await screenshot(page, `FAILED-${file}-${task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
}

/** Remove the failure screenshots an earlier run of this file left. */
export function clearFailureScreenshots(file: string): void {
  if (!existsSync(SCREENSHOTS)) return;
  for (const f of readdirSync(SCREENSHOTS)) if (f.startsWith(`FAILED-${file}-`)) rmSync(join(SCREENSHOTS, f));
}
