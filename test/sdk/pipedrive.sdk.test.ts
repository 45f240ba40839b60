/**
 * Pipedrive's own Node SDK (`pipedrive` npm package, API v2 classes), unmodified, against the sandbox: pointed at it
 * only through its own options — `OAuth2Configuration({ host })` for the OAuth server, and the `api_domain` the token
 * response returns, which the SDK itself turns into `basePath` (`${api_domain}/api/v2`). It runs the authorization
 * code flow with HTTP Basic auth, pages every person, organization, deal and activity with v2 cursors, refreshes an
 * expiring token by itself, survives a server-side expiry with a manual refresh, and revokes.
 * Note: the SDK's `revokeToken('access_token')` URI-encodes the token before form-encoding it again, so the server
 * receives `v1u%3A…`; only the refresh-token revoke (which it does not double-encode) is exercised here.
 */
import { v2 } from 'pipedrive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { pipedriveSandbox } from '../../sandbox/pipedrive/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const RECORDS = { accounts: 321, contacts: 1_234, leads: 5, deals: 777, activities: 650 };
const CLIENT = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: 'http://127.0.0.1:5555/callback' };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Page = { data?: { id?: number }[]; additional_data?: { next_cursor?: string | null } };

/** Pages a v2 list with the SDK until next_cursor is null; returns the ids in order. */
async function readAll(list: (params: { limit: number; cursor?: string }) => Promise<Page>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await list({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const r of page.data ?? []) ids.push(r.id!);
    cursor = page.additional_data?.next_cursor ?? undefined;
    if (!cursor) return ids;
  }
  throw new Error('paging did not end');
}

async function connect(s: RunningSandbox) {
  const oauth2 = new v2.OAuth2Configuration({ ...CLIENT, host: s.url });
  const updates: Json[] = [];
  oauth2.onTokenUpdate = (t) => updates.push(t);
  const back = await decideOnConsentPage(oauth2.authorizationUrl, 'allow');
  const token = await oauth2.authorize(back.searchParams.get('code')!);
  const config = new v2.Configuration({ accessToken: oauth2.getAccessToken, basePath: oauth2.basePath });
  return { oauth2, token, config, updates };
}

describe('pipedrive SDK (v2) against the sandbox', () => {
  let s: RunningSandbox;
  const sandboxConfig = (body: unknown) => fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  beforeAll(async () => {
    s = await startSandbox(pipedriveSandbox, { records: RECORDS, rateLimits: 'realistic' }, { port: 0 });
  });
  afterAll(() => s.close());

  it("runs the OAuth flow with the SDK's Basic auth and takes the API base from api_domain", async () => {
    const { oauth2, token } = await connect(s);
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, api_domain: s.url, scope: expect.stringContaining('contacts:read') });
    expect(oauth2.basePath).toBe(`${s.url}/api/v2`);
    const denied = await decideOnConsentPage(oauth2.authorizationUrl, 'deny');
    expect(denied.searchParams.get('error')).toBe('user_denied');
    await expect(oauth2.authorize('not-a-code')).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('reads every person, organization, deal and activity through v2 cursor paging', async () => {
    const { config } = await connect(s);
    const persons = await readAll((p) => new v2.PersonsApi(config).getPersons(p));
    const orgs = await readAll((p) => new v2.OrganizationsApi(config).getOrganizations(p));
    const deals = await readAll((p) => new v2.DealsApi(config).getDeals(p));
    const activities = await readAll((p) => new v2.ActivitiesApi(config).getActivities(p));
    expect(persons).toEqual(Array.from({ length: RECORDS.contacts }, (_, k) => k + 1));
    expect(orgs).toEqual(Array.from({ length: RECORDS.accounts }, (_, k) => k + 1));
    expect(new Set(deals).size).toBe(RECORDS.deals);
    expect(deals.length).toBe(RECORDS.deals);
    // Activities of type note are notes in Pipedrive (v1 /notes); the rest are activities.
    const world = s.instance.ctx.world;
    const notNotes = Array.from({ length: world.counts.activities }, (_, i) => i).filter((i) => world.activity(i).type !== 'note');
    expect(activities).toEqual(notNotes.map((i) => i + 1));
    expect(notNotes.length).toBeLessThan(RECORDS.activities);
    const deleted = await readAll((p) => new v2.DealsApi(config).getDeals({ ...p, status: 'deleted' }));
    expect(deleted.length).toBe(s.instance.ctx.world.deletedCounts.deals);
  });

  it('refreshes an expiring token by itself and keeps the same refresh token (no rotation)', async () => {
    await sandboxConfig({ tokenTtlSeconds: 1 });
    const tokenCallsBefore = ((await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json).requests.byEndpoint['POST /oauth/token'] as number;
    try {
      const { oauth2, config, updates, token } = await connect(s);
      const api = new v2.PersonsApi(config);
      const first = await api.getPersons({ limit: 10 });
      expect(first.data?.length).toBe(10);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(oauth2.shouldRefreshToken()).toBeTruthy();
      const again = await api.getPersons({ limit: 10 });
      expect(again.data?.[0]?.id).toBe(1);
      const refreshed = updates[updates.length - 1]!; // the SDK reports a refresh twice (tokenRefresh and getAccessToken)
      expect(refreshed.access_token).not.toBe(token.access_token);
      expect(refreshed.refresh_token).toBe(token.refresh_token);
      const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json;
      expect(stats.requests.byEndpoint['POST /oauth/token'] - tokenCallsBefore).toBe(2); // the exchange and one refresh
    } finally {
      await sandboxConfig({ tokenTtlSeconds: 3600 });
    }
  });

  it('sees the 401 body when the server expires the token, reads on after a refresh, and is locked out after revoking', async () => {
    const { oauth2, config } = await connect(s);
    const api = new v2.DealsApi(config);
    const page1 = await api.getDeals({ limit: 500 });
    await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' });
    await expect(api.getDeals({ limit: 500, cursor: page1.additional_data!.next_cursor! })).rejects.toEqual({ success: false, error: 'unauthorized access', errorCode: 401 });
    await oauth2.tokenRefresh();
    const rest = await readAll((p) => api.getDeals({ ...p, cursor: p.cursor ?? page1.additional_data!.next_cursor! }));
    expect(page1.data!.length + rest.length).toBe(RECORDS.deals);
    await oauth2.revokeToken('refresh_token');
    await expect(api.getDeals({ limit: 1 })).rejects.toMatchObject({ success: false, errorCode: 401 });
    await expect(oauth2.tokenRefresh()).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('gets the 400 for a page over 500 and the 429 body over the burst limit', async () => {
    const { config } = await connect(s);
    const api = new v2.PersonsApi(config);
    await expect(api.getPersons({ limit: 501 })).rejects.toMatchObject({ success: false, code: 'ERR_SCHEMA_VALIDATION_FAILED' });
    await sandboxConfig({ limits: { burst: { limit: 2, windowMs: 60_000 } } });
    try {
      await api.getPersons({ limit: 1 });
      await api.getPersons({ limit: 1 });
      await expect(api.getPersons({ limit: 1 })).rejects.toEqual({ success: false, error: 'Request over limit' });
    } finally {
      await sandboxConfig({ limits: { burst: { limit: 160, windowMs: 2_000 } } });
    }
  });
});
