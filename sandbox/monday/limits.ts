/**
 * monday.com's documented limits for the realistic profile, plan tier **Pro** with an app (OAuth) token
 * (https://developer.monday.com/api-reference/docs/rate-limits, fact sheet §5):
 *   complexity  5,000,000 points per rolling minute (app tokens, reads), max 5,000,000 per query
 *   minute      2,500 requests per rolling minute (Pro)
 *   daily       10,000 calls per day, resetting at UTC midnight (Pro); rate-limited requests count 0.1
 *   concurrency 100 requests in flight (Pro)
 *   ip          5,000 requests per 10 s per IP address
 * and the `RateLimit-Policy` / `RateLimit` headers every response carries (IETF ratelimit-headers draft
 * syntax, names as in the fact sheet).
 */
import type { FastifyReply } from 'fastify';
import type { ConcurrencyPolicy, SandboxContext, WindowPolicy, WindowResult } from '../common/index.js';

export const MAX_QUERY_COMPLEXITY = 5_000_000;

export const MONDAY_RATE_LIMITS: readonly WindowPolicy[] = [
  { name: 'complexity', limit: 5_000_000, windowMs: 60_000 },
  { name: 'minute', limit: 2_500, windowMs: 60_000 },
  { name: 'daily', limit: 10_000, windowMs: 86_400_000, kind: 'fixed', reason: 'quota' },
  { name: 'ip', limit: 5_000, windowMs: 10_000 },
];

export const MONDAY_CONCURRENCY: readonly ConcurrencyPolicy[] = [{ name: 'concurrency', limit: 100 }];

/** Header names of our windows ("minuteRate", "complexityMinute" as in monday's headers). */
const HEADER_NAME: Readonly<Record<string, string>> = { minute: 'minuteRate', complexity: 'complexityMinute', daily: 'daily' };

/**
 * Sets RateLimit-Policy and RateLimit from the windows' state after this request (`results` of the consume, the
 * others peeked). "daily" is our addition to the documented names [unverified], so a client can see its quota.
 */
export function setRateHeaders(reply: FastifyReply, ctx: SandboxContext<unknown>, account: string, results: readonly WindowResult[], inFlight: number): void {
  const policy: string[] = [];
  const now: string[] = [];
  const concurrency = ctx.concurrency.policies().find((p) => p.name === 'concurrency');
  for (const name of ['minute', 'complexity', 'daily']) {
    const r = results.find((x) => x.policy === name) ?? ctx.limits.peek(name, account);
    const label = HEADER_NAME[name] as string;
    policy.push(`"${label}";q=${r.limit};w=${Math.round(r.windowMs / 1000)}${name === 'complexity' ? ';qu="content-bytes"' : ''}`);
    now.push(`"${label}";r=${Math.floor(r.remaining)};t=${Math.ceil(r.resetMs / 1000)}`);
    if (name === 'minute' && concurrency) {
      policy.push(`"concurrency";q=${concurrency.limit};qu="concurrent-requests"`);
      now.push(`"concurrency";r=${Math.max(0, concurrency.limit - inFlight)}`);
    }
  }
  void reply.header('ratelimit-policy', policy.join(', ')).header('ratelimit', now.join(', '));
}
