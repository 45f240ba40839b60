/**
 * How to create one resource of each kind a route's `:id` can name (src/server/route-types.ts ResourceKind),
 * and a valid sample body per route, for the suites that enumerate every route (tenant isolation, RBAC).
 * A new route with an `:id` or a body fails those suites until it is described here.
 */
import { randomUUID } from 'node:crypto';
import { contacts, crmConnections } from '../../src/db/schema.js';
import type { ResourceKind } from '../../src/server/route-types.js';
import { startCsv, uploadCsv } from '../import/helpers.js';
import { as, PASSWORD, uniqueEmail, type Session, type TestApp } from './app.js';

export type ResourceFactory = (t: TestApp, owner: Session) => Promise<string>;

export const resourceFactories: Record<ResourceKind, ResourceFactory> = {
  async member(t, owner) {
    const res = await as(t.app, owner)({ method: 'POST', url: '/api/organizations/members', payload: { email: uniqueEmail('m'), password: PASSWORD, role: 'VIEWER' } });
    if (res.statusCode !== 201) throw new Error(`member: ${res.statusCode} ${res.body}`);
    return res.json().id;
  },
  async api_token(t, owner) {
    const res = await as(t.app, owner)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'fixture' } });
    if (res.statusCode !== 201) throw new Error(`api_token: ${res.statusCode} ${res.body}`);
    return res.json().apiToken.id;
  },
  // A disconnected connection (no tokens), stored directly: every connection route answers for it without
  // reaching a CRM. test/connections/ covers live connections against the sandboxes.
  async connection(t, owner) {
    const id = randomUUID();
    await t.ctx.db.insert(crmConnections).values({
      id,
      organizationId: owner.organizationId,
      userId: owner.userId,
      integrationId: 'hubspot',
      instanceUrl: 'https://api.hubapi.com',
      isActive: false,
      externalOrgId: `portal-${id.slice(0, 8)}`,
      externalUserId: '1',
      username: 'fixture@example.com',
      syncSettings: { simulator: false },
    });
    return id;
  },
  // A CSV import, cancelled while queued so it has ended (its progress stream closes at once).
  async migration(t, owner) {
    const upload = await uploadCsv(t, owner, 'First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n');
    const id = await startCsv(t, owner, upload.uploadId, 'contacts', [
      { sourceField: 'First Name', targetField: 'firstName' },
      { sourceField: 'Last Name', targetField: 'lastName' },
      { sourceField: 'Email', targetField: 'email' },
    ]);
    const res = await as(t.app, owner)({ method: 'POST', url: `/api/import-export/migrations/${id}/cancel` });
    if (res.statusCode !== 200) throw new Error(`migration: cancel ${res.statusCode} ${res.body}`);
    return id;
  },
  async upload(t, owner) {
    return (await uploadCsv(t, owner, 'Name,Email\nAda Lovelace,ada@example.com\n')).uploadId;
  },
  // An imported contact, stored directly.
  async record(t, owner) {
    const [row] = await t.ctx.db
      .insert(contacts)
      .values({ organizationId: owner.organizationId, source: 'csv', externalId: `email:${randomUUID()}@example.com`, lastName: 'Fixture' })
      .returning({ id: contacts.id });
    return row!.id;
  },
};

/** A body that passes validation, per `METHOD url` (for routes that take one). */
export const sampleBodies: Record<string, unknown> = {
  'POST /api/auth/signup': { email: 'sample@example.com', password: PASSWORD, organizationName: 'Sample' },
  'POST /api/auth/login': { email: 'sample@example.com', password: PASSWORD },
  'POST /api/auth/switch-organization': { organizationId: '00000000-0000-4000-8000-000000000000' },
  'POST /api/auth/tokens': { name: 'sample' },
  'POST /api/organizations/members': { email: 'new-member@example.com', password: PASSWORD, role: 'VIEWER' },
  'PATCH /api/organizations/members/:id': { role: 'MEMBER' },
  'PATCH /api/crm-integrations/connections/:id': { syncSettings: { boards: { contacts: '1234567890' } } },
  'POST /api/import-export/crm-count': { connectionId: '00000000-0000-4000-8000-000000000000', entityType: 'contacts' },
  'POST /api/import-export/import-api': { connectionId: '00000000-0000-4000-8000-000000000000', entityType: 'contacts', fieldMappings: [{ sourceField: 'lastname', targetField: 'lastName' }] },
  'POST /api/import-export/import-csv': { uploadId: '00000000-0000-4000-8000-000000000000', entityType: 'contacts', fieldMappings: [{ sourceField: 'Last Name', targetField: 'lastName' }] },
  'POST /api/import-export/preview': { uploadId: '00000000-0000-4000-8000-000000000000', entityType: 'contacts', fieldMappings: [{ sourceField: 'Last Name', targetField: 'lastName' }], limit: 5 },
  'POST /api/import-export/suggest-mapping': { entityType: 'contacts', crmType: 'csv', sourceFields: [{ name: 'Email' }] },
  'POST /api/import-export/suggest-value-mapping': { entityType: 'deals', targetField: 'status', values: ['closedwon'] },
};

/** Routes that change state yet need no role: each acts only on the caller's own things. */
export const selfServiceRoutes = new Set([
  'POST /api/auth/logout',
  'POST /api/auth/tokens',
  'DELETE /api/auth/tokens/:id',
  'POST /api/auth/switch-organization',
]);

export function routeKey(method: string, url: string): string {
  return `${method} ${url}`;
}
