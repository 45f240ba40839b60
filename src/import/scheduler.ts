/**
 * How runs get (re)started: a pg-boss job `import.run { migrationId }` per slice of work. A slice ends after a
 * few minutes and sends its own continuation, so a run moves between workers, shares them fairly with other runs,
 * and no job stays active for long. The lease (lease.ts), not the queue, guarantees one worker per run: a stray
 * duplicate job finds the lease taken and ends at once.
 *
 * `import.sweep` is a job that re-sends itself every few seconds while runs are in flight. It hands runs whose
 * worker died (lease lapsed) to a new job, starts queued runs when their organization has a free slot, and wakes
 * paused runs whose pause is over — a backstop for the delayed job each pause schedules.
 */
import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.js';

export const IMPORT_RUN_QUEUE = 'import.run';
export const IMPORT_SWEEP_QUEUE = 'import.sweep';

/** Queue settings (also used by the job definitions in src/jobs/import-run.ts). */
export const importRunQueue: PgBoss.Queue = {
  name: IMPORT_RUN_QUEUE,
  policy: 'standard',
  // A slice returns in minutes; the lease, not pg-boss expiry, detects a dead worker. Retries cover a job that
  // crashed on something outside the run's own error handling (e.g. the database restarting).
  retryLimit: 5,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 30 * 60,
};

export const importSweepQueue: PgBoss.Queue = {
  name: IMPORT_SWEEP_QUEUE,
  // `short`: at most one sweep waiting at a time (sends with the same singletonKey are dropped).
  policy: 'short',
  retryLimit: 2,
  expireInSeconds: 120,
};

export interface Scheduler {
  /** Start (or continue) a run now or at `startAfter`. */
  trigger(migrationId: string, startAfter?: Date): Promise<void>;
  /** Make sure a sweep is scheduled within `inSeconds`. */
  ensureSweep(inSeconds?: number): Promise<void>;
}

const ensured = new WeakMap<object, Promise<void>>();

/** pg-boss 10 refuses sends to a queue that was never created (a server without in-process workers). */
async function ensureQueues(queue: PgBoss): Promise<void> {
  let p = ensured.get(queue);
  if (!p) {
    p = (async () => {
      for (const q of [importRunQueue, importSweepQueue]) if (!(await queue.getQueue(q.name))) await queue.createQueue(q.name, q);
    })();
    p.catch(() => ensured.delete(queue));
    ensured.set(queue, p);
  }
  return p;
}

/** The scheduler on the context's queue; without a queue (route tests, some CLI uses) sends are skipped and the sweeper of any worker picks the run up. */
export function queueScheduler(ctx: Pick<AppContext, 'queue' | 'logger'>): Scheduler {
  return {
    async trigger(migrationId, startAfter) {
      const queue = ctx.queue;
      if (!queue) return;
      await ensureQueues(queue);
      await queue.send(IMPORT_RUN_QUEUE, { migrationId }, startAfter ? { startAfter } : {});
    },
    async ensureSweep(inSeconds = 5) {
      const queue = ctx.queue;
      if (!queue) return;
      await ensureQueues(queue);
      await queue.send(IMPORT_SWEEP_QUEUE, {}, { singletonKey: 'sweep', startAfter: inSeconds });
    },
  };
}
