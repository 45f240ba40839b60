/** Per-instance state of the monday sandbox and the `--option` settings it reads. */
import { randomBytes } from 'node:crypto';
import type { EntityType, SandboxContext } from '../common/index.js';
import { buildTimeIndex, type TimeIndex } from './items.js';

export interface MondayState {
  /** Signs access-token JWTs and items_page cursors. */
  readonly secret: Buffer;
  /** Which OAuth flow the sandbox app version uses: '2.1' (PKCE required, expiring JWT + rotating refresh token) or 'legacy'. */
  readonly flow: '2.1' | 'legacy';
  /** Cursor lifetime: 60 minutes in monday; `--option cursorTtlSeconds=N` shortens it for tests. */
  readonly cursorTtlMs: number;
  time(entity: EntityType): TimeIndex;
}

export function createMondayState(ctx: Omit<SandboxContext<MondayState>, 'state'>): MondayState {
  const extras = ctx.options.extras ?? {};
  const flow = extras.oauthFlow ?? '2.1';
  if (flow !== '2.1' && flow !== 'legacy') throw new RangeError(`--option oauthFlow: expected "2.1" or "legacy", got "${flow}"`);
  const ttl = Number(extras.cursorTtlSeconds ?? 3600);
  if (!(ttl > 0)) throw new RangeError(`--option cursorTtlSeconds: expected a positive number, got "${extras.cursorTtlSeconds}"`);
  const times = new Map<EntityType, TimeIndex>();
  return {
    secret: randomBytes(32),
    flow,
    cursorTtlMs: ttl * 1000,
    time(entity) {
      let t = times.get(entity);
      if (!t) {
        t = buildTimeIndex(ctx.world, entity);
        times.set(entity, t);
      }
      return t;
    },
  };
}
