/**
 * Demo mode (`npm start` with no CRM configured): each CRM's built-in sandbox is mounted at /sandbox/<crm> of the
 * main server, and connecting works end to end through it — the consent page, and the token exchange the server
 * makes to its own public URL.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CRM_IDS } from '../../src/core/ids.js';
import { createClientForConnection } from '../../src/services/connection-service.js';
import { demoSandboxMounts } from '../../src/server/demo-mounts.js';
import { as, createTestApp, signup, type TestApp } from '../helpers/app.js';
import { connect } from './harness.js';

let t: TestApp;
let publicUrl: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  const mounts = await demoSandboxMounts(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: publicUrl }));
  t = await createTestApp({ env: { PUBLIC_URL: publicUrl }, build: { mounts } });
  await t.app.listen({ port, host: '127.0.0.1' });
}, 180_000);

afterAll(async () => t?.close(), 60_000);

describe('demo mode', () => {
  it('lists every CRM as configured, on its sandbox', async () => {
    const owner = await signup(t.app);
    const res = await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations' });
    expect(res.json().map((c: { mode: string; configured: boolean }) => [c.mode, c.configured])).toEqual(CRM_IDS.map(() => ['sandbox', true]));
  });

  it.each(CRM_IDS)('connects %s through the sandbox mounted on this server', async (crm) => {
    const owner = await signup(t.app);
    const { authUrl } = (await as(t.app, owner)({ method: 'GET', url: `/api/crm-integrations/${crm}/authorize` })).json();
    expect(authUrl.startsWith(`${publicUrl}/sandbox/${crm}/`), authUrl).toBe(true);
    const { connectionId } = await connect(t, owner, crm);
    const { client, connection } = await createClientForConnection(t.ctx, owner.organizationId, connectionId);
    expect(connection.syncSettings).toMatchObject({ simulator: true });
    expect(await client.testConnection()).toEqual({ isValid: true });
  }, 60_000);

  it('mounted sandboxes accept only this server’s redirect URI', async () => {
    const owner = await signup(t.app);
    const { authUrl } = (await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations/hubspot/authorize' })).json();
    const elsewhere = new URL(authUrl);
    elsewhere.searchParams.set('redirect_uri', 'http://localhost:9999/steal');
    const res = await fetch(elsewhere, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get('location')).toBeNull();
  });
}, 60_000);
