/**
 * Token refresh of stored connections: single-flight across callers and processes with a CRM that rotates refresh
 * tokens (two refreshers that both spent the old refresh token would leave the connection dead), invalid_grant →
 * reconnect needed, and credentials read from the database on every call.
 *
 * Targets: the example sandbox (always present), Salesforce with rotation switched on, and monday's OAuth 2.1
 * (which always rotates). A slow proxy holds the token endpoint back 400 ms so the two refreshers truly overlap.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmId } from '../../src/core/ids.js';
import { CRM_NAMES } from '../../src/core/ids.js';
import { CrmError } from '../../src/crm/errors.js';
import type { CrmModule } from '../../src/crm/types.js';
import { auditLog, crmConnections } from '../../src/db/schema.js';
import { AppError } from '../../src/errors.js';
import { createClientForConnection, refreshToken, substituteCrmModules } from '../../src/services/connection-service.js';
import type { RunningSandbox } from '../../sandbox/common/runner.js';
import type { SandboxDefinition } from '../../sandbox/common/sandbox.js';
import { as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVER } from '../helpers/db.js';
import { exampleSandbox } from '../sandbox-common/example-sandbox.js';
import { exampleCrm } from './example-crm.js';
import { connect, connectionRow, endpointHits, loadCrm, requireLoaded, sandboxOptionsFor, sandboxPost, startCrmSandbox, storedTokens } from './harness.js';
import { startSlowProxy, type SlowProxy } from './slow-proxy.js';

interface Target {
  label: string;
  crm: CrmId;
  example: boolean;
  load(): Promise<{ module: CrmModule; definition: SandboxDefinition }>;
}

const TARGETS: Target[] = [
  { label: 'example sandbox (rotation on)', crm: 'hubspot', example: true, load: async () => ({ module: exampleCrm, definition: exampleSandbox }) },
  { label: 'Salesforce (rotation on)', crm: 'salesforce', example: false, load: async () => requireLoaded('salesforce', await loadCrm('salesforce')) },
  { label: 'monday.com (OAuth 2.1 rotates)', crm: 'monday', example: false, load: async () => requireLoaded('monday', await loadCrm('monday')) },
];

interface Running {
  module: CrmModule;
  sandbox: RunningSandbox;
  proxy: SlowProxy;
}

const running = new Map<string, Running | Error>();
let t: TestApp;

beforeAll(async () => {
  const env: Record<string, string> = { DEMO_SANDBOXES: 'false' };
  for (const target of TARGETS) {
    try {
      const { module, definition } = await target.load();
      const sandbox = await startCrmSandbox(definition, target.example ? {} : sandboxOptionsFor(target.crm));
      const tokenPath = module.definition.oauth.tokenPath;
      const proxy = await startSlowProxy(sandbox.url, (method, path) => method === 'POST' && path === tokenPath, 400);
      running.set(target.label, { module, sandbox, proxy });
      env[`${target.crm.toUpperCase()}_SANDBOX_URL`] = proxy.url;
    } catch (err) {
      running.set(target.label, err as Error);
    }
  }
  t = await createTestApp({ env });
  substituteCrmModules(t.ctx, { hubspot: exampleCrm });
}, 180_000);

afterAll(async () => {
  await t?.close();
  for (const r of running.values()) {
    if (r instanceof Error) continue;
    await r.proxy.close();
    await r.sandbox.close();
  }
}, 60_000);

function use(target: Target): Running {
  const r = running.get(target.label);
  if (!r) throw new Error(`${target.label} was not started`);
  if (r instanceof Error) throw r;
  return r;
}

const tokenRequests = (r: Running) => endpointHits(r.sandbox, new RegExp(`^POST ${r.module.definition.oauth.tokenPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));

async function refreshedEntries(connectionId: string) {
  return t.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, connectionId), eq(auditLog.action, 'connection.refreshed')));
}

/** Connect, switch rotation on, and make the access token expire both at the CRM and in our row. */
async function connectedAndExpired(target: Target, r: Running, how: 'both' | 'crm-only') {
  const owner = await signup(t.app);
  const { connectionId } = await connect(t, owner, target.crm);
  await sandboxPost(r.sandbox, '/_sandbox/config', { rotateRefreshTokens: true });
  await sandboxPost(r.sandbox, '/_sandbox/tokens/expire');
  if (how === 'both') await t.ctx.db.update(crmConnections).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(crmConnections.id, connectionId));
  const before = await connectionRow(t, connectionId);
  return { owner, connectionId, before, refreshesBefore: await tokenRequests(r) };
}

async function expectOneRefresh(r: Running, connectionId: string, before: { tokenVersion: number; refreshToken: string | null }, refreshesBefore: number) {
  expect(await tokenRequests(r)).toBe(refreshesBefore + 1);
  const after = await connectionRow(t, connectionId);
  expect(after.needsReauth).toBe(false);
  expect(after.tokenVersion).toBe(before.tokenVersion + 1);
  expect(after.refreshToken).not.toBe(before.refreshToken); // the rotated refresh token was stored
  expect(await refreshedEntries(connectionId)).toHaveLength(1);
}

describe.each(TARGETS)('$label', (target) => {
  it('two callers in one process with an expiring token spend one refresh; the rotated refresh token keeps working', async () => {
    const r = use(target);
    const { owner, connectionId, before, refreshesBefore } = await connectedAndExpired(target, r, 'both');
    const [a, b] = await Promise.all([createClientForConnection(t.ctx, owner.organizationId, connectionId), createClientForConnection(t.ctx, owner.organizationId, connectionId)]);
    const results = await Promise.all([a.client.testConnection(), b.client.testConnection()]);
    expect(results).toEqual([{ isValid: true }, { isValid: true }]);
    await expectOneRefresh(r, connectionId, before, refreshesBefore);
    // The stored (rotated) refresh token is the live one: another expiry refreshes fine.
    await sandboxPost(r.sandbox, '/_sandbox/tokens/expire');
    await t.ctx.db.update(crmConnections).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(crmConnections.id, connectionId));
    expect(await a.client.testConnection()).toEqual({ isValid: true });
    expect((await connectionRow(t, connectionId)).tokenVersion).toBe(before.tokenVersion + 2);
    const [entry] = await refreshedEntries(connectionId);
    expect(entry!.actorUserId).toBeNull();
    expect(entry!.metadata).toMatchObject({ actor: 'system', rotated: true });
  });

  it('two callers rejected with 401 at once spend one refresh (the second uses the token the first stored)', async () => {
    const r = use(target);
    const { owner, connectionId, before, refreshesBefore } = await connectedAndExpired(target, r, 'crm-only');
    const [a, b] = await Promise.all([createClientForConnection(t.ctx, owner.organizationId, connectionId), createClientForConnection(t.ctx, owner.organizationId, connectionId)]);
    expect(await Promise.all([a.client.testConnection(), b.client.testConnection()])).toEqual([{ isValid: true }, { isValid: true }]);
    await expectOneRefresh(r, connectionId, before, refreshesBefore);
  });

  it(`two ${TEST_DRIVER === 'postgres' ? 'worker processes' : 'callers (PGlite: in-process)'} refreshing the same expired connection spend one refresh`, async () => {
    const r = use(target);
    const { owner, connectionId, before, refreshesBefore } = await connectedAndExpired(target, r, 'both');
    let outcomes: unknown[];
    if (TEST_DRIVER === 'postgres') {
      outcomes = await twoWorkerProcesses(target, owner.organizationId, connectionId);
    } else {
      // One PGlite database cannot be opened by two processes; its transactions serialise in-process instead.
      const clients = await Promise.all([1, 2].map(() => createClientForConnection(t.ctx, owner.organizationId, connectionId)));
      outcomes = await Promise.all(clients.map((c) => c.client.testConnection()));
    }
    expect(outcomes).toEqual([{ isValid: true }, { isValid: true }]);
    await expectOneRefresh(r, connectionId, before, refreshesBefore);
  }, 120_000);

  it('a refresh token the CRM refuses marks the connection for reconnecting, stops callers with auth_revoked, and is audited', async () => {
    const r = use(target);
    const owner = await signup(t.app);
    const { connectionId } = await connect(t, owner, target.crm);
    const { refreshToken: stored } = await storedTokens(t, connectionId);
    expect(stored).toBeTruthy();
    r.sandbox.instance.ctx.oauth.revoke(stored!, 'refresh_token'); // the user revoked the app at the CRM
    await t.ctx.db.update(crmConnections).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(crmConnections.id, connectionId));
    const { client } = await createClientForConnection(t.ctx, owner.organizationId, connectionId);
    const err = await client.getRecordCount('contacts').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).kind).toBe('auth_revoked');
    const row = await connectionRow(t, connectionId);
    expect(row.needsReauth).toBe(true);
    expect(row.lastError).toMatch(new RegExp(`^Reconnect ${CRM_NAMES[target.crm].replace('.', '\\.')}: `));
    const [failed] = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.targetId, connectionId), eq(auditLog.action, 'connection.refresh_failed')));
    expect(failed!.metadata).toMatchObject({ actor: 'system', reason: 'invalid_grant', crm: target.crm });
    // The API refuses the connection until it is reconnected …
    await expect(createClientForConnection(t.ctx, owner.organizationId, connectionId)).rejects.toMatchObject({ code: 'CONNECTION_REAUTH_REQUIRED' });
    const listed = (await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations/connections' })).json();
    expect(listed[0]).toMatchObject({ id: connectionId, needsReauth: true, isActive: true });
    // … and reconnecting the same account clears it.
    expect((await connect(t, owner, target.crm)).connectionId).toBe(connectionId);
    expect(await connectionRow(t, connectionId)).toMatchObject({ needsReauth: false, lastError: null, isActive: true });
  });

  it('reads credentials from the database on every call: a client made before a refresh uses the new token', async () => {
    const r = use(target);
    const owner = await signup(t.app);
    const { connectionId } = await connect(t, owner, target.crm);
    const { client } = await createClientForConnection(t.ctx, owner.organizationId, connectionId); // "queued" before the refresh
    const { accessToken: oldToken } = await storedTokens(t, connectionId);
    await refreshToken(t.ctx, await authOf(owner), connectionId); // another worker refreshed meanwhile
    r.sandbox.instance.ctx.oauth.revoke(oldToken!, 'access_token');
    const refreshes = await tokenRequests(r);
    expect(await client.testConnection()).toEqual({ isValid: true });
    expect(await tokenRequests(r)).toBe(refreshes); // no second refresh: it simply used the stored token
  });
}, 60_000);

async function authOf(session: Session) {
  const { authenticateSession } = await import('../../src/services/auth-service.js');
  const auth = await authenticateSession(t.ctx.db, session.cookie.replace(/^cm_session=/, ''));
  if (!auth) throw new AppError('UNAUTHENTICATED');
  return auth;
}

const WORKER = fileURLToPath(new URL('./fixtures/refresh-worker.ts', import.meta.url));

/** Two real processes on the same PostgreSQL database, released at the same moment. */
async function twoWorkerProcesses(target: Target, organizationId: string, connectionId: string): Promise<unknown[]> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: t.dataDir,
    DATABASE_URL: t.config.databaseUrl!.reveal(),
    DATABASE_POOL_SIZE: '2',
    ENCRYPTION_KEYS: t.config.encryptionKeys!.reveal(),
    DEMO_SANDBOXES: 'false',
    PUBLIC_URL: t.config.publicUrl,
    ORGANIZATION_ID: organizationId,
    CONNECTION_ID: connectionId,
    ...Object.fromEntries(Object.entries(t.config.crmSandboxUrls).map(([crm, url]) => [`${crm.toUpperCase()}_SANDBOX_URL`, url])),
    ...(target.example ? { USE_EXAMPLE_CRM: '1' } : {}),
  };
  const children = [1, 2].map(() => spawn(process.execPath, ['--import', 'tsx', WORKER], { env, cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['pipe', 'pipe', 'pipe'] }));
  const lines = children.map((child) => {
    const queue: string[] = [];
    const waiters: Array<(line: string) => void> = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        const w = waiters.shift();
        if (w) w(line);
        else queue.push(line);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return {
      next: () =>
        Promise.race([
          new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiters.push(resolve))),
          exited.then((code) => {
            throw new Error(`worker exited (${code}) early: ${stderr.slice(-2000)}`);
          }),
        ]),
      exited,
    };
  });
  try {
    expect(await Promise.all(lines.map((l) => l.next()))).toEqual(['ready', 'ready']);
    for (const child of children) child.stdin.write('go\n');
    const outcomes = (await Promise.all(lines.map((l) => l.next()))).map((line) => JSON.parse(line) as unknown);
    await Promise.all(lines.map((l) => l.exited));
    return outcomes;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
