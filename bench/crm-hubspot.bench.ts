/**
 * HubSpot: (a) the sandbox serving 100,000 contacts through its export path (start, status, CSV download with the
 * client's full property list and company ids), limits off, read with plain fetch; (b) the client reading 100,000
 * contacts with bulkFetchRecords, limits off; (c) the client paging contacts under the realistic profile
 * (Professional: 190 requests / 10 s) for ~20 s after the first window's burst is spent: achieved request rate as a
 * fraction of the 19 requests/s ceiling. `--quick` uses 20,000 contacts and a 6-second window.
 */
import { startSandbox } from '../sandbox/common/index.js';
import { hubspotSandbox } from '../sandbox/hubspot/index.js';
import { hubspotCrm } from '../src/crm/hubspot/index.js';
import { connectSandbox, createTestClient } from '../test/helpers/sandbox-connection.js';
import { cpuSeconds, timeBulkRead } from './measure.js';
import type { BenchResult } from './types.js';

/** Counts CSV records (line ends outside quotes) without parsing fields. */
async function countCsvRecords(body: ReadableStream<Uint8Array>): Promise<number> {
  let lines = 0;
  let quoted = false;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    for (let k = 0; k < chunk.length; k++) {
      const b = chunk[k];
      if (b === 0x22) quoted = !quoted;
      else if (b === 0x0a && !quoted) lines++;
    }
  }
  return lines - 1; // header
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const n = quick ? 20_000 : 100_000;
  const s = await startSandbox(hubspotSandbox, { records: { contacts: n, accounts: 5_000, leads: 10, deals: 10, activities: 10 }, rateLimits: 'off', extras: { exportBaseMs: '0', exportMsPer1k: '0' } }, { port: 0 });
  try {
    const conn = await connectSandbox(hubspotCrm, s.url);
    const auth = { authorization: `Bearer ${conn.tokens.accessToken}`, 'content-type': 'application/json' };
    const props = ((await (await fetch(`${s.url}/crm/v3/properties/contacts`, { headers: auth })).json()) as { results: { name: string }[] }).results.map((p) => p.name);

    // (a) sandbox export path, plain fetch. CPU time is reported too: on a shared machine wall time mostly measures the neighbours.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const started = (await (await fetch(`${s.url}/crm/v3/exports/export/async`, {
      method: 'POST', headers: auth,
      body: JSON.stringify({ exportType: 'VIEW', format: 'CSV', exportName: 'bench', objectType: 'CONTACT', objectProperties: props, associatedObjectType: ['COMPANY'], exportInternalValuesOptions: ['NAMES', 'VALUES'] }),
    })).json()) as { id: string };
    let status: { status: string; result?: string } = { status: 'PENDING' };
    while (status.status !== 'COMPLETE') status = (await (await fetch(`${s.url}/crm/v3/exports/export/async/tasks/${started.id}/status`, { headers: auth })).json()) as typeof status;
    const res = await fetch(status.result!);
    const rows = await countCsvRecords(res.body!);
    const aSec = (performance.now() - t0) / 1000;
    const aCpu = cpuSeconds(cpu0);
    if (rows !== n) throw new Error(`export held ${rows} rows, expected ${n}`);

    // (b) client bulk path
    const { seconds: bSec, cpuSeconds: bCpu } = await timeBulkRead(createTestClient(hubspotCrm, conn), 'contacts', n);

    // (c) realistic profile: spend the first window's burst, then measure the sustained rate
    await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimits: 'realistic' }) });
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    const real = createTestClient(hubspotCrm, conn, { budget: 'realistic' });
    const measureMs = quick ? 6_000 : 20_000;
    let cursor: string | null = null;
    let requests = 0;
    const warmEnd = performance.now() + 10_000;
    let measureStart = 0;
    for (;;) {
      const page = await real.fetchRecords('contacts', cursor, 100);
      cursor = page.nextCursor ?? null;
      const now = performance.now();
      if (measureStart === 0 && now >= warmEnd) measureStart = now;
      else if (measureStart > 0) requests++;
      if (measureStart > 0 && now - measureStart >= measureMs) break;
    }
    const cSec = (performance.now() - measureStart) / 1000;
    const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { rejected: { byReason: Record<string, number> }; rateLimits: { windows: { policy: string; peak: number; limit: number }[] } };
    const burst = stats.rateLimits.windows.find((w) => w.policy === 'burst')!;
    const rate = requests / cSec;
    return [
      { name: 'hubspot sandbox: export of contacts (plain fetch)', value: Math.round(n / aSec), unit: 'records/s', target: '>= 20000', notes: `${n.toLocaleString('en-US')} rows, ${props.length} properties + company ids, start→last byte; ${Math.round(n / aCpu).toLocaleString('en-US')} per CPU-second (sandbox + reader in one process)` },
      { name: 'hubspot client: bulkFetchRecords contacts', value: Math.round(n / bSec), unit: 'records/s', target: '>= 10000', notes: `${n.toLocaleString('en-US')} records via the exports API, limits off; ${Math.round(n / bCpu).toLocaleString('en-US')} per CPU-second (sandbox + client in one process)` },
      {
        name: 'hubspot client: realistic profile, share of ceiling', value: Math.round((rate / 19) * 1000) / 1000, unit: 'fraction', target: '>= 0.9',
        notes: `${rate.toFixed(2)} req/s over ${cSec.toFixed(1)} s vs 190/10 s; peak ${burst.peak}/${burst.limit}; 429s ${stats.rejected.byReason.rate_limited ?? 0}`,
      },
    ];
  } finally {
    await s.close();
  }
}
