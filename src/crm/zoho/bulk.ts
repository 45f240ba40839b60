/**
 * The bulk path: Bulk Read for every module that has it, the list API's largest pages for Notes (which Bulk
 * Read does not export) and as the fallback when a job fails, times out or is refused.
 *   1. POST /crm/bulk/v8/read {query:{module, fields, page:1}} (50 credits); later jobs {page_token}
 *   2. poll GET /crm/bulk/v8/read/{id} (250 ms doubling to 10 s) until COMPLETED, FAILURE or the deadline
 *   3. GET the download_url (10 per minute): a ZIP, inflated as it arrives, its {id}.csv streamed through csv-parse
 *   4. verify the rows read equal result.count; more_records → the next job with result.next_page_token
 * Rows are parsed while the ZIP downloads (zip-stream.ts), never held whole.
 * Every batch carries a resume token: the job and how many of its rows were delivered (the job is polled again
 * on resume; a job Zoho no longer knows is created again with the same page/page_token and rows skipped).
 * Zoho documents no way to cancel or delete a Bulk Read job, so a job given up at the deadline is left to expire
 * on Zoho's side [unverified: no cancel endpoint in bulk-read/*.html]. Past the first 200,000 records there is no
 * fallback (the list API stops at 100,000): a failing job then fails the read loudly.
 */
import { z } from 'zod';
import type { EntityType } from '../../core/ids.js';
import { CrmError, isCrmError } from '../errors.js';
import type { BulkOptions, RecordBatch, SourceRecord } from '../types.js';
import type { ModulePager } from './client.js';
import { ENTITY_MODULES, PAGE_MAX, type ModuleSpec } from './definition.js';
import { bulkColumns } from './fields.js';
import { csvRowToFields, decodeCursor, encodeCursor, malformed, normalizeFields, normalizeRecord, parseBulkCreated, parseBulkStatus, type CsvColumnPlan, type JobStatus } from './parse.js';
import type { ZohoRequests } from './requests.js';
import { reparsing } from './requests.js';
import { zipCsvRows } from './zip-stream.js';

const BATCH = 5_000;
const DOWNLOAD_ATTEMPTS = 3;
const POLL_FIRST_MS = 250;
const POLL_MAX_MS = 10_000;

export interface BulkDeps {
  req: ZohoRequests;
  pager: ModulePager;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => Date;
  deadlineMs: number;
}

const JobQuery = z.union([z.object({ page: z.literal(1) }), z.object({ token: z.string().min(1) })]);
type JobQuery = z.infer<typeof JobQuery>;

/** Where a bulk read stands after a batch. */
const Resume = z.discriminatedUnion('s', [
  z.object({ s: z.literal('start'), m: z.number().int().nonnegative() }),
  z.object({ s: z.literal('bulk'), m: z.number().int().nonnegative(), q: JobQuery, job: z.string().min(1), skip: z.number().int().nonnegative() }),
  z.object({ s: z.literal('page'), m: z.number().int().nonnegative(), t: z.string().min(1), f: z.array(z.string()).min(1).max(50) }),
]);
type Resume = z.infer<typeof Resume>;

/** The job could not serve the module (refused, failed, timed out): read it through the list API instead. */
class BulkUnavailable extends Error {}

interface Item {
  records: SourceRecord[];
  after: Resume;
}

export async function* bulkRead(d: BulkDeps, entity: EntityType, options: BulkOptions): AsyncGenerator<RecordBatch> {
  const mods = ENTITY_MODULES[entity];
  const start: Resume = options.resume ? decodeCursor(options.resume, Resume, 'Zoho bulk resume token') : { s: 'start', m: 0 };
  // One batch of lookahead, so the last batch can say resume: null.
  let held: Item | null = null;
  for (let m = start.m; m < mods.length; m++) {
    const from: Resume = m === start.m ? start : { s: 'start', m };
    for await (const item of readModule(d, entity, mods[m]!, m, from, options.signal)) {
      if (held) yield { records: held.records, resume: encodeCursor(held.after) };
      held = item;
    }
  }
  if (held) yield { records: held.records, resume: null };
}

async function* readModule(d: BulkDeps, entity: EntityType, spec: ModuleSpec, m: number, from: Resume, signal?: AbortSignal): AsyncGenerator<Item> {
  if (from.s === 'page') {
    yield* pages(d, entity, spec, m, from.t, from.f, signal);
    return;
  }
  if (!spec.bulk) {
    yield* pages(d, entity, spec, m, null, null, signal);
    return;
  }
  let state: { q: JobQuery; job: string | null; skip: number } = from.s === 'bulk' ? { q: from.q, job: from.job, skip: from.skip } : { q: { page: 1 }, job: null, skip: 0 };
  const plan = bulkColumns(await d.pager.meta(spec.module));
  for (;;) {
    signal?.throwIfAborted();
    let status: JobStatus & { state: 'COMPLETED' };
    let jobId: string;
    try {
      ({ status, jobId } = await runJob(d, spec, plan, state.q, state.job, signal));
    } catch (err) {
      // Only a first job that has delivered nothing can fall back: the list API reaches 100,000 records.
      if (err instanceof BulkUnavailable && 'page' in state.q && state.skip === 0) {
        yield* pages(d, entity, spec, m, null, null, signal);
        return;
      }
      if (err instanceof BulkUnavailable) throw new CrmError('zoho', { kind: 'temporary', code: 'BULK_JOB_FAILED', detail: `${spec.module}: ${err.message}` });
      throw err;
    }
    const { count, moreRecords, nextPageToken, downloadUrl } = status.result!;
    if (state.skip < count) {
      let delivered = state.skip;
      for await (const records of download(d, spec, plan, jobId, downloadUrl, state.skip, count, signal)) {
        delivered += records.length;
        yield { records, after: { s: 'bulk', m, q: state.q, job: jobId, skip: delivered } };
      }
    }
    if (!moreRecords) return;
    state = { q: { token: nextPageToken! }, job: null, skip: 0 };
  }
}

/** The list API, 200 records a page, one batch per page. */
async function* pages(d: BulkDeps, entity: EntityType, spec: ModuleSpec, m: number, token: string | null, bound: string[] | null, signal?: AbortSignal): AsyncGenerator<Item> {
  const fields = bound ?? (await d.pager.fieldsFor(entity, spec));
  let t = token;
  for (;;) {
    signal?.throwIfAborted();
    const page = await d.pager.page(spec, fields, PAGE_MAX, t);
    const records = page.records.map((r) => normalizeRecord(spec, r));
    if (page.nextToken === null) {
      if (records.length > 0) yield { records, after: { s: 'start', m: m + 1 } };
      return;
    }
    yield { records, after: { s: 'page', m, t: page.nextToken, f: fields } };
    t = page.nextToken;
  }
}

/** Creates (or finds again) a job and waits for it; BulkUnavailable when it cannot serve the module. */
async function runJob(d: BulkDeps, spec: ModuleSpec, plan: readonly CsvColumnPlan[], q: JobQuery, existing: string | null, signal?: AbortSignal): Promise<{ status: JobStatus & { state: 'COMPLETED' }; jobId: string }> {
  const started = d.now().getTime();
  let jobId = existing;
  if (jobId !== null) {
    try {
      await d.req.bulkStatus(jobId);
    } catch (err) {
      if (!(isCrmError(err) && err.kind === 'not_found')) throw err;
      jobId = null; // Zoho no longer has it: run the same query again
    }
  }
  if (jobId === null) {
    const query = { module: { api_name: spec.module }, fields: plan.slice(1).map((p) => p.column), ...('page' in q ? { page: 1 } : { page_token: q.token }) };
    try {
      jobId = parseBulkCreated(await (await d.req.createBulkRead({ query })).text());
    } catch (err) {
      if (isCrmError(err) && (err.kind === 'invalid_request' || err.kind === 'not_found') && err.code !== 'EXPIRED_VALUE') {
        throw new BulkUnavailable(`job refused (${err.code ?? err.kind})`);
      }
      throw err;
    }
  }
  let delay = POLL_FIRST_MS;
  for (;;) {
    const status = await reparsing(async () => parseBulkStatus(await (await d.req.bulkStatus(jobId!)).text()));
    if (status.state === 'COMPLETED') return { status: status as JobStatus & { state: 'COMPLETED' }, jobId: jobId! };
    if (status.state === 'FAILURE') throw new BulkUnavailable(`job ${jobId} ended in FAILURE`);
    const left = started + d.deadlineMs - d.now().getTime();
    if (left <= 0) throw new BulkUnavailable(`job ${jobId} not done after ${Math.round(d.deadlineMs / 1000)} s (left ${status.state})`);
    await d.sleep(Math.min(delay, left), signal);
    delay = Math.min(delay * 2, POLL_MAX_MS);
  }
}

/**
 * Streams the result's rows in batches, skipping the first `skip`, and checks the row count. A download cut short
 * is fetched again (each attempt counts against the 10 per minute) and the rows already delivered are skipped.
 */
async function* download(d: BulkDeps, spec: ModuleSpec, plan: readonly CsvColumnPlan[], jobId: string, url: string, skip: number, count: number, signal?: AbortSignal): AsyncGenerator<SourceRecord[]> {
  let delivered = skip;
  for (let attempt = 1; ; attempt++) {
    const res = await d.req.download(url);
    if (!res.body) throw malformed('Bulk Read result', 'no body');
    let header: CsvColumnPlan[] | null = null;
    let seen = 0;
    let batch: SourceRecord[] = [];
    try {
      for await (const row of zipCsvRows(res.body)) {
        if (header === null) {
          header = row.map((col) => plan.find((p) => p.column === col) ?? null).filter((p): p is CsvColumnPlan => p !== null);
          if (header.length !== row.length || !header.some((p) => p.column === 'id')) throw malformed('Bulk Read CSV', `unexpected header ${JSON.stringify(row.slice(0, 10))}`);
          continue;
        }
        seen += 1;
        if (seen <= delivered) continue;
        const { id, fields } = csvRowToFields(header, row);
        batch.push(normalizeFields(spec, id, fields));
        if (batch.length >= BATCH) {
          delivered += batch.length;
          yield batch;
          batch = [];
          signal?.throwIfAborted();
        }
      }
    } catch (err) {
      // A cut connection, a ZIP cut short, a CSV that does not parse: download again, then give up loudly.
      if (signal?.aborted) throw err;
      if (attempt < DOWNLOAD_ATTEMPTS) continue;
      if (isCrmError(err)) throw err;
      throw new CrmError('zoho', { kind: 'temporary', code: 'DOWNLOAD_FAILED', detail: `${spec.module} job ${jobId}: ${(err as Error).message}` }, undefined, { cause: err });
    }
    if (seen !== count) throw new CrmError('zoho', { kind: 'temporary', code: 'BULK_COUNT_MISMATCH', detail: `${spec.module} job ${jobId}: ${seen} rows, result said ${count}` });
    if (batch.length > 0) yield batch;
    return;
  }
}
