/** Housekeeping: expired sessions, spent OAuth states and stale throttling windows are deleted. */
import { lt, or, isNotNull } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { oauthStates, rateLimitBuckets, sessions } from '../db/schema.js';
import type { JobDefinition } from './types.js';

export interface CleanupResult {
  sessions: number;
  oauthStates: number;
  rateLimitBuckets: number;
}

export async function cleanup(ctx: AppContext, now = new Date()): Promise<CleanupResult> {
  const s = await ctx.db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  const o = await ctx.db
    .delete(oauthStates)
    .where(or(lt(oauthStates.expiresAt, now), isNotNull(oauthStates.usedAt)))
    .returning({ id: oauthStates.id });
  const r = await ctx.db.delete(rateLimitBuckets).where(lt(rateLimitBuckets.resetAt, now)).returning({ key: rateLimitBuckets.key });
  return { sessions: s.length, oauthStates: o.length, rateLimitBuckets: r.length };
}

export const maintenanceJob: JobDefinition<Record<string, never>> = {
  name: 'maintenance.cleanup',
  queue: { name: 'maintenance.cleanup', policy: 'singleton', retryLimit: 1, expireInSeconds: 300 },
  cron: '*/15 * * * *',
  concurrency: 1,
  async handle(ctx, jobs) {
    for (const _job of jobs) {
      const result = await cleanup(ctx);
      ctx.logger.info({ result }, 'maintenance: removed expired rows');
    }
  },
};
