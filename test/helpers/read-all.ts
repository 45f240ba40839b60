/** Read an entity whole through a CRM client, for the client tests: page by page, or through the bulk path. */
import type { EntityType } from '../../src/core/ids.js';
import type { CrmApiClient, SourceRecord } from '../../src/crm/types.js';

/** Every page from the first (`fetchRecords` until `nextCursor` is null); fails rather than loop forever. */
export async function readPaged(client: CrmApiClient, entity: EntityType, limit: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100_000; pages++) {
    const page = await client.fetchRecords(entity, cursor, limit);
    out.push(...page.records);
    cursor = page.nextCursor;
    if (cursor === null) return out;
  }
  throw new Error('paging did not end');
}

/** Every batch of `bulkFetchRecords`, from `resume` when given. */
export async function readBulk(client: CrmApiClient, entity: EntityType, resume?: string | null): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const batch of client.bulkFetchRecords(entity, resume === undefined ? {} : { resume })) out.push(...batch.records);
  return out;
}
