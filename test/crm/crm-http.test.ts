import { describe, expect, it } from 'vitest';
import { CrmError } from '../../src/crm/errors.js';
import { MemoryBudgetStore, UnlimitedBudget, WindowBudget } from '../../src/crm/http/budget.js';
import { backoffDelay, createCrmHttp } from '../../src/crm/http/crm-http.js';
import type { ClassifiedError, CrmModule, TokenProvider } from '../../src/crm/types.js';

function fakeModule(): CrmModule {
  return {
    definition: { id: 'hubspot', name: 'HubSpot' } as CrmModule['definition'],
    oauth: {} as CrmModule['oauth'],
    authorization: (t) => `Bearer ${t}`,
    classifyError(status, headers, body): ClassifiedError {
      if (status === 401) return { kind: 'auth_expired', code: 'EXPIRED_AUTHENTICATION' };
      if (status === 429) {
        const policy = JSON.parse(body || '{}').policyName;
        if (policy === 'DAILY') return { kind: 'quota_exhausted', code: 'DAILY', resetAt: new Date(Date.now() + 3_600_000) };
        const ra = headers.get('retry-after');
        return { kind: 'rate_limited', code: policy, retryAfterMs: ra ? Number(ra) * 1000 : undefined };
      }
      if (status >= 500) return { kind: 'temporary', code: String(status) };
      if (status === 404) return { kind: 'not_found', code: 'OBJECT_NOT_FOUND' };
      return { kind: 'invalid_request', code: String(status) };
    },
    createClient: () => {
      throw new Error('unused');
    },
  };
}

function tokens(): TokenProvider & { refreshes: number } {
  let current = 'token-1';
  return {
    refreshes: 0,
    async current() {
      return { accessToken: current, instanceUrl: 'http://crm.test' };
    },
    async refreshAfterRejection(rejected) {
      this.refreshes += 1;
      if (rejected === current) current = `token-${this.refreshes + 1}`;
      return { accessToken: current, instanceUrl: 'http://crm.test' };
    },
  };
}

type Reply = { status: number; body?: string; headers?: Record<string, string> } | Error;
function scriptedFetch(replies: Reply[]) {
  const calls: Array<{ url: string; auth: string | null }> = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, auth: new Headers(init.headers).get('authorization') });
    const next = replies.shift();
    if (!next) throw new Error('no more scripted replies');
    if (next instanceof Error) throw next;
    return new Response(next.body ?? '{}', { status: next.status, headers: next.headers });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

const noSleep = async () => undefined;

describe('the CRM HTTP layer', () => {
  it('retries 5xx and network errors with backoff, then succeeds', async () => {
    const { fn, calls } = scriptedFetch([{ status: 503 }, new TypeError('fetch failed'), { status: 502 }, { status: 200, body: '{"ok":true}' }]);
    const sleeps: number[] = [];
    const http = createCrmHttp({ module: fakeModule(), tokens: tokens(), budget: new UnlimitedBudget('hubspot'), fetch: fn, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    const res = await http.request({ method: 'GET', url: '/crm/v3/objects/contacts', query: { limit: 100, after: undefined } });
    expect(await res.json()).toEqual({ ok: true });
    expect(calls).toHaveLength(4);
    expect(calls[0]!.url).toBe('http://crm.test/crm/v3/objects/contacts?limit=100');
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('gives up on temporary failures after maxRetries with a CrmError', async () => {
    const { fn } = scriptedFetch(Array.from({ length: 10 }, () => ({ status: 500 })));
    const http = createCrmHttp({ module: fakeModule(), tokens: tokens(), budget: new UnlimitedBudget('hubspot'), fetch: fn, sleep: noSleep, maxRetries: 3 });
    const err = await http.request({ method: 'GET', url: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err.kind).toBe('temporary');
  });

  it('does not resend a non-idempotent request after a 5xx', async () => {
    const { fn, calls } = scriptedFetch([{ status: 500 }, { status: 200 }]);
    const http = createCrmHttp({ module: fakeModule(), tokens: tokens(), budget: new UnlimitedBudget('hubspot'), fetch: fn, sleep: noSleep });
    await expect(http.request({ method: 'POST', url: '/jobs', json: {} })).rejects.toThrow(CrmError);
    expect(calls).toHaveLength(1);
  });

  it('honours Retry-After on a 429', async () => {
    const { fn } = scriptedFetch([{ status: 429, body: '{"policyName":"TEN_SECONDLY_ROLLING"}', headers: { 'retry-after': '3' } }, { status: 200 }]);
    const sleeps: number[] = [];
    const budgetSleeps: number[] = [];
    const budget = new UnlimitedBudget('hubspot', async (ms) => void budgetSleeps.push(ms));
    const http = createCrmHttp({ module: fakeModule(), tokens: tokens(), budget, fetch: fn, sleep: async (ms) => void sleeps.push(ms) });
    await http.request({ method: 'GET', url: '/x' });
    expect(sleeps).toEqual([3000]);
    // the budget was told too, so other requests on this connection hold back as well
    await budget.acquire(undefined, 1);
    expect(budgetSleeps[0]).toBeGreaterThan(2500);
  });

  it('stops at a daily quota instead of hammering, and blocks the budget until the reset', async () => {
    const { fn, calls } = scriptedFetch([{ status: 429, body: '{"policyName":"DAILY"}' }, { status: 200 }]);
    const budget = new UnlimitedBudget('hubspot');
    const http = createCrmHttp({ module: fakeModule(), tokens: tokens(), budget, fetch: fn, sleep: noSleep });
    const err = await http.request({ method: 'GET', url: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err.kind).toBe('quota_exhausted');
    expect(err.message).toMatch(/daily API limit is used up; the import resumes at/);
    expect(calls).toHaveLength(1);
    await expect(budget.acquire(undefined, 1)).rejects.toMatchObject({ kind: 'quota_exhausted' });
  });

  it('refreshes the token once on a 401 and retries with the new one', async () => {
    const { fn, calls } = scriptedFetch([{ status: 401 }, { status: 200 }]);
    const t = tokens();
    const http = createCrmHttp({ module: fakeModule(), tokens: t, budget: new UnlimitedBudget('hubspot'), fetch: fn, sleep: noSleep });
    await http.request({ method: 'GET', url: '/x' });
    expect(t.refreshes).toBe(1);
    expect(calls.map((c) => c.auth)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('reports auth_expired when the refreshed token is rejected too', async () => {
    const { fn } = scriptedFetch([{ status: 401 }, { status: 401 }]);
    const http = createCrmHttp({ module: fakeModule(), tokens: tokens(), budget: new UnlimitedBudget('hubspot'), fetch: fn, sleep: noSleep });
    await expect(http.request({ method: 'GET', url: '/x' })).rejects.toMatchObject({ kind: 'auth_expired' });
  });

  it('maps a 200 that carries an error (GraphQL) through `inspect`', async () => {
    const { fn } = scriptedFetch([
      { status: 200, body: '{"errors":[{"extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED","retry_in_seconds":2}}]}' },
      { status: 200, body: '{"data":{}}' },
    ]);
    const sleeps: number[] = [];
    const http = createCrmHttp({ module: fakeModule(), tokens: tokens(), budget: new UnlimitedBudget('hubspot', noSleep), fetch: fn, sleep: async (ms) => void sleeps.push(ms) });
    const res = await http.request({
      method: 'POST',
      url: '/v2',
      json: { query: '{}' },
      idempotent: true,
      inspect: (_s, _h, body) => {
        const e = JSON.parse(body).errors?.[0];
        return e ? { kind: 'rate_limited', code: e.extensions.code, retryAfterMs: e.extensions.retry_in_seconds * 1000 } : null;
      },
    });
    expect(await res.json()).toEqual({ data: {} });
    expect(sleeps).toEqual([2000]);
  });

  it('throttles with a window budget before the CRM says no', async () => {
    let now = 0;
    const budget = new WindowBudget({
      crm: 'hubspot',
      key: 'conn-1',
      windows: [{ name: 'burst', limit: 3, windowMs: 1000, unit: 'requests' }],
      store: new MemoryBudgetStore(),
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    const granted: number[] = [];
    for (let i = 0; i < 7; i++) {
      const ticket = await budget.acquire(undefined, 1);
      granted.push(now);
      await budget.settle(ticket); // answered at once
    }
    expect(granted.slice(0, 3)).toEqual([0, 0, 0]);
    expect(granted[3]).toBeGreaterThanOrEqual(1050); // the window, plus the client-side margin
    expect(granted[3]).toBeLessThan(1400);
    expect(granted[6]).toBeGreaterThanOrEqual(2100);
  });

  it('counts a request in flight until it is answered, then from the moment of the answer', async () => {
    let now = 0;
    const budget = new WindowBudget({
      crm: 'hubspot',
      key: 'conn-3',
      windows: [{ name: 'burst', limit: 2, windowMs: 1000, unit: 'requests' }],
      store: new MemoryBudgetStore(),
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    const slow = await budget.acquire(undefined, 1); // sent at 0, answered at 5,000
    const fast = await budget.acquire(undefined, 1);
    await budget.settle(fast);
    now = 4_000;
    // the slow one still counts (it may reach the CRM late), so only one more fits in the window
    const third = await budget.acquire(undefined, 1);
    expect(now).toBe(4_000);
    await budget.settle(third);
    now = 5_000;
    await budget.settle(slow); // counted at 5,000
    const fourth = await budget.acquire(undefined, 1);
    // the window ending at 5,000 holds `third` (4,000) and `slow` (5,000): wait until `third` leaves it
    expect(now).toBeGreaterThanOrEqual(4_000 + 1_050);
    expect(now).toBeLessThan(5_000 + 1_000);
    await budget.settle(fourth);
  });

  it("releases a dead worker's hold after the hold timeout", async () => {
    let now = 0;
    const budget = new WindowBudget({
      crm: 'hubspot',
      key: 'conn-4',
      windows: [{ name: 'burst', limit: 1, windowMs: 1000, unit: 'requests' }],
      store: new MemoryBudgetStore(),
      holdMs: 10_000,
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    await budget.acquire(undefined, 1); // never settled
    await budget.acquire(undefined, 1);
    expect(now).toBeGreaterThanOrEqual(10_000);
  });

  it('turns a quota window that cannot fit soon into quota_exhausted with the reset time', async () => {
    const now = 1_000_000;
    const budget = new WindowBudget({
      crm: 'salesforce',
      key: 'conn-2',
      windows: [{ name: 'daily', limit: 2, windowMs: 86_400_000, unit: 'requests', quota: true }],
      store: new MemoryBudgetStore(),
      now: () => now,
      sleep: noSleep,
    });
    await budget.acquire(undefined, 1);
    await budget.acquire(undefined, 1);
    const err = await budget.acquire(undefined, 1).catch((e) => e);
    expect(err).toMatchObject({ kind: 'quota_exhausted' });
    expect(err.resetAt.getTime()).toBeGreaterThan(now + 86_000_000);
  });

  it('backoff is capped and jittered', () => {
    expect(backoffDelay(0, 500, 30_000, () => 0.999)).toBeLessThan(500);
    expect(backoffDelay(20, 500, 30_000, () => 0.999)).toBeLessThan(30_000);
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(0);
  });
});
