/**
 * A test-only CrmModule for test/sandbox-common/example-sandbox.ts (an imaginary CRM standing in for `hubspot`),
 * so the connection service can be exercised against a sandbox whatever the state of the real CRM modules.
 */
import { CrmError } from '../../src/crm/errors.js';
import type { ClassifiedError, CrmApiClient, CrmModule, RecordPage, TokenSet } from '../../src/crm/types.js';

/** The one account and user the example sandbox's consent page signs in as. */
export const EXAMPLE_IDENTITY = { externalOrgId: '1001', externalUserId: '1', username: 'example-user', email: 'user@example.test', isSandbox: true };

function classifyError(status: number, _headers: Headers, body: string): ClassifiedError {
  if (status === 401) return { kind: 'auth_expired', code: /EXPIRED/.test(body) ? 'EXPIRED_AUTHENTICATION' : 'INVALID_AUTHENTICATION' };
  if (status === 429) return { kind: 'rate_limited', code: 'RATE_LIMITS' };
  if (status >= 500) return { kind: 'temporary', code: String(status) };
  if (status === 404) return { kind: 'not_found', code: 'OBJECT_NOT_FOUND' };
  return { kind: 'invalid_request', code: String(status) };
}

function parseTokenResponse(body: Record<string, unknown>, ctx: { now: Date; previous?: { instanceUrl: string; scopes: string[] } }): TokenSet {
  if (typeof body.access_token !== 'string') throw new Error('no access_token');
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : null;
  const instanceUrl = typeof body.api_domain === 'string' ? body.api_domain : ctx.previous?.instanceUrl;
  if (!instanceUrl) throw new Error('no api_domain');
  return {
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    expiresAt: expiresIn === null ? null : new Date(ctx.now.getTime() + expiresIn * 1000),
    instanceUrl,
    scopes: ['contacts.read'],
  };
}

export const exampleCrm: CrmModule = {
  definition: {
    id: 'hubspot',
    name: 'Example CRM',
    hosts: { authorize: 'https://example.invalid', token: 'https://example.invalid', api: 'https://example.invalid' },
    oauth: {
      authorizePath: '/oauth/authorize',
      tokenPath: '/oauth/token',
      revokePath: '/oauth/revoke',
      scopes: ['contacts.read'],
      scopeSeparator: ' ',
      pkce: true,
      clientAuth: 'client_secret_post',
      defaultAccessTokenTtlSeconds: 1800,
      refreshRotates: 'optional',
      issuesRefreshToken: true,
    },
    limits: { windows: [{ name: 'burst', limit: 100, windowMs: 10_000, unit: 'requests' }] },
    paging: { standardPageSize: 100, maxPageSize: 100, hasBulkApi: false, bulkThreshold: 10_000, bulkBatchSize: 100, bulkOverheadRequests: 0 },
    objects: { accounts: 'accounts', contacts: 'contacts', leads: 'leads', deals: 'deals', activities: 'activities' },
  },
  oauth: {
    parseTokenResponse,
    async fetchIdentity(fetch, tokens) {
      const res = await fetch(`${tokens.instanceUrl}/api/v1/contacts?limit=1`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      if (!res.ok) throw new Error(`identity call answered ${res.status}`);
      return EXAMPLE_IDENTITY;
    },
  },
  classifyError,
  authorization: (token) => `Bearer ${token}`,
  createClient({ http }): CrmApiClient {
    async function page(cursor: string | null, limit: number): Promise<RecordPage> {
      const res = await http.request({ method: 'GET', url: '/api/v1/contacts', query: { after: cursor ?? undefined, limit: Math.min(limit, 100) } });
      const body = await res.json<{ results: Array<{ id: string; email: string }>; paging?: { next: { after: string } } }>();
      return { records: body.results.map((r) => ({ id: r.id, fields: { email: r.email }, links: {} })), nextCursor: body.paging?.next.after ?? null };
    }
    return {
      async getRecordCount(entity) {
        if (entity !== 'contacts') return 0;
        let n = 0;
        for (let cursor: string | null = null, first = true; first || cursor; first = false) {
          const p: RecordPage = await page(cursor, 100);
          n += p.records.length;
          cursor = p.nextCursor;
        }
        return n;
      },
      fetchRecords: (_entity, cursor, limit) => page(cursor, limit),
      async *bulkFetchRecords() {
        let cursor: string | null = null;
        do {
          const p: RecordPage = await page(cursor, 100);
          cursor = p.nextCursor;
          yield { records: p.records, resume: cursor };
        } while (cursor);
      },
      async testConnection() {
        try {
          await page(null, 1);
          return { isValid: true };
        } catch (err) {
          if (err instanceof CrmError) return { isValid: false, error: err.message };
          throw err;
        }
      },
      async describeFields() {
        return [{ name: 'email', label: 'Email', type: 'email', custom: false }];
      },
    };
  },
};
