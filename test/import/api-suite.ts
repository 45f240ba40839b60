/**
 * The Direct API import suite, run once per CRM (test/import/api-<crm>.db.test.ts) against that CRM's own sandbox
 * started standalone: connect through the app's OAuth endpoints, map each entity with the app's own suggestions,
 * import everything (`entityType: "all"`), and check the result against the sandbox's world — counts reconciled,
 * every record's key fields and every relationship compared as whole data sets — then re-run (updates, no
 * duplicates), and pause on an exhausted daily quota and resume without anyone asking.
 * A CRM whose module or sandbox has not landed fails here: all five are expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_NAMES, ENTITY_TYPES, type CrmId, type EntityType } from '../../src/core/ids.js';
import type { SourceRecord } from '../../src/crm/types.js';
import { createClientForConnection } from '../../src/services/connection-service.js';
import type { RunningSandbox } from '../../sandbox/common/runner.js';
import type { WorldAccount, WorldActivity, WorldContact, WorldDeal, WorldLead } from '../../sandbox/common/data/types.js';
import { as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { connect, loadCrm, requireLoaded, sandboxEnv, sandboxPost, startCrmSandbox, type LoadedCrm } from '../connections/harness.js';
import { getRun, startImportWorkers, waitForRun, type Mapping, type MigrationJson } from './helpers.js';

export const API_WORLD = { accounts: 8, contacts: 40, leads: 10, deals: 12, activities: 25 };

type Row = Record<string, unknown>;
const lc = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v).trim().toLowerCase());
const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v).trim());
const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));
const sorted = (xs: string[]) => [...xs].sort();

/** Comparable fields of a record, the same from the world and from our tables. */
const personKey = (p: Row | WorldContact | WorldLead) => JSON.stringify([str(p.firstName), str(p.lastName), lc(p.email)]);
// An empty amount: some CRMs store none (null), Pipedrive always a number (0).
const dealKey = (d: Row | WorldDeal) => JSON.stringify([str(d.name), Number(d.amount ?? 0)]);

export function defineApiImportSuite(crm: CrmId): void {
  let loaded: LoadedCrm | { missing: string };
  let sandbox: RunningSandbox | undefined;
  let t: TestApp;
  let s: Session;
  let connectionId: string;
  const mappings: Partial<Record<EntityType, Mapping[]>> = {};

  beforeAll(async () => {
    loaded = await loadCrm(crm);
    if ('missing' in loaded) return;
    sandbox = await startCrmSandbox(loaded.definition, { records: API_WORLD, ...(crm === 'monday' ? { extras: { oauthFlow: '2.1' } } : {}) });
    t = await createTestApp({ startQueue: true, env: { DEMO_SANDBOXES: 'false', ...sandboxEnv(crm, sandbox.url) } });
    s = await signup(t.app);
    await startImportWorkers(t);
    connectionId = (await connect(t, s, crm)).connectionId;
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  }, 60_000);

  const api = () => as(t.app, s);
  const world = () => sandbox!.instance.ctx.world;
  const rows = async (entity: EntityType): Promise<Row[]> => {
    const res = await api()({ method: 'GET', url: `/api/records/${entity}?limit=500` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().records;
  };

  /** The mapping a user would accept: the app's suggestions for the CRM's own fields, unmatched fields kept as custom. */
  async function suggest(entity: EntityType): Promise<Mapping[]> {
    const fields = await api()({ method: 'GET', url: `/api/import-export/crm-fields?connectionId=${connectionId}&entityType=${entity}` });
    expect(fields.statusCode, fields.body).toBe(200);
    const sourceFields = (fields.json().fields as Array<{ name: string; label: string; type: string }>).map((f) => ({ name: f.name, label: f.label, type: f.type }));
    const res = await api()({ method: 'POST', url: '/api/import-export/suggest-mapping', payload: { entityType: entity, crmType: crm, sourceFields } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().mappings as Mapping[]).map((m) => (m.targetField === null ? { ...m, keepAsCustom: true } : m));
  }

  /** Every record of an entity straight from the CRM's client (the small world fits a few pages). */
  async function crmRecords(entity: EntityType): Promise<SourceRecord[]> {
    const { client } = await createClientForConnection(t.ctx, s.organizationId, connectionId);
    const out: SourceRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await client.fetchRecords(entity, cursor, 100);
      out.push(...page.records);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async function importAll(options: Record<string, unknown> = {}): Promise<MigrationJson> {
    const res = await api()({ method: 'POST', url: '/api/import-export/import-api', payload: { connectionId, entityType: 'all', fieldMappings: mappings, options: { batchSize: 10, ...options } } });
    expect(res.statusCode, res.body).toBe(202);
    return waitForRun(t, s, res.json().migrationId, undefined, 120_000);
  }

  describe(`${CRM_NAMES[crm]} (Direct API)`, () => {
    it('imports every entity: counts reconciled, records and relationships equal to the CRM’s', async () => {
      requireLoaded(crm, loaded);
      for (const entity of ENTITY_TYPES) mappings[entity] = await suggest(entity);
      const run = await importAll();
      const w = world();
      // On failure, say why: the first lines of the run's error report.
      const report = run.status !== 'completed' ? (await api()({ method: 'GET', url: `/api/import-export/migrations/${run.id}/errors.csv` })).body.slice(0, 2000) : '';
      expect(run.error).toBeNull();
      for (const entity of ENTITY_TYPES) {
        expect(run.reconciliation!.entities[entity], `${entity}\n${report}`).toMatchObject({ sourceCount: w.counts[entity], fetched: w.counts[entity], created: w.counts[entity], failed: 0 });
      }
      expect(run.counts).toMatchObject({ fetched: run.counts.total, created: run.counts.total, failed: 0 });
      expect(run.counts.total).toBe(Object.values(w.counts).reduce((a, b) => a + b, 0));
      expect({ status: run.status, issues: run.reconciliation!.issues, report }).toEqual({ status: 'completed', issues: [], report: '' });

      const range = (n: number) => Array.from({ length: n }, (_, i) => i);
      const accounts: WorldAccount[] = range(w.counts.accounts).map((i) => w.account(i));
      const contacts: WorldContact[] = range(w.counts.contacts).map((i) => w.contact(i));
      const leads: WorldLead[] = range(w.counts.leads).map((i) => w.lead(i));
      const deals: WorldDeal[] = range(w.counts.deals).map((i) => w.deal(i));
      const acts: WorldActivity[] = range(w.counts.activities).map((i) => w.activity(i));

      const ours = { accounts: await rows('accounts'), contacts: await rows('contacts'), leads: await rows('leads'), deals: await rows('deals'), activities: await rows('activities') };
      for (const entity of ENTITY_TYPES) expect(ours[entity], entity).toHaveLength(w.counts[entity]);
      const byId = (entity: EntityType) => new Map(ours[entity].map((r) => [r.id as string, r]));
      const accountById = byId('accounts');
      const contactById = byId('contacts');

      // Field by field, as whole data sets (every record, whatever ids the CRM gives them).
      expect(sorted(ours.accounts.map((a) => JSON.stringify([str(a.name)])))).toEqual(sorted(accounts.map((a) => JSON.stringify([str(a.name)]))));
      expect(sorted(ours.contacts.map(personKey))).toEqual(sorted(contacts.map(personKey)));
      expect(sorted(ours.leads.map((l) => JSON.stringify([personKey(l), str(l.company)])))).toEqual(sorted(leads.map((l) => JSON.stringify([personKey(l), str(l.company)]))));
      expect(sorted(ours.deals.map((d) => JSON.stringify([dealKey(d), str(d.closeDate)])))).toEqual(sorted(deals.map((d) => JSON.stringify([dealKey(d), day(d.closeDate)]))));
      // Activities: as many as the world holds; their type as the CRM reports it (Zoho keeps e-mails as tasks);
      // subjects where the CRM keeps one in the mapped field (HubSpot notes have none).
      const fromCrm = await crmRecords('activities');
      const crmType = new Map(fromCrm.map((r) => [r.id, r.activityType]));
      for (const a of ours.activities) if (crmType.get(a.externalId as string)) expect(a.type, a.externalId as string).toBe(crmType.get(a.externalId as string));
      const subjects = new Set(acts.map((a) => a.subject));
      const withSubject = ours.activities.filter((a) => a.subject !== null);
      expect(withSubject.length).toBeGreaterThan(0);
      for (const a of withSubject) expect(subjects.has(a.subject as string), a.subject as string).toBe(true);

      // Relationships: each link resolved to the very record the CRM links to.
      const accName = (id: unknown) => (id ? str(accountById.get(id as string)?.name) : null);
      expect(sorted(ours.contacts.map((c) => JSON.stringify([personKey(c), accName(c.accountId)])))).toEqual(
        sorted(contacts.map((c) => JSON.stringify([personKey(c), c.accountIndex === null ? null : str(w.account(c.accountIndex).name)]))),
      );
      expect(sorted(ours.deals.map((d) => JSON.stringify([dealKey(d), accName(d.accountId), d.contactId ? personKey(contactById.get(d.contactId as string)!) : null])))).toEqual(
        sorted(deals.map((d) => JSON.stringify([dealKey(d), d.accountIndex === null ? null : str(w.account(d.accountIndex).name), d.contactIndex === null ? null : personKey(w.contact(d.contactIndex))]))),
      );
      // Every link of every record is the CRM's own (a Salesforce note keeps one parent, so the world's second
      // link is not there to import) and resolved to the record with that id.
      const extOf = (entity: EntityType) => new Map(ours[entity].map((r) => [r.id as string, r.externalId as string]));
      const ext = { accounts: extOf('accounts'), contacts: extOf('contacts'), deals: extOf('deals') };
      for (const entity of ['contacts', 'deals', 'activities'] as const) {
        const links = new Map((entity === 'activities' ? fromCrm : await crmRecords(entity)).map((r) => [r.id, r.links]));
        for (const r of ours[entity]) {
          const l = links.get(r.externalId as string) ?? {};
          const got: Record<string, unknown> = { account: r.accountId ? ext.accounts.get(r.accountId as string) : null };
          if (entity !== 'contacts') got.contact = r.contactId ? ext.contacts.get(r.contactId as string) : null;
          if (entity === 'activities') got.deal = r.dealId ? ext.deals.get(r.dealId as string) : null;
          const want = Object.fromEntries(Object.keys(got).map((k) => [k, (l as Record<string, string | undefined>)[k] ?? null]));
          expect(got, `${entity} ${r.externalId as string}`).toEqual(want);
        }
      }

      // Spot checks of single records: a contact with a unique e-mail, all its mapped person fields.
      const unique = contacts.filter((c) => c.email && contacts.filter((o) => lc(o.email) === lc(c.email)).length === 1);
      expect(unique.length).toBeGreaterThan(5);
      for (const c of unique.slice(0, 5)) {
        const mine = ours.contacts.find((r) => r.email === lc(c.email))!;
        expect(mine, c.email).toMatchObject({ source: crm, firstName: str(c.firstName), lastName: str(c.lastName), email: lc(c.email), migrationId: run.id, createdMigrationId: run.id });
        expect(mine.externalId).toEqual(expect.any(String));
        // To the second: some CRMs keep no milliseconds.
        expect(Math.floor(Date.parse(mine.sourceCreatedAt as string) / 1000)).toBe(Math.floor(c.createdAt / 1000));
      }
    }, 180_000);

    it('re-running updates every record instead of duplicating it', async () => {
      requireLoaded(crm, loaded);
      const w = world();
      const total = Object.values(w.counts).reduce((a, b) => a + b, 0);
      const run = await importAll();
      expect(run.status).toBe('completed');
      expect(run.counts).toMatchObject({ fetched: total, created: 0, updated: total, failed: 0 });
      for (const entity of ENTITY_TYPES) {
        const count = await api()({ method: 'GET', url: `/api/records/${entity}/count` });
        expect(count.json(), entity).toEqual({ count: w.counts[entity] });
      }
    }, 180_000);

    it('pauses when the daily API quota runs out, says so, and resumes by itself', async () => {
      const { module } = requireLoaded(crm, loaded);
      // No client-side throttling on this simulator connection: the CRM's own answer is what pauses the run.
      const patched = await api()({ method: 'PATCH', url: `/api/crm-integrations/connections/${connectionId}`, payload: { syncSettings: { rateLimits: 'off' } } });
      expect(patched.statusCode, patched.body).toBe(200);
      const config = (await (await fetch(`${sandbox!.url}/_sandbox/config`)).json()) as { limits: Record<string, { limit: number; windowMs?: number }> };
      const quota = module.definition.limits.windows.find((win) => win.quota && config.limits[win.name]);
      expect(quota, `${crm}: a daily quota window the sandbox can shrink`).toBeDefined();
      // Room for the count only: the first page is refused until the window resets.
      const weight = quota!.unit === 'weight' ? Math.max(1, ...module.definition.limits.windows.filter((x) => x.unit === 'weight').map(() => 1)) : 1;
      await sandboxPost(sandbox!, '/_sandbox/config', { limits: { [quota!.name]: { limit: weight, windowMs: 8_000 } } });
      await sandboxPost(sandbox!, '/_sandbox/reset');
      try {
        const res = await api()({ method: 'POST', url: '/api/import-export/import-api', payload: { connectionId, entityType: 'leads', fieldMappings: mappings.leads } });
        expect(res.statusCode, res.body).toBe(202);
        const id = res.json().migrationId as string;
        const paused = await waitForRun(t, s, id, ['paused'], 60_000).catch(async (err: Error) => {
          // What the CRM saw, to tell a run that never asked from one the CRM kept answering.
          const seen = (await (await fetch(`${sandbox!.url}/_sandbox/stats`)).json()) as { requests: unknown; rejected: unknown };
          const row = (await t.ctx.database.raw.query('select status, phase, lease_owner, lease_expires_at, paused_until, updated_at from migrations where id = $1', [id])).rows[0];
          throw new Error(`${err.message}; run row ${JSON.stringify(row)}; sandbox requests ${JSON.stringify(seen.requests)}, rejected ${JSON.stringify(seen.rejected)}`);
        });
        expect(paused.pausedUntil).not.toBeNull();
        expect(paused.error).toContain(CRM_NAMES[crm]);
        expect(paused.error).toMatch(/limit|quota/i);
        // The pause ends when the CRM says its quota resets — at the next midnight for some CRMs. Bring that
        // moment forward for this run's scheduled resume (the job and the run's own clock), not the behaviour.
        if (Date.parse(paused.pausedUntil!) - Date.now() > 30_000) {
          await t.ctx.database.raw.query(`update migrations set paused_until = now() where id = $1`, [id]);
          await t.ctx.database.raw.query(`update pgboss.job set start_after = now() where name = 'import.run' and state = 'created' and data->>'migrationId' = $1`, [id]);
        }
        await sandboxPost(sandbox!, '/_sandbox/config', { limits: { [quota!.name]: { limit: 1_000_000, windowMs: quota!.windowMs } } });
        const done = await waitForRun(t, s, id, ['completed'], 90_000);
        expect(done.counts).toMatchObject({ fetched: world().counts.leads, updated: world().counts.leads, failed: 0 });
        expect(done.error).toBeNull();
        expect((await getRun(t, s, id)).pausedUntil).toBeNull();
      } finally {
        await sandboxPost(sandbox!, '/_sandbox/config', { limits: { [quota!.name]: { limit: quota!.limit, windowMs: quota!.windowMs } } });
      }
    }, 180_000);
  });
}
