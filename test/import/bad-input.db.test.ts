/**
 * Bad input never crashes an import or half-runs it: a clear 4xx with a stable code, before anything is queued —
 * files that are not CSV, files over the upload limit, mappings that cannot work, unknown entity types, another
 * organization's upload or connection. And a preview shows what would be stored without writing anything.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmConnections } from '../../src/db/schema.js';
import { as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { expectError, multipart, startCsv, startImportWorkers, uploadCsv, waitForRun } from './helpers.js';

let t: TestApp;
let s: Session;
let other: Session;
beforeAll(async () => {
  t = await createTestApp({ startQueue: true, env: { UPLOAD_MAX_BYTES: '4096' } });
  s = await signup(t.app);
  other = await signup(t.app, undefined, 'Other Org');
  await startImportWorkers(t);
}, 180_000);
afterAll(async () => t?.close());

const api = (session = s) => as(t.app, session);
const upload = (content: string | Buffer, fields: Record<string, string> = { entityType: 'contacts' }, field = 'file') =>
  api()({ method: 'POST', url: '/api/import-export/csv/upload', ...multipart(fields, { field, name: 'x.csv', content }) });
const runs = async () => (await api()({ method: 'GET', url: '/api/import-export/migrations' })).json().migrations as unknown[];

const CSV = 'First Name,Last Name,Email\nAda,Lovelace,ada@example.com\nAlan,Turing,alan@example.com\n';
const good = [
  { sourceField: 'First Name', targetField: 'firstName' },
  { sourceField: 'Last Name', targetField: 'lastName' },
  { sourceField: 'Email', targetField: 'email' },
];

describe('uploads that cannot be imported', () => {
  it.each([
    ['an empty file', '', 'CSV_EMPTY'],
    ['a header without rows', 'First Name,Last Name\n', 'CSV_HEADER_ONLY'],
    ['a binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3, 0, 0, 0, 0]), 'CSV_BINARY'],
  ])('refuses %s with CSV_INVALID and the reason', async (_what, content, code) => {
    const err = expectError(await upload(content), 400, 'CSV_INVALID');
    expect(err.details).toMatchObject({ code });
    expect(err.message.length).toBeGreaterThan(10);
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413, and keeps nothing of it', async () => {
    const big = `Name,Email\n${'Someone,someone@example.com\n'.repeat(200)}`;
    expect(big.length).toBeGreaterThan(4096);
    expectError(await upload(big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('needs exactly one file, in the field named "file", as multipart, for a known entity', async () => {
    expectError(await api()({ method: 'POST', url: '/api/import-export/csv/upload', ...multipart({ entityType: 'contacts' }) }), 400, 'VALIDATION_FAILED');
    expectError(await upload(CSV, { entityType: 'contacts' }, 'attachment'), 400, 'VALIDATION_FAILED');
    expectError(await api()({ method: 'POST', url: '/api/import-export/csv/upload', payload: { file: CSV } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const err = expectError(await upload(CSV, { entityType: 'widgets' }), 400, 'VALIDATION_FAILED');
    expect(err.message).toContain('widgets');
  });
});

describe('imports that cannot work', () => {
  let uploadId: string;
  beforeAll(async () => {
    uploadId = (await uploadCsv(t, s, CSV)).uploadId;
  });
  const start = (body: Record<string, unknown>, session = s) => api(session)({ method: 'POST', url: '/api/import-export/import-csv', payload: { uploadId, entityType: 'contacts', fieldMappings: good, ...body } });

  it('names what is wrong with a mapping, and starts nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ fieldMappings: [...good.slice(0, 2), { sourceField: 'Email', targetField: 'emailAddress' }] }, 'UNKNOWN_TARGET', 'emailAddress'],
      [{ fieldMappings: [...good, { sourceField: 'First Name', targetField: 'title' }] }, 'DUPLICATE_SOURCE', 'First Name'],
      [{ fieldMappings: [{ sourceField: 'First Name', targetField: 'lastName' }, { sourceField: 'Last Name', targetField: 'lastName' }] }, 'DUPLICATE_TARGET', 'lastName'],
      [{ fieldMappings: [good[0], good[2]] }, 'REQUIRED_UNMAPPED', 'lastName'],
      [{ fieldMappings: [...good, { sourceField: 'Phone', targetField: 'phone' }] }, 'UNKNOWN_SOURCE_FIELD', 'Phone'],
      [{ options: { dedupeKey: ['shoeSize'] } }, 'INVALID_DEDUPE_KEY', 'shoeSize'],
    ];
    for (const [body, code, named] of cases) {
      const err = expectError(await start(body), 400, 'INVALID_MAPPING');
      expect((err.details as { problems: Array<{ code: string }> }).problems[0]!.code, JSON.stringify(body)).toBe(code);
      expect(err.message).toContain(named);
    }
    expect(await runs()).toEqual([]);
  });

  it('refuses unknown entity types, "all" for a CSV, bad options and transforms', async () => {
    expectError(await start({ entityType: 'widgets' }), 400, 'VALIDATION_FAILED');
    expect(expectError(await start({ entityType: 'all' }), 400, 'VALIDATION_FAILED').message).toContain('one kind of record');
    expectError(await start({ options: { duplicatePolicy: 'merge' } }), 400, 'VALIDATION_FAILED');
    expectError(await start({ options: { surprise: true } }), 400, 'VALIDATION_FAILED');
    expectError(await start({ fieldMappings: [{ ...good[1], transform: { kind: 'rot13' } }] }), 400, 'VALIDATION_FAILED');
    expect(await runs()).toEqual([]);
  });

  it("answers 404 for another organization's upload or connection, and for none", async () => {
    expectError(await start({}, other), 404, 'NOT_FOUND');
    expectError(await start({ uploadId: randomUUID() }), 404, 'NOT_FOUND');
    const connectionId = randomUUID();
    await t.ctx.db.insert(crmConnections).values({ id: connectionId, organizationId: other.organizationId, integrationId: 'hubspot', instanceUrl: 'https://api.hubapi.com', externalOrgId: 'p1', externalUserId: '1', syncSettings: { simulator: true } });
    const body = { connectionId, entityType: 'contacts', fieldMappings: [{ sourceField: 'lastname', targetField: 'lastName' }] };
    expectError(await api()({ method: 'POST', url: '/api/import-export/import-api', payload: body }), 404, 'NOT_FOUND');
    // The owner's own, disconnected: a 409 that says to reconnect.
    await t.ctx.db.update(crmConnections).set({ isActive: false });
    expectError(await api(other)({ method: 'POST', url: '/api/import-export/import-api', payload: body }), 409, 'CONNECTION_INACTIVE');
    expect(await runs()).toEqual([]);
  });

  it('previews records as they would be stored, with their errors, writing nothing', async () => {
    const id = (await uploadCsv(t, s, 'Name,Email,Born\n"Hopper, Grace",Grace@Example.com,1906-12-09\nNo Email,not-an-email,yesterday\n')).uploadId;
    const res = await api()({
      method: 'POST',
      url: '/api/import-export/preview',
      payload: { uploadId: id, entityType: 'contacts', fieldMappings: [{ sourceField: 'Name', targetField: 'fullName' }, { sourceField: 'Email', targetField: 'email' }, { sourceField: 'Born', targetField: 'birthdate' }], limit: 10 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [entity] = res.json().entities;
    expect(entity.entityType).toBe('contacts');
    expect(entity.records[0]).toMatchObject({ rowNumber: 1, valid: true, externalId: 'email:grace@example.com', values: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', birthdate: '1906-12-09' }, errors: [] });
    expect(entity.records[1]).toMatchObject({ rowNumber: 2, valid: false, externalId: null });
    expect(entity.records[1].errors.map((e: { field: string }) => e.field).sort()).toEqual(['birthdate', 'email']);
    expect((await api()({ method: 'GET', url: '/api/records/contacts/count' })).json()).toEqual({ count: 0 });
    expect(await runs()).toEqual([]);
    expectError(await api()({ method: 'POST', url: '/api/import-export/preview', payload: { uploadId: id, connectionId: randomUUID(), entityType: 'contacts', fieldMappings: good } }), 400, 'VALIDATION_FAILED');
  });
});

describe('rows that cannot be read', () => {
  it('fails only the ragged row and imports the rest', async () => {
    const { uploadId } = await uploadCsv(t, s, 'First Name,Last Name,Email\nAda,Lovelace,ada@example.com\nBroken,row\nAlan,Turing,alan@example.com,extra\nGrace,Hopper,grace@example.com\n');
    const id = await startCsv(t, s, uploadId, 'contacts', good);
    const run = await waitForRun(t, s, id);
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts.fetched).toBe(4);
    expect(run.counts.created + run.counts.failed).toBe(4);
    expect(run.counts.failed).toBeGreaterThanOrEqual(1);
    const report = (await api()({ method: 'GET', url: `/api/import-export/migrations/${id}/errors.csv` })).body;
    expect(report).toContain('UNREADABLE_ROW');
    expect(report).toMatch(/contacts,2,,,UNREADABLE_ROW/);
  });
});
