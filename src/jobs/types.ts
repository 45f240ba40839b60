import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.js';

/** A kind of background job: its pg-boss queue settings and its handler. */
export interface JobDefinition<T extends object = object> {
  name: string;
  queue: PgBoss.Queue;
  /** Batch size and polling for this queue's workers. */
  work?: PgBoss.WorkOptions;
  /** Workers of this kind per process (pg-boss runs one job at a time per worker); defaults to WORKER_CONCURRENCY. */
  concurrency?: number;
  /** Also schedule it with this cron expression (UTC). */
  cron?: string;
  handle(ctx: AppContext, jobs: Array<PgBoss.Job<T>>): Promise<void>;
}
