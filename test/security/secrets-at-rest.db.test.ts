/**
 * Secrets at rest: stored tokens are ciphertexts bound to their row, a scan of every table finds no plaintext,
 * and `keys rotate` re-seals everything under the new key while old ciphertexts stay readable until then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { crmConnections } from '../../src/db/schema.js';
import { generateKey, Keyring } from '../../src/security/keyring.js';
import { open, seal } from '../../src/security/sealed-columns.js';
import { rotateSecrets } from '../../src/services/key-rotation.js';
import { createTestApp, signup, type TestApp } from '../helpers/app.js';
import { scanDatabaseFor } from '../helpers/scan.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startQueue: true });
});
afterAll(async () => t.close());

async function storeConnection(keyring: Keyring, organizationId: string, access: string, refresh: string) {
  const id = crypto.randomUUID();
  await t.ctx.db.insert(crmConnections).values({
    id,
    organizationId,
    integrationId: 'hubspot',
    instanceUrl: 'https://api.hubapi.com',
    accessToken: seal(keyring, 'crm_connections', 'access_token', id, access),
    refreshToken: seal(keyring, 'crm_connections', 'refresh_token', id, refresh),
    expiresAt: new Date(Date.now() + 1800_000),
    externalOrgId: `portal-${id.slice(0, 6)}`,
  });
  return id;
}

describe('secrets at rest', () => {
  it('finds no plaintext token anywhere in the database', async () => {
    const owner = await signup(t.app);
    const access = `CN2zl-ACCESS-${crypto.randomUUID()}`;
    const refresh = `6f18f21e-REFRESH-${crypto.randomUUID()}`;
    const id = await storeConnection(t.ctx.keyring, owner.organizationId, access, refresh);
    const hits = await scanDatabaseFor(t.ctx.database, [access, refresh, access.slice(5, 30)]);
    expect(hits).toEqual([]);
    const [row] = await t.ctx.db.select().from(crmConnections).where(eq(crmConnections.id, id));
    expect(await open(t.ctx.keyring, 'crm_connections', 'access_token', id, row!.accessToken!)).toBe(access);
  });

  it('will not open a ciphertext moved to another row', async () => {
    const owner = await signup(t.app);
    const a = await storeConnection(t.ctx.keyring, owner.organizationId, 'token-a', 'refresh-a');
    const [row] = await t.ctx.db.select().from(crmConnections).where(eq(crmConnections.id, a));
    await expect(open(t.ctx.keyring, 'crm_connections', 'access_token', crypto.randomUUID(), row!.accessToken!)).rejects.toThrow();
    await expect(open(t.ctx.keyring, 'crm_connections', 'refresh_token', a, row!.accessToken!)).rejects.toThrow();
  });

  it('rotates every secret to the new active key; old ciphertexts stay readable until then', async () => {
    const owner = await signup(t.app);
    const oldKey = generateKey('old');
    const newKey = generateKey('new');
    const oldRing = new Keyring([oldKey]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await storeConnection(oldRing, owner.organizationId, `access-${i}`, `refresh-${i}`));

    const newRing = new Keyring([newKey, oldKey]);
    const [before] = await t.ctx.db.select().from(crmConnections).where(eq(crmConnections.id, ids[0]!));
    expect(await open(newRing, 'crm_connections', 'access_token', ids[0]!, before!.accessToken!)).toBe('access-0');

    // Rows other tests sealed under the app's key are out of this ring's reach; rotate only what it can open.
    await t.ctx.database.raw.query(`delete from crm_connections where access_token not like 'v1.old.%'`);
    const report = await rotateSecrets(t.ctx.database, newRing);
    expect(report.resealed).toBe(10);
    expect(report.remaining).toEqual({});
    const newKeyOnly = new Keyring([newKey]);
    for (const [i, id] of ids.entries()) {
      const [row] = await t.ctx.db.select().from(crmConnections).where(eq(crmConnections.id, id));
      expect(Keyring.keyIdOf(row!.accessToken!)).toBe('new');
      expect(Keyring.keyIdOf(row!.refreshToken!)).toBe('new');
      expect(await open(newKeyOnly, 'crm_connections', 'access_token', id, row!.accessToken!)).toBe(`access-${i}`);
      expect(await open(newKeyOnly, 'crm_connections', 'refresh_token', id, row!.refreshToken!)).toBe(`refresh-${i}`);
    }
    const again = await rotateSecrets(t.ctx.database, newRing);
    expect(again.resealed).toBe(0);
  });
});
