/**
 * Shared steps for the connection suites: start CRM sandboxes on ephemeral ports, connect through the app's own
 * endpoints (authorize → the sandbox's consent page → the callback, injected with the session cookie), and read
 * what was stored.
 */
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { CrmId } from '../../src/core/ids.js';
import { getCrmModule } from '../../src/crm/registry.js';
import type { CrmModule } from '../../src/crm/types.js';
import { crmConnections } from '../../src/db/schema.js';
import { openTokens } from '../../src/services/connection/repository.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/common/runner.js';
import type { SandboxDefinition, SandboxOptions } from '../../sandbox/common/sandbox.js';
import { getSandboxDefinition } from '../../sandbox/registry.js';
import { as, type Session, type TestApp } from '../helpers/app.js';
import { decideOnConsentPage } from '../helpers/consent.js';

export const SMALL_WORLD: SandboxOptions['records'] = { accounts: 5, contacts: 30, leads: 5, deals: 5, activities: 10 };

/** Sandbox options a CRM needs for these suites (monday: the OAuth 2.1 flow, which refreshes and rotates). */
export function sandboxOptionsFor(crm: CrmId): Partial<SandboxOptions> {
  return { records: SMALL_WORLD, ...(crm === 'monday' ? { extras: { oauthFlow: '2.1' } } : {}) };
}

export interface LoadedCrm {
  module: CrmModule;
  definition: SandboxDefinition;
}

/** The CRM's module and sandbox, or the reason they cannot be loaded (a CRM that has not landed yet). */
export async function loadCrm(crm: CrmId): Promise<LoadedCrm | { missing: string }> {
  try {
    const [module, definition] = await Promise.all([getCrmModule(crm), getSandboxDefinition(crm)]);
    return { module, definition };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    return { missing: `${(err as Error).message}${cause instanceof Error ? ` (${cause.message})` : ''}` };
  }
}

export function requireLoaded(crm: CrmId, loaded: LoadedCrm | { missing: string } | undefined): LoadedCrm {
  if (!loaded || 'missing' in loaded) throw new Error(`${crm} has not landed (module or sandbox missing): ${loaded && 'missing' in loaded ? loaded.missing : 'not loaded'}`);
  return loaded;
}

export async function startCrmSandbox(definition: SandboxDefinition, options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  return startSandbox(definition, { records: SMALL_WORLD, ...options }, { port: 0 });
}

export function sandboxEnv(crm: CrmId, url: string): Record<string, string> {
  return { [`${crm.toUpperCase()}_SANDBOX_URL`]: url };
}

export interface Authorized {
  authUrl: string;
  state: string;
}

export async function authorize(t: TestApp, session: Session, crm: string): Promise<Authorized> {
  const res = await as(t.app, session)({ method: 'GET', url: `/api/crm-integrations/${crm}/authorize` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Follow the CRM's redirect back to us as the browser would: a top-level GET carrying only the session cookie. */
export async function callback(t: TestApp, session: Session | null, back: URL) {
  const res = await t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: session ? { cookie: session.cookie } : {} });
  expect(res.statusCode, res.body).toBe(302);
  const location = new URL(res.headers.location as string, 'http://app.invalid');
  return { res, location, params: Object.fromEntries(location.searchParams) };
}

export interface Connected {
  connectionId: string;
  /** The callback URL the CRM sent the browser to (code and state in it). */
  back: URL;
  authUrl: string;
}

/** The whole flow, clicking Allow. */
export async function connect(t: TestApp, session: Session, crm: string): Promise<Connected> {
  const { authUrl } = await authorize(t, session, crm);
  const back = await decideOnConsentPage(authUrl, 'allow');
  const { location, params } = await callback(t, session, back);
  expect(location.pathname).toBe('/dashboard/settings/migration');
  expect(params, `callback redirected to ${location}`).toMatchObject({ connected: 'true', crm });
  return { connectionId: params.connectionId!, back, authUrl };
}

export async function connectionRow(t: TestApp, id: string) {
  const [row] = await t.ctx.db.select().from(crmConnections).where(eq(crmConnections.id, id));
  if (!row) throw new Error(`no connection ${id}`);
  return row;
}

/** The plaintext tokens a connection holds now (tests only). */
export async function storedTokens(t: TestApp, id: string) {
  return openTokens(t.ctx.keyring, await connectionRow(t, id));
}

/** Requests a sandbox saw on endpoints whose route pattern matches. */
export async function endpointHits(sandbox: RunningSandbox, pattern: RegExp): Promise<number> {
  const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { requests: { byEndpoint: Record<string, number> } };
  return Object.entries(stats.requests.byEndpoint)
    .filter(([endpoint]) => pattern.test(endpoint))
    .reduce((n, [, count]) => n + count, 0);
}

export async function sandboxPost(sandbox: RunningSandbox, path: string, body: unknown = {}) {
  const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}
