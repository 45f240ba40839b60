/**
 * CSV imports end to end (upload → import-csv → background job → records), on the embedded database and on
 * PostgreSQL: every entity checked field by field, relationships (children before parents, links by name,
 * links that never resolve), re-runs that update instead of duplicating, duplicate policies, the error report,
 * undo, the records API, stats and metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { expectError, getRun, startCsv, startImportWorkers, uploadCsv, waitForRun, type Mapping } from './helpers.js';

let t: TestApp;
let s: Session;
beforeAll(async () => {
  t = await createTestApp({ startQueue: true });
  s = await signup(t.app);
  await startImportWorkers(t);
}, 180_000);
afterAll(async () => t?.close());

const api = () => as(t.app, s);
const get = async (url: string) => {
  const res = await api()({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const records = async (entity: string, query = '') => (await get(`/api/records/${entity}?limit=500${query}`)).records as Array<Record<string, unknown>>;
const byExt = async (entity: string) => new Map((await records(entity)).map((r) => [r.externalId as string, r]));

async function importCsv(entity: string, csv: string, mappings: Mapping[], options?: Record<string, unknown>) {
  const up = await uploadCsv(t, s, csv, entity);
  const id = await startCsv(t, s, up.uploadId, entity, mappings, options);
  return { id, run: await waitForRun(t, s, id), upload: up };
}

const CONTACTS = [
  'Contact ID,Full Name,Email,Phone,Title,Birthdate,Account ID,Newsletter',
  'C1,"Lovelace, Ada",ADA@Example.com,+44 20 7946 0018,Countess,10/12/1815,A1,yes',
  'C2,Dr. Alan Turing,alan@example.com,(415) 555-2671,"Mathematician, cryptanalyst",23/06/1912,A2,no',
  'C3,Grace Hopper,grace@example.com,,Rear Admiral,09/12/1906,A999,',
  'C4,Nobody Known,not-an-email,,,,A1,',
].join('\n');
const contactMappings: Mapping[] = [
  { sourceField: 'Contact ID', targetField: 'externalId' },
  { sourceField: 'Full Name', targetField: 'fullName', transform: { kind: 'splitFullName' } },
  { sourceField: 'Email', targetField: 'email', transform: { kind: 'lowercaseEmail' } },
  { sourceField: 'Phone', targetField: 'phone', transform: { kind: 'phoneE164', defaultCountry: 'US' } },
  { sourceField: 'Title', targetField: 'title' },
  { sourceField: 'Birthdate', targetField: 'birthdate', transform: { kind: 'parseDate', format: 'DD/MM/YYYY' } },
  { sourceField: 'Account ID', targetField: 'accountExternalId' },
  { sourceField: 'Newsletter', targetField: null, keepAsCustom: true },
];

const ACCOUNTS = [
  'Account ID,Account Name,Website,Industry,Employees,Annual Revenue,Phone,Billing Country',
  'A1,Analytical Engines Ltd,analytical.example.co.uk,Computing,"1,200",$4.5M,+44 20 7946 0000,United Kingdom',
  'A2,"Bletchley, Park & Co",https://www.bletchley.example.com/,Defence,35,"€1.234.567,00",,UK',
  'A3,Compilers Inc,compilers.example.com,Software,12,,,Deutschland',
].join('\n');
const accountMappings: Mapping[] = [
  { sourceField: 'Account ID', targetField: 'externalId' },
  { sourceField: 'Account Name', targetField: 'name' },
  { sourceField: 'Website', targetField: 'website', transform: { kind: 'url' } },
  { sourceField: 'Industry', targetField: 'industry' },
  { sourceField: 'Employees', targetField: 'employees', transform: { kind: 'parseNumber', decimal: '.', integer: true } },
  { sourceField: 'Annual Revenue', targetField: 'annualRevenue' },
  { sourceField: 'Phone', targetField: 'phone' },
  { sourceField: 'Billing Country', targetField: 'country', transform: { kind: 'country' } },
];

describe('CSV imports', () => {
  let contactRun: string;

  it('imports contacts before their accounts: stored field by field, failures reported, links waiting', async () => {
    const { id, run } = await importCsv('contacts', CONTACTS, contactMappings);
    contactRun = id;
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ total: 4, fetched: 4, created: 3, updated: 0, skipped: 0, failed: 1 });
    const c = await byExt('contacts');
    expect(c.get('C1')).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+442079460018',
      title: 'Countess',
      birthdate: '1815-12-10',
      accountExternalId: 'A1',
      accountId: null,
      source: 'csv',
      customFields: { Newsletter: 'yes' },
      migrationId: id,
    });
    expect(c.get('C2')).toMatchObject({ firstName: 'Alan', lastName: 'Turing', phone: '+14155552671', title: 'Mathematician, cryptanalyst', birthdate: '1912-06-23' });
    expect(c.get('C3')).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', phone: null, customFields: {} });
    expect(c.has('C4')).toBe(false);
    // Every link waits for an account that is not there yet.
    expect(run.reconciliation!.entities.contacts!.unresolvedLinks).toEqual({ accountExternalId: 3 });
  });

  it('resolves the waiting contacts when their accounts arrive, and stores accounts field by field', async () => {
    const { run } = await importCsv('accounts', ACCOUNTS, accountMappings);
    expect(run.status).toBe('completed');
    expect(run.reconciliation).toMatchObject({ ok: true, issues: [] });
    expect(run.counts).toMatchObject({ total: 3, fetched: 3, created: 3, failed: 0 });
    const a = await byExt('accounts');
    expect(a.get('A1')).toMatchObject({ name: 'Analytical Engines Ltd', website: 'https://analytical.example.co.uk', industry: 'Computing', employees: 1200, annualRevenue: 4_500_000, phone: '+442079460000', country: 'GB' });
    expect(a.get('A2')).toMatchObject({ name: 'Bletchley, Park & Co', website: 'https://www.bletchley.example.com/', employees: 35, annualRevenue: 1234567, phone: null, country: 'GB' });
    expect(a.get('A3')).toMatchObject({ name: 'Compilers Inc', annualRevenue: null, country: 'DE' });
    const c = await byExt('contacts');
    expect(c.get('C1')!.accountId).toBe(a.get('A1')!.id);
    expect(c.get('C2')!.accountId).toBe(a.get('A2')!.id);
    expect(c.get('C3')!.accountId).toBeNull(); // A999 never arrives; its source id is kept
    expect(c.get('C3')!.accountExternalId).toBe('A999');
    const detail = await get(`/api/records/contacts/${c.get('C1')!.id as string}`);
    expect(detail.related.account).toMatchObject({ externalId: 'A1', name: 'Analytical Engines Ltd' });
    const account = await get(`/api/records/accounts/${a.get('A1')!.id as string}`);
    expect(account.children.contacts.count).toBe(1);
  });

  it('reports what failed and the links that never resolved in a formula-safe error report', async () => {
    const res = await api()({ method: 'GET', url: `/api/import-export/migrations/${contactRun}/errors.csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('entity,row_number,source_id,field,code,reason,Contact ID,Full Name,Email,Phone,Title,Birthdate,Account ID,Newsletter');
    expect(lines[1]).toBe('contacts,4,,Email,INVALID_VALUE,"""not-an-email"" is not a valid e-mail address.",C4,Nobody Known,not-an-email,,,,A1,');
    // The run's own unresolved links were listed when it ended (A999 and, at that time, A1/A2).
    expect(lines.slice(2).every((l) => l.includes('UNRESOLVED_LINK'))).toBe(true);
    expect(lines.some((l) => l.includes('"No account with id ""A999"" was imported'))).toBe(true);
  });

  it('re-running the same file updates the records instead of duplicating them', async () => {
    const before = await get('/api/records/contacts/count');
    const { run } = await importCsv('contacts', CONTACTS, contactMappings);
    expect(run.counts).toMatchObject({ fetched: 4, created: 0, updated: 3, skipped: 0, failed: 1 });
    expect(await get('/api/records/contacts/count')).toEqual(before);
    // Only A999 is unresolved now.
    expect(run.reconciliation!.entities.contacts!.unresolvedLinks).toEqual({ accountExternalId: 1 });
  });

  it('imports deals and activities with their links, field by field', async () => {
    const deals = [
      'Opportunity ID,Opportunity Name,Amount,Currency,Stage,Probability,Close Date,Status,Account ID,Contact ID,Company',
      'D1,Engine order,"12,500.00",gbp,Proposal,0.6,2024-03-31,open,A1,C1,',
      'D2,Codebreaking,99,USD,Closed Won,100%,2024-01-15,Closed Won,,C2,"Bletchley, Park & Co"',
    ].join('\n');
    const dealRun = await importCsv('deals', deals, [
      { sourceField: 'Opportunity ID', targetField: 'externalId' },
      { sourceField: 'Opportunity Name', targetField: 'name' },
      { sourceField: 'Amount', targetField: 'amount' },
      { sourceField: 'Currency', targetField: 'currency' },
      { sourceField: 'Stage', targetField: 'stage' },
      { sourceField: 'Probability', targetField: 'probability', transform: { kind: 'percent', fraction: true } },
      { sourceField: 'Close Date', targetField: 'closeDate' },
      { sourceField: 'Status', targetField: 'status' },
      { sourceField: 'Account ID', targetField: 'accountExternalId' },
      { sourceField: 'Contact ID', targetField: 'contactExternalId' },
      { sourceField: 'Company', targetField: 'accountName' },
    ]);
    expect(dealRun.run.status).toBe('completed');
    const a = await byExt('accounts');
    const c = await byExt('contacts');
    const d = await byExt('deals');
    expect(d.get('D1')).toMatchObject({ name: 'Engine order', amount: 12500, currency: 'GBP', stage: 'Proposal', probability: 60, closeDate: '2024-03-31', status: 'open', accountId: a.get('A1')!.id, contactId: c.get('C1')!.id });
    // Linked by the company's name alone.
    expect(d.get('D2')).toMatchObject({ amount: 99, currency: 'USD', probability: 100, status: 'won', accountName: 'Bletchley, Park & Co', accountId: a.get('A2')!.id, contactId: c.get('C2')!.id });

    const activities = ['Type,Subject,Notes,Due,Done,Priority,Deal,Contact', 'Call,Discuss order,"Line one\nline two",2024-03-01 10:00,,High,D1,C1', 'meeting,Kick-off,,2024-03-02T09:30:00Z,2024-03-02T10:30:00Z,,D1,', 'fax,Unknown kind,,,,,D1,'].join('\n');
    const actRun = await importCsv('activities', activities, [
      { sourceField: 'Type', targetField: 'type' },
      { sourceField: 'Subject', targetField: 'subject' },
      { sourceField: 'Notes', targetField: 'body' },
      { sourceField: 'Due', targetField: 'dueAt' },
      { sourceField: 'Done', targetField: 'completedAt' },
      { sourceField: 'Priority', targetField: 'priority' },
      { sourceField: 'Deal', targetField: 'dealExternalId' },
      { sourceField: 'Contact', targetField: 'contactExternalId' },
    ]);
    expect(actRun.run.counts).toMatchObject({ fetched: 3, created: 2, failed: 1 });
    const acts = await records('activities');
    const call = acts.find((x) => x.subject === 'Discuss order')!;
    expect(call).toMatchObject({ type: 'call', body: 'Line one\nline two', dueAt: '2024-03-01T10:00:00.000Z', completedAt: null, priority: 'High', dealId: d.get('D1')!.id, contactId: c.get('C1')!.id });
    expect(acts.find((x) => x.subject === 'Kick-off')).toMatchObject({ type: 'meeting', completedAt: '2024-03-02T10:30:00.000Z', contactId: null });
  });

  it('keys rows without an id column by e-mail, and applies each duplicate policy', async () => {
    const leads = (rows: string[]) => ['First,Last,Email,Company,Status,Rating', ...rows].join('\n');
    const mapping: Mapping[] = [
      { sourceField: 'First', targetField: 'firstName' },
      { sourceField: 'Last', targetField: 'lastName' },
      { sourceField: 'Email', targetField: 'email' },
      { sourceField: 'Company', targetField: 'company' },
      { sourceField: 'Status', targetField: 'status' },
      { sourceField: 'Rating', targetField: 'rating' },
    ];
    const first = await importCsv('leads', leads(['Linus,Torvalds,linus@example.com,,new,', 'Ken,Thompson,ken@example.com,Bell Labs,new,hot', 'Ken,Thompson,KEN@example.com,Bell Labs,contacted,hot']), mapping);
    // The same e-mail twice in one file is one lead: created, then updated.
    expect(first.run.counts).toMatchObject({ fetched: 3, created: 2, updated: 1, failed: 0 });
    let l = await byExt('leads');
    expect([...l.keys()].sort()).toEqual(['email:ken@example.com', 'email:linus@example.com']);
    expect(l.get('email:ken@example.com')).toMatchObject({ status: 'contacted', company: 'Bell Labs' });

    const second = ['Linus,T.,linus@example.com,Linux Foundation,qualified,warm', 'Dennis,Ritchie,dmr@example.com,Bell Labs,new,'];
    const skip = await importCsv('leads', leads(second), mapping, { duplicatePolicy: 'skip' });
    expect(skip.run.counts).toMatchObject({ created: 1, updated: 0, skipped: 1 });
    l = await byExt('leads');
    expect(l.get('email:linus@example.com')).toMatchObject({ lastName: 'Torvalds', company: null });

    const fill = await importCsv('leads', leads(second), mapping, { duplicatePolicy: 'update_empty' });
    // Linus gets his empty company and rating filled, keeps his name; Dennis has nothing empty left to fill.
    expect(fill.run.counts).toMatchObject({ created: 0, updated: 1, skipped: 1 });
    l = await byExt('leads');
    expect(l.get('email:linus@example.com')).toMatchObject({ lastName: 'Torvalds', company: 'Linux Foundation', rating: 'warm', status: 'new' });

    const over = await importCsv('leads', leads(second), mapping, { duplicatePolicy: 'overwrite' });
    expect(over.run.counts).toMatchObject({ created: 0, updated: 2 });
    expect((await byExt('leads')).get('email:linus@example.com')).toMatchObject({ lastName: 'T.', status: 'qualified' });

    const create = await importCsv('leads', leads([...second, 'Bjarne,Stroustrup,bs@example.com,,new,']), mapping, { duplicatePolicy: 'create' });
    expect(create.run.counts).toMatchObject({ created: 1, updated: 0, skipped: 2 });
    expect(await get('/api/records/leads/count')).toEqual({ count: 4 });

    // `skip` also matches across sources by e-mail: a contact already has ada@example.com.
    const crossed = await importCsv('contacts', ['Name,Email', 'Ada King,ada@example.com', 'New Person,new@example.com'].join('\n'), [
      { sourceField: 'Name', targetField: 'fullName' },
      { sourceField: 'Email', targetField: 'email' },
    ], { duplicatePolicy: 'skip' });
    expect(crossed.run.counts).toMatchObject({ created: 1, skipped: 1 });
  });

  it('undoes a run: deletes what it created, keeps what it only updated', async () => {
    const before = await get('/api/records/accounts/count');
    const { id, run } = await importCsv('accounts', ['Account ID,Account Name', 'A1,Analytical Engines (renamed)', 'A4,Brand New Co'].join('\n'), [
      { sourceField: 'Account ID', targetField: 'externalId' },
      { sourceField: 'Account Name', targetField: 'name' },
    ]);
    expect(run.counts).toMatchObject({ created: 1, updated: 1 });
    expect(await get('/api/records/accounts/count')).toEqual({ count: before.count + 1 });
    const undo = await api()({ method: 'POST', url: `/api/import-export/migrations/${id}/undo` });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json()).toEqual({ deleted: { accounts: 1 }, total: 1 });
    const a = await byExt('accounts');
    expect(a.has('A4')).toBe(false);
    expect(a.get('A1')).toMatchObject({ name: 'Analytical Engines (renamed)' });
    expect((await getRun(t, s, id)).reconciliation).toMatchObject({ undo: { deleted: { accounts: 1 } } });
  });

  it('lists, searches and counts records, and pages them by keyset', async () => {
    const found = await get('/api/records/contacts?q=lovelace');
    expect(found.records.map((r: { externalId: string }) => r.externalId)).toEqual(['C1']);
    expect(await get('/api/records/contacts/count?q=EXAMPLE.COM')).toEqual({ count: 4 });
    expect(await get(`/api/records/contacts/count?migrationId=${contactRun}`)).toEqual({ count: 3 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { records: Array<{ id: string }>; nextCursor: string | null } = await get(`/api/records/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expectError(await api()({ method: 'GET', url: '/api/records/widgets' }), 400, 'VALIDATION_FAILED');
  });

  it('reports adoption stats and metrics', async () => {
    const stats = await get('/api/import-export/stats');
    expect(stats.byMethod.csv.runs).toBeGreaterThanOrEqual(10);
    expect(stats.byMethod.api.runs).toBe(0);
    expect(stats.byMethod.csv.completionRate).toBe(1);
    expect(stats.total.recordsMoved).toBeGreaterThan(10);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const list: { migrations: Array<{ id: string }>; nextCursor: string | null } = await get(`/api/import-export/migrations?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(list.migrations.length).toBeLessThanOrEqual(3);
      ids.push(...list.migrations.map((m) => m.id));
      cursor = list.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(stats.total.runs);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/crm_migrate_import_runs\{method="csv",status="completed"\} \d+/);
    expect(metrics.body).toMatch(/crm_migrate_import_records_total\{method="csv",entity="contacts",outcome="created"\} \d+/);
  });
});
