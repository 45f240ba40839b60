/**
 * Bulk API 2.0 reads: one query job per object (Task, Event and Note for activities), polled with backoff up to
 * deps.bulkDeadlineMs (then aborted), results read chunk by chunk with `locator` + `maxRecords`, each chunk
 * streamed through csv-parse and checked against Sforce-NumberOfRecords, the total against the job's
 * numberRecordsProcessed. A chunk that breaks off is read again from its locator (locators are re-readable),
 * skipping the rows already handed out. Jobs that fail, objects Bulk API 2.0 refuses and jobs past the deadline
 * fall back to the standard REST path. Finished jobs are deleted.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';
import { defaultSleep } from '../http/budget.js';
import { CrmError, isCrmError } from '../errors.js';
import type { BulkOptions, RecordBatch, SourceRecord } from '../types.js';
import type { SalesforceClient } from './client.js';
import { decodeResume, encodeResume, freshRest, type BulkResume, type RestState } from './cursor.js';
import { DATA_PATH, salesforceDefinition } from './definition.js';
import { csvRecordBuilder, malformed, parseJobInfo, parseResultHeaders, type JobInfo } from './parse.js';

/** Records per yielded batch (a chunk of 50,000 is handed out in these). */
export const BULK_BATCH = 2000;
const CHUNK_ATTEMPTS = 5;
const DEFAULT_DEADLINE_MS = 30 * 60_000;
const JOBS = `${DATA_PATH}/jobs/query`;

type Step = { records: SourceRecord[]; resume: BulkResume };

async function jobInfo(c: SalesforceClient, id: string): Promise<JobInfo> {
  const res = await c.deps.http.request({ method: 'GET', url: `${JOBS}/${id}` });
  return parseJobInfo(await res.json());
}

/** Best effort: abort (if still running) and delete a job we no longer read. */
async function discard(c: SalesforceClient, id: string, abort: boolean): Promise<void> {
  try {
    if (abort) await c.deps.http.request({ method: 'PATCH', url: `${JOBS}/${id}`, json: { state: 'Aborted' }, idempotent: true });
  } catch {
    // Already terminal: deleting is what matters.
  }
  try {
    await c.deps.http.request({ method: 'DELETE', url: `${JOBS}/${id}`, idempotent: true });
  } catch {
    // Salesforce deletes terminal jobs after 7 days anyway.
  }
}

/** Creates a job; null when Bulk API 2.0 refuses the object or query (the caller falls back). */
async function createJob(c: SalesforceClient, object: string): Promise<string | null> {
  const query = await c.soql(object, { orderById: false }); // ORDER BY would disable PK chunking
  try {
    const res = await c.deps.http.request({ method: 'POST', url: JOBS, json: { operation: 'query', query, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' }, rateClass: 'bulk_job', idempotent: true });
    return parseJobInfo(await res.json()).id;
  } catch (err) {
    if (isCrmError(err) && (err.kind === 'invalid_request' || err.kind === 'not_found')) return null;
    throw err;
  }
}

/** Polls until JobComplete; 'fallback' when the job failed, was aborted elsewhere, or ran past the deadline (then aborted). */
async function waitForJob(c: SalesforceClient, id: string, signal: AbortSignal | undefined): Promise<JobInfo | 'fallback'> {
  const sleep = c.deps.sleep ?? defaultSleep;
  const now = () => (c.deps.now ? c.deps.now().getTime() : Date.now());
  const deadline = now() + (c.deps.bulkDeadlineMs ?? DEFAULT_DEADLINE_MS);
  let delay = 200;
  try {
    for (;;) {
      const info = await jobInfo(c, id);
      if (info.state === 'JobComplete') return info;
      if (info.state === 'Failed' || info.state === 'Aborted') {
        await discard(c, id, false);
        return 'fallback';
      }
      if (now() + delay > deadline) {
        await discard(c, id, true);
        return 'fallback';
      }
      await sleep(delay, signal);
      delay = Math.min(5_000, Math.round(delay * 1.5));
    }
  } catch (err) {
    if (signal?.aborted) await discard(c, id, true);
    throw err;
  }
}

const retryable = (err: unknown) =>
  isCrmError(err) ? err.kind === 'temporary' : err instanceof Error && (err.name === 'CsvError' || /terminated|socket|ECONN|EPIPE|premature|aborted|cut short/i.test(err.message));

/** Where to resume once object `o` is finished: the next object, from scratch. */
const nextObject = (o: number): BulkResume => ({ v: 1, o: o + 1, m: 'bulk', j: null, loc: null, s: 0, seen: 0, r: null });

/**
 * Reads one results chunk from `state.loc`, handing out rows after the first `state.s`. Returns the next
 * locator. The batch that ends the chunk already carries the position after it (the next chunk, or the next
 * object after the last chunk), so a resume never reads a finished job again.
 */
async function* readChunk(c: SalesforceClient, object: string, state: BulkResume, signal: AbortSignal | undefined): AsyncGenerator<Step, string | null> {
  const types = (await c.describe(object)).types;
  const sleep = c.deps.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    let src: Readable | undefined;
    try {
      const res = await c.deps.http.request({
        method: 'GET', url: `${JOBS}/${state.j}/results`, stream: true, headers: { accept: 'text/csv' },
        query: { locator: state.loc ?? undefined, maxRecords: salesforceDefinition.paging.bulkBatchSize },
      });
      const { next, count } = parseResultHeaders(res.headers);
      if (!res.body) throw malformed('results chunk without a body');
      src = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
      const rows = src.pipe(parse({ bom: true }));
      const after = (): BulkResume => (next === null ? nextObject(state.o) : { ...state, loc: next, s: 0, seen: state.seen + count });
      let toRecord: ((row: readonly string[]) => SourceRecord) | null = null;
      let index = 0;
      let batch: SourceRecord[] = [];
      for await (const row of rows as AsyncIterable<string[]>) {
        if (toRecord === null) {
          toRecord = csvRecordBuilder(object, row, types);
          continue;
        }
        if (index++ < state.s) continue;
        if (index > count) throw malformed(`${object} results chunk holds more rows than Sforce-NumberOfRecords (${count})`);
        batch.push(toRecord(row));
        if (batch.length >= BULK_BATCH || index === count) {
          state.s += batch.length;
          yield { records: batch, resume: index === count ? after() : { ...state } };
          batch = [];
          signal?.throwIfAborted();
        }
      }
      if (index !== count) throw malformed(`${object} results chunk holds ${index} rows, Sforce-NumberOfRecords says ${count}`);
      return next;
    } catch (err) {
      if (signal?.aborted || !retryable(err) || attempt + 1 >= CHUNK_ATTEMPTS) throw err;
      await sleep(Math.min(5_000, 250 * 2 ** attempt), signal);
    } finally {
      src?.destroy();
    }
  }
}

/** The standard path for one object, as bulk batches (after a fallback). */
async function* restFallback(c: SalesforceClient, o: number, object: string, from: RestState): AsyncGenerator<Step> {
  let state: RestState | null = from;
  while (state !== null) {
    const page: { records: SourceRecord[]; next: RestState | null } = await c.restPage(object, state, salesforceDefinition.paging.maxPageSize);
    state = page.next;
    yield { records: page.records, resume: state === null ? nextObject(o) : { v: 1, o, m: 'rest', j: null, loc: null, s: 0, seen: 0, r: state } };
  }
}

async function* steps(c: SalesforceClient, objects: readonly string[], options: BulkOptions): AsyncGenerator<Step> {
  const signal = options.signal;
  let resume: BulkResume | null = options.resume ? decodeResume(options.resume) : null;
  for (let o = resume?.o ?? 0; o < objects.length; o++, resume = null) {
    const object = objects[o] as string;
    if (resume?.m === 'rest') {
      yield* restFallback(c, o, object, resume.r ?? freshRest());
      continue;
    }
    let state: BulkResume = resume ?? { v: 1, o, m: 'bulk', j: null, loc: null, s: 0, seen: 0, r: null };
    let info: JobInfo | 'fallback';
    if (state.j === null) {
      const id = await createJob(c, object);
      info = id === null ? 'fallback' : await waitForJob(c, id, signal);
      if (id !== null) state = { ...state, j: id };
    } else {
      try {
        info = await jobInfo(c, state.j);
      } catch (err) {
        if (!(isCrmError(err) && err.kind === 'not_found')) throw err;
        // The job expired (kept 7 days): read this object again with a new job.
        const id = await createJob(c, object);
        info = id === null ? 'fallback' : await waitForJob(c, id, signal);
        state = { ...state, j: id, loc: null, s: 0, seen: 0 };
      }
    }
    if (info === 'fallback' || info.state !== 'JobComplete') {
      yield* restFallback(c, o, object, freshRest());
      continue;
    }
    for (;;) {
      const chunk = readChunk(c, object, state, signal);
      let r = await chunk.next();
      while (!r.done) {
        yield r.value;
        r = await chunk.next();
      }
      const count = state.s;
      state = { ...state, loc: r.value, s: 0, seen: state.seen + count };
      if (r.value === null) break;
    }
    if (info.numberRecordsProcessed !== undefined && state.seen !== info.numberRecordsProcessed) {
      throw new CrmError('salesforce', { kind: 'temporary', code: 'INCOMPLETE_READ', detail: `${object}: read ${state.seen} of ${info.numberRecordsProcessed} job records` });
    }
    await discard(c, state.j as string, false);
  }
}

/** Bulk batches with a resume token each; the last batch carries resume: null. */
export async function* readBulk(c: SalesforceClient, objects: readonly string[], options: BulkOptions): AsyncGenerator<RecordBatch> {
  let held: Step | null = null;
  for await (const step of steps(c, objects, options)) {
    if (held) yield { records: held.records, resume: encodeResume(held.resume) };
    held = step;
  }
  if (held) yield { records: held.records, resume: null };
}
