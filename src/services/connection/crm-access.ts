/**
 * How the connection service reaches a CRM: the ResolvedCrm from configuration (src/crm/resolve.ts), with a
 * timeout on every OAuth request (a refresh holds the connection's row lock; it must not hang), and the token
 * host a connection was made at (Zoho's data centres). Tests may substitute a module per context, e.g. a small
 * CRM for test/sandbox-common/example-sandbox.ts.
 */
import type { AppContext } from '../../context.js';
import type { CrmId } from '../../core/ids.js';
import type { ResolvedCrm } from '../../crm/oauth-flow.js';
import { resolveCrm } from '../../crm/resolve.js';
import type { CrmModule } from '../../crm/types.js';
import { readSettings } from './settings.js';

/** Token, identity and revoke requests give up after this long. */
export const OAUTH_TIMEOUT_MS = 30_000;

const substitutes = new WeakMap<AppContext, Partial<Record<CrmId, CrmModule>>>();

/** Use these modules instead of the registry's for this context (tests and benchmarks). */
export function substituteCrmModules(ctx: AppContext, modules: Partial<Record<CrmId, CrmModule>>): void {
  substitutes.set(ctx, { ...substitutes.get(ctx), ...modules });
}

/** A fetch that aborts after `ms` unless the caller passed its own signal. */
export function fetchWithTimeout(base: typeof globalThis.fetch, ms: number): typeof globalThis.fetch {
  return (input, init) => base(input, init?.signal ? init : { ...init, signal: AbortSignal.timeout(ms) });
}

export async function resolveForContext(ctx: AppContext, crm: CrmId, options: { fetch?: typeof globalThis.fetch } = {}): Promise<ResolvedCrm> {
  const substitute = substitutes.get(ctx)?.[crm];
  return resolveCrm(ctx.config, crm, {
    ...(substitute ? { loadModule: async () => substitute } : {}),
    fetch: fetchWithTimeout(options.fetch ?? globalThis.fetch, OAUTH_TIMEOUT_MS),
  });
}

/** The hosts a stored connection refreshes and revokes at: the token host named when it was made, if any. */
export function forConnection(resolved: ResolvedCrm, syncSettings: Record<string, unknown> | null | undefined): ResolvedCrm {
  const tokenHost = readSettings(syncSettings).tokenHost;
  if (!tokenHost || tokenHost === resolved.hosts.token) return resolved;
  return { ...resolved, hosts: { ...resolved.hosts, token: tokenHost, revoke: tokenHost } };
}

/** The token host the code must be exchanged at (the CRM's hook may name another, trusted one on the callback). */
export function tokenHostFromCallback(resolved: ResolvedCrm, query: Readonly<Record<string, string>>): string {
  const hook = resolved.module.oauth.tokenHostFromCallback;
  if (!hook) return resolved.hosts.token;
  const allowed = resolved.mode === 'sandbox' ? [resolved.hosts.token] : (resolved.module.oauth.trustedTokenHosts ?? [resolved.hosts.token]);
  return hook(query, resolved.hosts, allowed);
}
