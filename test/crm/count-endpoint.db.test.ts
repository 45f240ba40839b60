/**
 * The pre-flight endpoints of issue 5 against every CRM's sandbox, through the app: crm-count (count + plan) and
 * crm-fields (the CRM's field metadata, custom fields included).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_IDS, ENTITY_TYPES, type CrmId } from '../../src/core/ids.js';
import { planFetch } from '../../src/core/strategy.js';
import type { RunningSandbox } from '../../sandbox/common/runner.js';
import { as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { connect, loadCrm, requireLoaded, sandboxEnv, sandboxOptionsFor, startCrmSandbox } from '../connections/harness.js';

const RECORDS = { accounts: 40, contacts: 1_234, leads: 25, deals: 60, activities: 90 };

describe.each(CRM_IDS)('%s: crm-count and crm-fields', (crm: CrmId) => {
  let t: TestApp;
  let sandbox: RunningSandbox;
  let owner: Session;
  let connectionId: string;

  beforeAll(async () => {
    const loaded = requireLoaded(crm, await loadCrm(crm));
    sandbox = await startCrmSandbox(loaded.definition, { ...sandboxOptionsFor(crm), records: RECORDS });
    t = await createTestApp({ env: sandboxEnv(crm, sandbox.url) });
    owner = await signup(t.app);
    ({ connectionId } = await connect(t, owner, crm));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('counts each entity exactly and explains the plan', async () => {
    const module = requireLoaded(crm, await loadCrm(crm)).module;
    for (const entityType of ENTITY_TYPES) {
      const res = await as(t.app, owner)({ method: 'POST', url: '/api/import-export/crm-count', payload: { connectionId, entityType } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      const expected = planFetch({ count: body.count, paging: module.definition.paging, windows: module.definition.limits.windows, weightPerRequest: module.definition.paging.weightPerRequest });
      expect(body).toMatchObject({ entityType, strategy: expected.strategy, useBulkApi: expected.useBulkApi, estimatedApiCalls: expected.estimatedApiCalls, background: false });
      expect(body.reason.length).toBeGreaterThan(10);
      if (entityType !== 'activities') expect(body.count, entityType).toBe(RECORDS[entityType]);
      else expect(body.count).toBeGreaterThanOrEqual(RECORDS.activities); // some CRMs spread activities over several objects
    }
  });

  it('plans a whole-CRM run entity by entity, in dependency order', async () => {
    const res = await as(t.app, owner)({ method: 'POST', url: '/api/import-export/crm-count', payload: { connectionId, entityType: 'all' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.entities.map((e: { entityType: string }) => e.entityType)).toEqual([...ENTITY_TYPES]);
    expect(body.count).toBe(body.entities.reduce((n: number, e: { count: number }) => n + e.count, 0));
    expect(body.estimatedApiCalls).toBe(body.entities.reduce((n: number, e: { estimatedApiCalls: number }) => n + e.estimatedApiCalls, 0));
  });

  it("lists the CRM's fields with custom fields marked", async () => {
    const res = await as(t.app, owner)({ method: 'GET', url: `/api/import-export/crm-fields?connectionId=${connectionId}&entityType=contacts` });
    expect(res.statusCode, res.body).toBe(200);
    const { fields } = res.json();
    expect(fields.length).toBeGreaterThan(5);
    expect(fields.some((f: { custom: boolean }) => f.custom)).toBe(true);
    expect(fields.some((f: { custom: boolean }) => !f.custom)).toBe(true);
    for (const f of fields) expect(f).toEqual(expect.objectContaining({ name: expect.any(String), label: expect.any(String), type: expect.any(String) }));
  });

  it("answers 404 for another organization's connection, and 400 for a bad entity", async () => {
    const intruder = await signup(t.app);
    const res = await as(t.app, intruder)({ method: 'POST', url: '/api/import-export/crm-count', payload: { connectionId, entityType: 'contacts' } });
    expect(res.statusCode).toBe(404);
    const bad = await as(t.app, owner)({ method: 'POST', url: '/api/import-export/crm-count', payload: { connectionId, entityType: 'widgets' } });
    expect(bad.statusCode).toBe(400);
  });
});
