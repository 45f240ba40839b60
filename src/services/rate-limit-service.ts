/**
 * Fixed-window counters in the database, shared by every server process (login throttling). One atomic
 * upsert per hit: a window that has ended restarts at 1.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { rateLimitBuckets } from '../db/schema.js';

export interface RateLimitHit {
  allowed: boolean;
  count: number;
  retryAfterMs: number;
}

export async function hitRateLimit(db: DbOrTx, key: string, max: number, windowMs: number): Promise<RateLimitHit> {
  const resetAt = new Date(Date.now() + windowMs);
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, count: 1, resetAt })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        count: sql`case when ${rateLimitBuckets.resetAt} <= now() then 1 else ${rateLimitBuckets.count} + 1 end`,
        resetAt: sql`case when ${rateLimitBuckets.resetAt} <= now() then ${resetAt.toISOString()}::timestamptz else ${rateLimitBuckets.resetAt} end`,
      },
    })
    .returning();
  const count = row!.count;
  return { allowed: count <= max, count, retryAfterMs: count <= max ? 0 : Math.max(0, row!.resetAt.getTime() - Date.now()) };
}

export async function resetRateLimit(db: DbOrTx, key: string): Promise<void> {
  await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}
