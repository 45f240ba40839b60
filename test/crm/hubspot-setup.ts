/** A HubSpot sandbox connected as the product connects, and the readers the HubSpot client tests share. */
import { expect } from 'vitest';
import { startSandbox, type RecordCounts, type RunningSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { hubspotSandbox } from '../../sandbox/hubspot/index.js';
import type { HubSpotState } from '../../sandbox/hubspot/state.js';
import { hubspotCrm } from '../../src/crm/hubspot/index.js';
import type { CrmApiClient, SourceRecord } from '../../src/crm/types.js';
import type { EntityType } from '../../src/core/ids.js';
import { connectSandbox, type SandboxConnection } from '../helpers/sandbox-connection.js';
import { readBulk, readPaged } from '../helpers/read-all.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FAST_EXPORTS = { exportBaseMs: '20', exportMsPer1k: '0' };
export const BASE = { accounts: 40, contacts: 100, deals: 60, leads: 10, activities: 150 };

export async function sandbox(options: Omit<Partial<SandboxOptions>, 'records'> & { records?: Partial<RecordCounts> } = {}): Promise<{ s: RunningSandbox; conn: SandboxConnection; state: HubSpotState }> {
  const s = await startSandbox(hubspotSandbox, { rateLimits: 'off', ...options, records: { ...BASE, ...options.records }, extras: { ...FAST_EXPORTS, ...options.extras } }, { port: 0 });
  const conn = await connectSandbox(hubspotCrm, s.url);
  return { s, conn, state: s.instance.ctx.state as HubSpotState };
}

export const paged = (client: CrmApiClient, entity: EntityType, limit = 100) => readPaged(client, entity, limit);

export const bulk = (client: CrmApiClient, entity: EntityType, resume?: string | null) => readBulk(client, entity, resume);

export function expectOnce(records: SourceRecord[], n: number): void {
  const ids = records.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(n);
}

export async function stats(s: RunningSandbox): Promise<Json> {
  return (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json;
}
