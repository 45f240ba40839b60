/**
 * The CRM source: one entity read through the client, by the strategy chosen when the run was planned — the
 * standard API page by page (position = the cursor of the page being read), or the bulk API (position = the
 * `resume` token of the batch being read). A page or bulk batch larger than a database batch is committed in
 * parts; the position then also says how many of its records are already in (`skip`), and a resumed run reads
 * that chunk again and skips them. CRM cursors and locators are re-readable for this reason.
 */
import type { EntityType } from '../../core/ids.js';
import type { CrmApiClient, SourceRecord } from '../../crm/types.js';
import { prefetch } from './prefetch.js';
import type { EntitySource, SourceBatch, SourceItem, SourcePosition } from './types.js';

export interface CrmEntityPlan {
  readonly strategy: 'standard' | 'batched' | 'bulk';
  readonly pageSize: number;
}

interface Chunk {
  /** The token this chunk is read from (re-reading from it yields the chunk again). */
  readonly start: string | null;
  /** The token after it; null when it is the last. */
  readonly next: string | null;
  readonly records: readonly SourceRecord[];
}

function toItem(r: SourceRecord): SourceItem {
  return {
    sourceId: r.id,
    values: r.fields,
    meta: {
      id: r.id,
      ...(r.owner !== undefined ? { owner: r.owner } : {}),
      ...(r.createdAt !== undefined ? { createdAt: r.createdAt } : {}),
      ...(r.updatedAt !== undefined ? { updatedAt: r.updatedAt } : {}),
      links: r.links ?? {},
      ...(r.activityType !== undefined ? { activityType: r.activityType } : {}),
    },
  };
}

async function* pages(client: CrmApiClient, entity: EntityType, from: string | null, pageSize: number, signal: AbortSignal): AsyncGenerator<Chunk> {
  let cursor = from;
  for (;;) {
    signal.throwIfAborted();
    const page = await client.fetchRecords(entity, cursor, pageSize);
    yield { start: cursor, next: page.nextCursor, records: page.records };
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}

async function* bulk(client: CrmApiClient, entity: EntityType, from: string | null, signal: AbortSignal): AsyncGenerator<Chunk> {
  let start = from;
  for await (const batch of client.bulkFetchRecords(entity, { resume: from, signal })) {
    yield { start, next: batch.resume, records: batch.records };
    if (batch.resume === null) return;
    start = batch.resume;
  }
}

export function crmEntitySource(client: CrmApiClient, entity: EntityType, plan: CrmEntityPlan): EntitySource {
  return {
    entity,
    async *batches(from: SourcePosition | null, batchSize: number, signal: AbortSignal): AsyncGenerator<SourceBatch> {
      if (from?.done) return;
      const startToken = from?.token ?? null;
      let skip = from?.skip ?? 0;
      const chunks = plan.strategy === 'bulk' ? bulk(client, entity, startToken, signal) : pages(client, entity, startToken, plan.pageSize, signal);
      let items: SourceItem[] = [];
      let position: SourcePosition = from ?? { token: null, skip: 0 };
      for await (const chunk of prefetch(chunks)) {
        const records = skip > 0 ? chunk.records.slice(skip) : chunk.records;
        let taken = skip;
        skip = 0;
        for (const r of records) {
          items.push(toItem(r));
          taken++;
          if (items.length >= batchSize) {
            const last = taken === chunk.records.length;
            position = last ? (chunk.next === null ? { done: true } : { token: chunk.next, skip: 0 }) : { token: chunk.start, skip: taken };
            yield { items, position };
            items = [];
          }
        }
        if (taken === chunk.records.length) position = chunk.next === null ? { done: true } : { token: chunk.next, skip: 0 };
        // End a batch at a chunk boundary when a chunk like this one would overflow it: positions then stay plain
        // tokens (no re-reading a chunk to skip into it) most of the time.
        if (items.length > 0 && (items.length + chunk.records.length > batchSize || chunk.next === null)) {
          yield { items, position };
          items = [];
        }
      }
      if (items.length > 0 || !position.done) yield { items, position: { done: true } };
    },
  };
}
