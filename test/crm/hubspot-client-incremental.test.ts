/**
 * The HubSpot client's incremental read (search on the last-modified property) against the sandbox: more than
 * 10,000 matches force a re-window before the search cap; records come once, oldest first, with their links.
 */
import { describe, expect, it } from 'vitest';
import { hubspotCrm } from '../../src/crm/hubspot/index.js';
import type { SourceRecord } from '../../src/crm/types.js';
import type { HubSpotApiClient } from '../../src/crm/hubspot/client.js';
import { createTestClient } from '../helpers/sandbox-connection.js';
import { expectOnce, paged, sandbox, stats } from './hubspot-setup.js';

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
