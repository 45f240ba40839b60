/** The mapping endpoints: suggestions over HTTP, the organization's memory preferred, bad input → 400, the LLM wired from config. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappingMemory } from '../../src/db/schema.js';
import { as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let owner: Session;
let llmServer: Server;
const llmRequests: Array<{ auth?: string; body: string }> = [];

beforeAll(async () => {
  llmServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      llmRequests.push({ auth: req.headers.authorization, body });
      const asked = JSON.parse(body).messages.at(-1).content as string;
      const field = /Column 3/.test(asked) ? 'Column 3' : 'x';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify({ mappings: [{ sourceField: field, targetField: 'mobilePhone', confidence: 0.95, reason: 'stub model' }] }) } }] }));
    });
  });
  await new Promise<void>((r) => llmServer.listen(0, '127.0.0.1', r));
  const port = (llmServer.address() as AddressInfo).port;
  t = await createTestApp({ env: { LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_API_KEY: 'stub-key', LLM_MODEL: 'stub-model' } });
  owner = await signup(t.app);
});
afterAll(async () => {
  await t.close();
  await new Promise((r) => llmServer.close(r));
});

describe('POST /api/import-export/suggest-mapping', () => {
  it('answers one suggestion per field, in order, with confidence, reason and transform', async () => {
    const res = await as(t.app, owner)({
      method: 'POST',
      url: '/api/import-export/suggest-mapping',
      payload: {
        entityType: 'contacts',
        crmType: 'hubspot',
        sourceFields: [
          { name: 'email', label: 'Email', samples: ['Ada@Example.com'] },
          { name: 'firstname', label: 'First Name' },
          { name: 'phone', label: 'Phone Number', samples: ['+1 415 555 0100', '(415) 555-0199'] },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const { mappings } = res.json();
    expect(mappings.map((m: { sourceField: string }) => m.sourceField)).toEqual(['email', 'firstname', 'phone']);
    expect(mappings[0]).toMatchObject({ targetField: 'email', transform: { kind: 'lowercaseEmail' } });
    expect(mappings[0].confidence).toBeGreaterThanOrEqual(0.9);
    expect(mappings[1].targetField).toBe('firstName');
    expect(mappings[2].targetField).toBe('phone');
  });

  it("prefers the organization's accepted mappings (memory)", async () => {
    await t.ctx.db.insert(mappingMemory).values({ organizationId: owner.organizationId, source: 'csv', entityType: 'contacts', sourceField: 'Zusatz 7', targetField: 'department' });
    const res = await as(t.app, owner)({ method: 'POST', url: '/api/import-export/suggest-mapping', payload: { entityType: 'contacts', crmType: 'csv', sourceFields: [{ name: 'Zusatz 7' }] } });
    expect(res.json().mappings[0]).toMatchObject({ targetField: 'department', confidence: expect.any(Number) });
    expect(res.json().mappings[0].reason).toMatch(/before/i);
    // another organization does not see it
    const other = await signup(t.app);
    const theirs = await as(t.app, other)({ method: 'POST', url: '/api/import-export/suggest-mapping', payload: { entityType: 'contacts', crmType: 'csv', sourceFields: [{ name: 'Zusatz 7' }] } });
    expect(theirs.json().mappings[0].targetField).toBeNull();
  });

  it('asks the configured language model only about uncertain fields', async () => {
    llmRequests.length = 0;
    const res = await as(t.app, owner)({
      method: 'POST',
      url: '/api/import-export/suggest-mapping',
      payload: { entityType: 'contacts', crmType: 'csv', sourceFields: [{ name: 'Email', samples: ['a@b.co'] }, { name: 'Column 3', samples: ['+1 415 555 0100', '(415) 555-0199'] }] },
    });
    expect(res.statusCode).toBe(200);
    expect(llmRequests).toHaveLength(1);
    expect(llmRequests[0]!.auth).toBe('Bearer stub-key');
    expect(llmRequests[0]!.body).toContain('Column 3');
    expect(llmRequests[0]!.body).not.toContain('"Email"'); // confident fields are not sent
    const [email, column3] = res.json().mappings;
    expect(email.targetField).toBe('email');
    expect(column3).toMatchObject({ targetField: 'mobilePhone' });
    expect(column3.confidence).toBeLessThanOrEqual(0.8); // a model's answer never reaches "confident"
  });

  it.each([
    ['an unknown entity type', { entityType: 'widgets', crmType: 'csv', sourceFields: [{ name: 'a' }] }, /entityType/],
    ['an empty field list', { entityType: 'contacts', crmType: 'csv', sourceFields: [] }, /empty/],
    ['duplicate source names', { entityType: 'contacts', crmType: 'csv', sourceFields: [{ name: 'a' }, { name: 'a' }] }, /Duplicate/],
    ['an unknown source', { entityType: 'contacts', crmType: 'sap', sourceFields: [{ name: 'a' }] }, /crmType/],
    ['thousands of fields', { entityType: 'contacts', crmType: 'csv', sourceFields: Array.from({ length: 2_001 }, (_, i) => ({ name: `f${i}` })) }, /at most 2000/],
  ])('answers 400 for %s', async (_label, payload, message) => {
    const res = await as(t.app, owner)({ method: 'POST', url: '/api/import-export/suggest-mapping', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.json().error)).toMatch(message);
  });

  it('refuses megabyte samples with a clear error', async () => {
    const res = await as(t.app, owner)({
      method: 'POST',
      url: '/api/import-export/suggest-mapping',
      payload: { entityType: 'contacts', crmType: 'csv', sourceFields: [{ name: 'a', samples: ['x'.repeat(1_000_000)] }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a body over the request size limit', async () => {
    const res = await as(t.app, owner)({
      method: 'POST',
      url: '/api/import-export/suggest-mapping',
      payload: { entityType: 'contacts', crmType: 'csv', sourceFields: Array.from({ length: 1_000 }, (_, i) => ({ name: `f${i}`, samples: Array.from({ length: 10 }, () => 'y'.repeat(1_000)) })) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('POST /api/import-export/suggest-value-mapping', () => {
  it('maps HubSpot deal stages to the canonical status', async () => {
    const res = await as(t.app, owner)({
      method: 'POST',
      url: '/api/import-export/suggest-value-mapping',
      payload: { entityType: 'deals', targetField: 'status', values: ['appointmentscheduled', 'closedwon', 'closedlost'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().mappings.map((m: { targetValue: string }) => m.targetValue)).toEqual(['open', 'won', 'lost']);
  });

  it('answers 400 for a target the entity does not have', async () => {
    const res = await as(t.app, owner)({ method: 'POST', url: '/api/import-export/suggest-value-mapping', payload: { entityType: 'deals', targetField: 'colour', values: ['x'] } });
    expect(res.statusCode).toBe(400);
  });
});

describe('crm-migrate suggest-mapping', () => {
  it('prints the same JSON without a server', async () => {
    const file = join(tmpdir(), `fields-${process.pid}.json`);
    await writeFile(file, JSON.stringify([{ name: 'Person - Name', samples: ['Ada Lovelace'] }, { name: 'Person - Email', samples: ['ada@example.com'] }]));
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/crm-migrate.js', 'suggest-mapping', '--entity', 'contacts', '--crm', 'pipedrive', '--fields', file], { timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(out.mappings.map((m: { targetField: string }) => m.targetField)).toEqual(['fullName', 'email']);
  }, 60_000);
});
