/**
 * Pipedrive (no bulk API: the largest pages are the bulk path):
 * (a) the sandbox serving 100,000 persons through `GET /api/v2/persons?limit=500` cursor pages, limits off, read with
 *     plain fetch (bytes only: records counted by a byte marker, the next cursor read from the tail);
 * (b) the client reading 100,000 contacts with bulkFetchRecords, limits off (zod-checked, normalised records);
 * (c) the client paging contacts under the realistic profile (Advanced plan: 160 requests / 2 s per token,
 *     300,000 tokens / day) for ~20 s after the first window's burst: achieved request rate as a fraction of the
 *     burst window's 80 requests/s ceiling, the binding window over 20 s. (Over a day the token budget binds
 *     instead: 300,000 / 10 tokens = 30,000 v2 pages, which full burst speed spends in ~6 minutes.)
 * `--quick` uses 20,000 persons and a 6-second window.
 */
import { startSandbox } from '../sandbox/common/index.js';
import { pipedriveSandbox } from '../sandbox/pipedrive/index.js';
import { pipedriveCrm } from '../src/crm/pipedrive/index.js';
import { connectSandbox, createTestClient } from '../test/helpers/sandbox-connection.js';
import { cpuSeconds, timeBulkRead } from './measure.js';
import type { BenchResult } from './types.js';

const NEXT = /"next_cursor":(null|"([^"]+)")\}\}$/;
const MARK = Buffer.from('"first_name":');

/** Persons on a page: one `"first_name":` each (bytes scanned natively, nothing decoded). */
function countPersons(buf: Buffer): number {
  let n = 0;
  for (let at = buf.indexOf(MARK); at >= 0; at = buf.indexOf(MARK, at + MARK.length)) n++;
  return n;
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const n = quick ? 20_000 : 100_000;
  const s = await startSandbox(pipedriveSandbox, { records: { contacts: n, accounts: 5_000, leads: 10, deals: 10, activities: 10 }, rateLimits: 'off' }, { port: 0 });
  try {
    const conn = await connectSandbox(pipedriveCrm, s.url);
    const auth = { authorization: `Bearer ${conn.tokens.accessToken}` };

    // (a) the sandbox's largest-page path, plain fetch. CPU time too: on a shared machine wall time mostly measures the neighbours.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let rows = 0;
    let cursor: string | null = null;
    do {
      const buf = Buffer.from(await (await fetch(`${s.url}/api/v2/persons?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth })).arrayBuffer());
      rows += countPersons(buf);
      const tail = buf.subarray(Math.max(0, buf.length - 300)).toString('latin1');
      const m = NEXT.exec(tail);
      if (!m) throw new Error(`unexpected page tail: ${tail}`);
      cursor = m[2] ?? null;
    } while (cursor);
    const aSec = (performance.now() - t0) / 1000;
    const aCpu = cpuSeconds(cpu0);
    if (rows !== n) throw new Error(`read ${rows} persons, expected ${n}`);

    // (b) the client's bulk path
    const { seconds: bSec, cpuSeconds: bCpu } = await timeBulkRead(createTestClient(pipedriveCrm, conn), 'contacts', n);

    // (c) realistic profile: spend the first window's burst, then measure the sustained rate. Small pages, so the
    // measure is the client's pacing against the window rather than this machine's JSON throughput.
    await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimits: 'realistic' }) });
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    const real = createTestClient(pipedriveCrm, conn, { budget: 'realistic' });
    const measureMs = quick ? 6_000 : 20_000;
    const warmEnd = performance.now() + 3_000;
    let page: string | null = null;
    let requests = 0;
    let measureStart = 0;
    for (;;) {
      const r = await real.fetchRecords('contacts', page, 20);
      page = r.nextCursor;
      const now = performance.now();
      if (measureStart === 0 && now >= warmEnd) measureStart = now;
      else if (measureStart > 0) requests++;
      if (page === null) throw new Error('ran out of contacts before the window ended; use more records');
      if (measureStart > 0 && now - measureStart >= measureMs) break;
    }
    const cSec = (performance.now() - measureStart) / 1000;
    const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { rejected: { byReason: Record<string, number> }; rateLimits: { windows: { policy: string; peak: number; limit: number }[] } };
    const burst = stats.rateLimits.windows.find((w) => w.policy === 'burst')!;
    const daily = stats.rateLimits.windows.find((w) => w.policy === 'daily')!;
    const rate = requests / cSec;
    return [
      {
        name: 'pipedrive sandbox: v2 persons pages of 500 (plain fetch)', value: Math.round(n / aSec), unit: 'records/s', target: '>= 20000',
        notes: `${n.toLocaleString('en-US')} persons in ${n / 500} pages; ${Math.round(n / aCpu).toLocaleString('en-US')} per CPU-second (sandbox + reader in one process)`,
      },
      {
        name: 'pipedrive client: bulkFetchRecords contacts', value: Math.round(n / bSec), unit: 'records/s', target: '>= 10000',
        notes: `${n.toLocaleString('en-US')} records, 500-record v2 pages, limits off; ${Math.round(n / bCpu).toLocaleString('en-US')} per CPU-second (sandbox + client in one process)`,
      },
      {
        name: 'pipedrive client: realistic profile, share of ceiling', value: Math.round((rate / 80) * 1000) / 1000, unit: 'fraction', target: '>= 0.9',
        notes: `${rate.toFixed(1)} req/s over ${cSec.toFixed(1)} s vs 160/2 s; burst peak ${burst.peak}/${burst.limit}; daily tokens ${daily.peak}/${daily.limit}; 429s ${stats.rejected.byReason.rate_limited ?? 0}`,
      },
    ];
  } finally {
    await s.close();
  }
}
