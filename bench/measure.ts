/** Timing helpers shared by the CRM benches. */
import type { CrmApiClient } from '../src/crm/types.js';
import type { EntityType } from '../src/core/ids.js';

/** CPU seconds (user + system) this process spent since `since`. */
export function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** Read an entity whole through the client's bulk path; wall and CPU seconds. Throws unless `expected` came back. */
export async function timeBulkRead(client: CrmApiClient, entity: EntityType, expected: number): Promise<{ seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  let got = 0;
  for await (const batch of client.bulkFetchRecords(entity)) got += batch.records.length;
  const seconds = (performance.now() - t) / 1000;
  const cpuSpent = cpuSeconds(cpu);
  if (got !== expected) throw new Error(`bulk read ${got} records, expected ${expected}`);
  return { seconds, cpuSeconds: cpuSpent };
}
