/** The Salesforce client against a fresh sandbox, and the readers its client tests share. */
import { expect } from 'vitest';
import type { EntityType } from '../../src/core/ids.js';
import { salesforceCrm } from '../../src/crm/salesforce/index.js';
import type { CrmApiClient, SourceRecord } from '../../src/crm/types.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { salesforceSandbox } from '../../sandbox/salesforce/index.js';
import { connectSandbox, createTestClient, type SandboxConnection, type TestClientOptions } from '../helpers/sandbox-connection.js';

export interface Setup {
  s: RunningSandbox;
  conn: SandboxConnection;
  client: CrmApiClient;
  post(path: string, body?: unknown): Promise<unknown>;
  stats(): Promise<Stats>;
  close(): Promise<void>;
}
export interface Stats {
  requests: { total: number; byEndpoint: Record<string, number> };
  rejected: { byReason: Record<string, number> };
  faults: { injected: number };
  rateLimits: { windows: { policy: string; limit: number; peak: number }[] };
}

export async function setup(records: Partial<SandboxOptions['records']>, options: Partial<SandboxOptions> = {}, client: TestClientOptions = {}): Promise<Setup> {
  const s = await startSandbox(salesforceSandbox, {
    rateLimits: 'off', ...options,
    extras: { bulkProcessingMs: '100', ...options.extras },
    records: { accounts: 40, contacts: 0, leads: 0, deals: 0, activities: 0, ...records },
  });
  const conn = await connectSandbox(salesforceCrm, s.url);
  const post = async (path: string, body: unknown = {}) => (await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  return {
    s, conn, post,
    client: createTestClient(salesforceCrm, conn, { budget: 'off', ...client }),
    stats: async () => (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Stats,
    close: () => s.close(),
  };
}

export async function pageAll(client: CrmApiClient, entity: EntityType, limit = 2000, between?: (page: number) => Promise<void>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  let cursor: string | null = null;
  let page = 0;
  do {
    const p = await client.fetchRecords(entity, cursor, limit);
    out.push(...p.records);
    cursor = p.nextCursor;
    if (cursor && between) await between(++page);
  } while (cursor);
  return out;
}

export async function bulkAll(client: CrmApiClient, entity: EntityType, resume?: string | null, between?: (batch: number) => Promise<void>) {
  const out: SourceRecord[] = [];
  const resumes: (string | null)[] = [];
  let n = 0;
  for await (const b of client.bulkFetchRecords(entity, { resume })) {
    out.push(...b.records);
    resumes.push(b.resume);
    if (between) await between(++n);
  }
  return { records: out, resumes };
}

export const idsOf = (rs: SourceRecord[]) => rs.map((r) => r.id);
export function expectEachOnce(rs: SourceRecord[], n: number): void {
  const ids = idsOf(rs);
  expect(ids.length).toBe(n);
  expect(new Set(ids).size).toBe(n);
}
