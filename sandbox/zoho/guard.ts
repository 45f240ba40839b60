/**
 * What every data request goes through, in Zoho's order: the `Zoho-oauthtoken` header (401 INVALID_TOKEN for an
 * expired, revoked or unknown token, AUTHENTICATION_FAILURE without one), the scopes granted (401
 * OAUTH_SCOPE_MISMATCH), the concurrency caps per org and app (Professional: 15, and 10 for heavy calls such as
 * sorted lists), then the credits of the rolling 24-hour window (429 TOO_MANY_REQUESTS).
 * Limits: https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorizationToken, type AccessTokenInfo, type LimitCheck, type SandboxContext } from '../common/index.js';
import { MSG, zohoError } from './errors.js';
import type { ZohoState } from './state.js';

export type Ctx = SandboxContext<ZohoState>;

/** Alternatives that satisfy one requirement, compared case-insensitively (Zoho scopes are). */
export type ScopeNeed = readonly string[];

export const moduleScope = (module: string): ScopeNeed => {
  const m = module.toLowerCase();
  const activity = m === 'tasks' || m === 'events' || m === 'calls' ? ['zohocrm.modules.activities.read', 'zohocrm.modules.activities.all'] : [];
  return ['zohocrm.modules.all', 'zohocrm.modules.read', `zohocrm.modules.${m}.read`, `zohocrm.modules.${m}.all`, ...activity];
};
export const SCOPES = {
  users: ['zohocrm.users.read', 'zohocrm.users.all'],
  org: ['zohocrm.org.read', 'zohocrm.org.all'],
  fields: ['zohocrm.settings.all', 'zohocrm.settings.read', 'zohocrm.settings.fields.read', 'zohocrm.settings.fields.all'],
  modules: ['zohocrm.settings.all', 'zohocrm.settings.read', 'zohocrm.settings.modules.read', 'zohocrm.settings.modules.all'],
  layouts: ['zohocrm.settings.all', 'zohocrm.settings.read', 'zohocrm.settings.layouts.read', 'zohocrm.settings.layouts.all'],
  search: ['zohosearch.securesearch.read', 'zohosearch.securesearch.all'],
  bulk: ['zohocrm.bulk.read', 'zohocrm.bulk.all'],
} satisfies Record<string, ScopeNeed>;

export function grantedScopes(scope: string): Set<string> {
  return new Set(scope.split(/[\s,]+/).filter(Boolean).map((s) => s.toLowerCase()));
}

export interface GuardOptions {
  /** Every need must be met by one of its alternatives. */
  readonly scopes: readonly ScopeNeed[];
  /** Credits the call costs (most cost 1; Bulk Read create 50). */
  readonly credits: number;
  /** Heavy calls (sorted lists, COQL, search) also take a sub-concurrency slot. */
  readonly heavy?: boolean;
  /** Bulk Read downloads: 10 per minute. */
  readonly download?: boolean;
}

/** Authenticates, checks scopes and limits; on failure sends Zoho's error and returns null. */
export function guard(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, o: GuardOptions): AccessTokenInfo | null {
  const raw = authorizationToken(req, ['Zoho-oauthtoken']);
  if (raw === undefined) {
    ctx.reject('unauthorized');
    zohoError(reply, 401, req.headers.authorization ? 'INVALID_TOKEN' : 'AUTHENTICATION_FAILURE', req.headers.authorization ? MSG.invalidToken : MSG.authFailure);
    return null;
  }
  const auth = ctx.authenticate(raw);
  if (!auth.ok) {
    zohoError(reply, 401, 'INVALID_TOKEN', MSG.invalidToken);
    return null;
  }
  const token = auth.token;
  const granted = grantedScopes(token.scope);
  if (!o.scopes.every((need) => need.some((s) => granted.has(s)))) {
    ctx.reject('unauthorized');
    zohoError(reply, 401, 'OAUTH_SCOPE_MISMATCH', MSG.scope);
    return null;
  }
  const app = `${token.subject.orgId}:${token.clientId}`;
  if (!ctx.acquire(reply, 'concurrency', app).allowed || (o.heavy && !ctx.acquire(reply, 'sub-concurrency', app).allowed)) {
    zohoError(reply, 429, 'TOO_MANY_REQUESTS', MSG.concurrency);
    return null;
  }
  const checks: LimitCheck[] = [{ policy: 'credits', key: token.subject.orgId, cost: o.credits }];
  if (o.download) checks.push({ policy: 'bulk-download', key: token.subject.orgId });
  const d = ctx.consume(checks);
  if (d.denied) {
    zohoError(reply, 429, 'TOO_MANY_REQUESTS', d.denied.policy === 'credits' ? MSG.credits : MSG.downloads);
    return null;
  }
  return token;
}
