/**
 * The import's jobs: `import.run` runs one slice of a migration (src/import/runner.ts); `import.sweep` hands
 * orphaned, queued and due paused runs to new jobs and re-sends itself while runs are in flight
 * (src/import/sweeper.ts). Both are safe to receive twice: the run's lease decides who works.
 */
import type { AppContext } from '../context.js';
import { defaultRunnerSettings, runSlice, type RunnerSettings } from '../import/runner.js';
import { importRunQueue, importSweepQueue, queueScheduler } from '../import/scheduler.js';
import { sweep } from '../import/sweeper.js';
import type { JobDefinition } from './types.js';

export interface ImportJobOptions extends Partial<RunnerSettings> {
  /** Seconds between sweeps while runs are in flight. */
  sweepEverySeconds?: number;
}

const draining = new WeakSet<AppContext>();
const drainRegistered = new WeakSet<AppContext>();

/** Stop between batches when the process shuts down (closers run before the queue stops), handing runs over. */
function registerDrain(ctx: AppContext): void {
  if (drainRegistered.has(ctx)) return;
  drainRegistered.add(ctx);
  ctx.closers.push(async () => {
    draining.add(ctx);
  });
}

export function createImportJobs(options: ImportJobOptions = {}): [JobDefinition<{ migrationId: string }>, JobDefinition<Record<string, never>>] {
  const { sweepEverySeconds = 5, ...overrides } = options;
  const run: JobDefinition<{ migrationId: string }> = {
    name: importRunQueue.name,
    queue: importRunQueue,
    async handle(ctx, jobs) {
      registerDrain(ctx);
      const settings = defaultRunnerSettings(ctx, overrides);
      const scheduler = queueScheduler(ctx);
      await scheduler.ensureSweep(sweepEverySeconds).catch((err: unknown) => ctx.logger.warn({ err }, 'could not schedule the import sweep'));
      for (const job of jobs) {
        const outcome = await runSlice(ctx, job.data.migrationId, settings, scheduler, { draining: () => draining.has(ctx) });
        ctx.logger.debug({ migrationId: job.data.migrationId, outcome }, 'import slice ended');
      }
    },
  };
  const sweeper: JobDefinition<Record<string, never>> = {
    name: importSweepQueue.name,
    queue: importSweepQueue,
    concurrency: 1,
    // A backstop that restarts the sweep chain (in processes that run the scheduler).
    cron: '* * * * *',
    async handle(ctx, jobs) {
      if (jobs.length === 0 || draining.has(ctx)) return;
      const settings = defaultRunnerSettings(ctx, overrides);
      const scheduler = queueScheduler(ctx);
      const result = await sweep(ctx, scheduler, { reserveMs: Math.max(60_000, settings.leaseMs * 2) });
      if (result.triggered.length > 0) ctx.logger.info({ runs: result.triggered }, 'import sweep handed runs to workers');
      if (result.active > 0) await scheduler.ensureSweep(sweepEverySeconds);
    },
  };
  return [run, sweeper];
}

export const [importRunJob, importSweepJob] = createImportJobs();
