/**
 * Start the workers of every job kind on this process. `crm-migrate worker` runs only this, so a deployment
 * scales out by starting more worker processes against one PostgreSQL; pg-boss hands each job to one of them.
 */
import type { AppContext } from '../context.js';
import { jobDefinitions } from './index.js';
import type { JobDefinition } from './types.js';

export async function ensureQueues(ctx: AppContext, definitions: ReadonlyArray<JobDefinition<never>> = jobDefinitions): Promise<void> {
  const queue = ctx.queue;
  if (!queue) throw new Error('the job queue is not started');
  for (const def of definitions) {
    const existing = await queue.getQueue(def.queue.name);
    if (!existing) await queue.createQueue(def.queue.name, def.queue);
    else await queue.updateQueue(def.queue.name, def.queue);
  }
}

export async function startWorkers(
  ctx: AppContext,
  options: { concurrency: number; schedule: boolean },
  definitions: ReadonlyArray<JobDefinition<never>> = jobDefinitions,
): Promise<void> {
  const queue = ctx.queue;
  if (!queue) throw new Error('the job queue is not started');
  await ensureQueues(ctx, definitions);
  for (const def of definitions) {
    const workers = def.concurrency ?? options.concurrency;
    for (let i = 0; i < workers; i++) {
      await queue.work(def.queue.name, { pollingIntervalSeconds: 1, ...def.work }, async (jobs) => def.handle(ctx, jobs as never));
    }
    if (options.schedule && def.cron) await queue.schedule(def.queue.name, def.cron, {}, { tz: 'UTC' });
  }
}
