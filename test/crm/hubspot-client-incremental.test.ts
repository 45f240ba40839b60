/**
 * The HubSpot client's incremental read (search on the last-modified property) against the sandbox: more than
 * 10,000 matches force a re-window before the search cap; records come once, oldest first, with their links.
 */
import { describe, expect, it } from 'vitest';
import { startSandbox, type RecordCounts, type RunningSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { hubspotSandbox } from '../../sandbox/hubspot/index.js';
import type { HubSpotState } from '../../sandbox/hubspot/state.js';
import { hubspotCrm } from '../../src/crm/hubspot/index.js';
import type { CrmApiClient, SourceRecord } from '../../src/crm/types.js';
import type { HubSpotApiClient } from '../../src/crm/hubspot/client.js';
import type { EntityType } from '../../src/core/ids.js';
import { connectSandbox, createTestClient, type SandboxConnection } from '../helpers/sandbox-connection.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FAST_EXPORTS = { exportBaseMs: '20', exportMsPer1k: '0' };
const BASE = { accounts: 40, contacts: 100, deals: 60, leads: 10, activities: 150 };

async function sandbox(options: Omit<Partial<SandboxOptions>, 'records'> & { records?: Partial<RecordCounts> } = {}): Promise<{ s: RunningSandbox; conn: SandboxConnection; state: HubSpotState }> {
  const s = await startSandbox(hubspotSandbox, { rateLimits: 'off', ...options, records: { ...BASE, ...options.records }, extras: { ...FAST_EXPORTS, ...options.extras } }, { port: 0 });
  const conn = await connectSandbox(hubspotCrm, s.url);
  return { s, conn, state: s.instance.ctx.state as HubSpotState };
}

async function paged(client: CrmApiClient, entity: EntityType, limit = 100): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100_000; guard++) {
    const page = await client.fetchRecords(entity, cursor, limit);
    out.push(...page.records);
    cursor = page.nextCursor;
    if (cursor === null) return out;
  }
  throw new Error('paging did not end');
}

function expectOnce(records: SourceRecord[], n: number): void {
  const ids = records.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(n);
}

async function stats(s: RunningSandbox): Promise<Json> {
  return (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json;
}

describe('HubSpot client: incremental reads through search', { timeout: 60_000 }, () => {
  it('re-windows before the 10,000-result cap: every record modified since a date, once, oldest first, with links', async () => {
    const { s, conn } = await sandbox({ records: { contacts: 12_000 } });
    try {
      const client = createTestClient(hubspotCrm, conn) as HubSpotApiClient;
      const all = await paged(client, 'contacts');
      const byId = new Map(all.map((r) => [r.id, r]));
      const read: SourceRecord[] = [];
      for await (const page of client.fetchModifiedSince('contacts', new Date(0))) read.push(...page);
      expectOnce(read, 12_000);
      const stamps = read.map((r) => Date.parse(r.updatedAt!));
      expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
      for (const r of read) expect(r.links).toEqual(byId.get(r.id)!.links);
      const st = await stats(s);
      expect(st.requests.byStatus['400'] ?? 0).toBe(0);
      expect(st.requests.byEndpoint['POST /crm/v3/objects/:objectType/search']).toBeGreaterThanOrEqual(60);

      const since = new Date(stamps[7_000]!);
      const recent: SourceRecord[] = [];
      for await (const page of client.fetchModifiedSince('contacts', since)) recent.push(...page);
      expectOnce(recent, all.filter((r) => Date.parse(r.updatedAt!) >= since.getTime()).length);
    } finally {
      await s.close();
    }
  });
});
