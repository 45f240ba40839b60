/** The request context every resolver of the sandbox's monday schema receives, and small shared helpers. */
import type { FieldNode } from 'graphql';
import type { EntityType, World } from '../../common/index.js';
import type { TimeIndex } from '../items.js';
import { FieldError, type Args, type FieldDef } from '../graphql/types.js';

/** Everything a resolver needs for one request. */
export interface MondayCtx {
  readonly world: World;
  readonly now: number;
  readonly apiVersion: string;
  /** World owner index of the token's user. */
  readonly userIndex: number;
  /** Granted scopes; null = the app's configured scopes (all). */
  readonly scopes: ReadonlySet<string> | null;
  readonly complexity: { query: number; before: number; after: number; resetInSeconds: number };
  readonly cursorSecret: Buffer;
  readonly cursorTtlMs: number;
  time(entity: EntityType): TimeIndex;
}

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 25;
export const MAX_ROOT_ITEMS = 100;

export type Def = FieldDef<MondayCtx>;
/** A field whose resolver reads a typed parent. */
export function f<P>(type: string, resolve: (p: P, args: Args, ctx: MondayCtx, node: FieldNode) => unknown, more: Partial<Def> = {}): Def {
  return { type, resolve: resolve as Def['resolve'], ...more };
}
export const scalar = (type: string): Def => ({ type });

export function needScope(ctx: MondayCtx, scope: string): void {
  if (ctx.scopes && !ctx.scopes.has(scope)) {
    // monday answers a missing permission with its UserUnauthorizedException, HTTP 200 (errors doc).
    throw new FieldError('User unauthorized to perform action', 'UserUnauthorizedException', { error_data: {}, status_code: 403 });
  }
}

export function invalidArgument(message: string): FieldError {
  // [unverified] monday's exact text for out-of-range arguments; the shape is its unified 2025-01 error.
  return new FieldError(message, 'InvalidArgumentException', { error_data: {}, status_code: 400 });
}

export function pageLimit(args: Args): number {
  const limit = (args.limit as number | undefined) ?? DEFAULT_PAGE;
  if (limit < 1 || limit > MAX_PAGE) throw invalidArgument(`The limit argument must be between 1 and ${MAX_PAGE}, got ${limit}`);
  return limit;
}

export const users = (world: World) => world.owners.map((o) => ({ o, index: o.index }));

export function userObj(world: World, index: number) {
  const o = world.owners[index];
  return o ? { o, index } : null;
}
