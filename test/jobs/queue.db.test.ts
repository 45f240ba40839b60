/** pg-boss on the application database: a job sent is processed (PGlite through the adapter, and PostgreSQL). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lt } from 'drizzle-orm';
import { sessions } from '../../src/db/schema.js';
import { maintenanceJob } from '../../src/jobs/maintenance.js';
import { startWorkers } from '../../src/jobs/workers.js';
import type { JobDefinition } from '../../src/jobs/types.js';
import { createTestApp, signup, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startQueue: true });
});
afterAll(async () => t.close());

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('job queue', () => {
  it(`processes a job that was sent (${process.env.TEST_DB_DRIVER ?? 'pglite'})`, async () => {
    const seen: Array<{ n: number }> = [];
    const echo: JobDefinition<{ n: number }> = {
      name: 'test.echo',
      queue: { name: 'test.echo', retryLimit: 0 },
      async handle(_ctx, jobs) {
        for (const job of jobs) seen.push(job.data);
      },
    };
    await startWorkers(t.ctx, { concurrency: 1, schedule: false }, [echo as JobDefinition<never>]);
    const id = await t.ctx.queue!.send('test.echo', { n: 42 });
    expect(id).toBeTruthy();
    await waitFor(async () => (seen.length > 0 ? true : undefined));
    expect(seen).toEqual([{ n: 42 }]);
    const job = await waitFor(async () => {
      const j = await t.ctx.queue!.getJobById('test.echo', id!);
      return j?.state === 'completed' ? j : undefined;
    });
    expect(job.state).toBe('completed');
  });

  it('runs the maintenance job, which deletes expired sessions', async () => {
    const s = await signup(t.app);
    await t.ctx.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) });
    await startWorkers(t.ctx, { concurrency: 1, schedule: false }, [maintenanceJob as JobDefinition<never>]);
    await t.ctx.queue!.send(maintenanceJob.queue.name, {});
    await waitFor(async () => ((await t.ctx.db.select().from(sessions).where(lt(sessions.expiresAt, new Date()))).length === 0 ? true : undefined));
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(401);
  });
});
