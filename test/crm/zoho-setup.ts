/** A Zoho sandbox connected as the product connects, and the readers the Zoho client tests share. */
import type { EntityType } from '../../src/core/ids.js';
import { startSandbox, type RecordCounts, type SandboxOptions } from '../../sandbox/common/index.js';
import { zohoSandbox } from '../../sandbox/zoho/index.js';
import type { CrmApiClient, SourceRecord } from '../../src/crm/types.js';
import { zohoCrm } from '../../src/crm/zoho/index.js';
import { connectSandbox, createTestClient, type TestClientOptions } from '../helpers/sandbox-connection.js';
import { readBulk, readPaged } from '../helpers/read-all.js';

export const paged = (client: CrmApiClient, entity: EntityType, limit = 200) => readPaged(client, entity, limit);

export const bulk = (client: CrmApiClient, entity: EntityType) => readBulk(client, entity);

export const ids = (rs: readonly SourceRecord[]) => rs.map((r) => r.id);
export const unique = (rs: readonly SourceRecord[]) => new Set(ids(rs)).size;
export const FAST_BULK = { bulkQueueMs: '0', bulkRecordsPerSecond: '100000000' };

export async function setup(records: Partial<RecordCounts>, options: Partial<SandboxOptions> = {}, client: TestClientOptions = {}) {
  const s = await startSandbox(zohoSandbox, { rateLimits: 'off', ...options, records: { accounts: 0, contacts: 0, leads: 0, deals: 0, activities: 0, ...records }, extras: { ...FAST_BULK, ...options.extras } }, { port: 0 });
  const conn = await connectSandbox(zohoCrm, s.url);
  return { s, conn, client: createTestClient(zohoCrm, conn, client) };
}
