/**
 * Salesforce: (a) the sandbox serving 100,000 contacts through Bulk API 2.0 (create, poll, CSV chunks of 50,000)
 * read with plain fetch, limits off; (b) the client reading them with bulkFetchRecords, limits off; (c) the client
 * under the realistic profile for a fixed window: the binding window is the rolling 24-hour API allocation, scaled
 * to seconds alike in the sandbox and the client's budget (110,000/day cannot bind in 20 s), three entity readers
 * sharing one budget; the figure is requests the sandbox admitted ÷ what the window allowed.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { MemoryBudgetStore, WindowBudget } from '../src/crm/http/budget.js';
import { salesforceCrm } from '../src/crm/salesforce/index.js';
import type { EntityType } from '../src/core/ids.js';
import type { RateWindow } from '../src/crm/types.js';
import { startSandbox } from '../sandbox/common/index.js';
import { salesforceSandbox } from '../sandbox/salesforce/index.js';
import { ORG_ID, sfId } from '../sandbox/salesforce/ids.js';
import { connectSandbox, createTestClient } from '../test/helpers/sandbox-connection.js';
import type { BenchResult } from './types.js';

const V = '/services/data/v62.0';
type Stats = { requests: { byEndpoint: Record<string, number> }; rejected: { byReason: Record<string, number> }; rateLimits: { windows: { policy: string; peak: number }[] } };

/** CPU seconds this process spent and records per CPU second, with the machine's load (shared 2-core machines). */
function cpuNote(since: NodeJS.CpuUsage, n: number): string {
  const u = process.cpuUsage(since);
  const secs = (u.user + u.system) / 1e6;
  return `${secs.toFixed(1)} CPU-s = ${Math.round(n / secs).toLocaleString('en-US')} records per CPU-s, load average ${loadavg()[0]!.toFixed(1)}`;
}

async function sandboxBulk(n: number): Promise<BenchResult> {
  const s = await startSandbox(salesforceSandbox, { rateLimits: 'off', records: { accounts: 2000, contacts: n, leads: 0, deals: 0, activities: 0 } });
  try {
    const store = s.instance.ctx.oauth;
    const code = store.issueCode({ clientId: 'sandbox-client-id', redirectUri: null, scope: 'api', subject: { userId: sfId('005', 0), orgId: ORG_ID } });
    const t = store.exchangeCode({ code, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: undefined });
    if (!t.ok) throw new Error(t.description);
    const h = { authorization: `Bearer ${t.accessToken}`, 'content-type': 'application/json' };
    // The client's own field list (every readable field plus Account.Name).
    const d = (await (await fetch(`${s.url}${V}/sobjects/Contact/describe`, { headers: h })).json()) as { fields: { name: string }[] };
    const query = `SELECT ${[...d.fields.map((f) => f.name), 'Account.Name'].join(', ')} FROM Contact`;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const job = (await (await fetch(`${s.url}${V}/jobs/query`, { method: 'POST', headers: h, body: JSON.stringify({ operation: 'query', query }) })).json()) as { id: string };
    for (;;) {
      const info = (await (await fetch(`${s.url}${V}/jobs/query/${job.id}`, { headers: h })).json()) as { state: string };
      if (info.state === 'JobComplete') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let rows = 0;
    let locator: string | null = null;
    do {
      const res: Response = await fetch(`${s.url}${V}/jobs/query/${job.id}/results?maxRecords=50000${locator ? `&locator=${locator}` : ''}`, { headers: h });
      // Consume the body as a stream (undici's arrayBuffer() costs more CPU than the sandbox producing it).
      let bytes = 0;
      for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) bytes += part.byteLength;
      if (bytes === 0) throw new Error('empty chunk');
      rows += Number(res.headers.get('sforce-numberofrecords'));
      locator = res.headers.get('sforce-locator');
    } while (locator !== 'null');
    if (rows !== n) throw new Error(`read ${rows} of ${n}`);
    const secs = (performance.now() - started) / 1000;
    return { name: 'sandbox: salesforce Bulk API 2.0 contacts (plain fetch)', value: Math.round(n / secs), unit: 'records/s', target: '>= 20000', notes: `${n.toLocaleString('en-US')} contacts, ${d.fields.length + 1} columns, incl. job create + poll (300 ms processing); ${cpuNote(cpu0, n)}` };
  } finally {
    await s.close();
  }
}

/** The sandbox in a child process, so the client's figure is the client's (one Node thread each, as in production). */
async function sandboxProcess(records: string): Promise<{ url: string; stop: () => void }> {
  const code = `
    import { startSandbox } from ${JSON.stringify(new URL('../sandbox/common/index.ts', import.meta.url).href)};
    import { salesforceSandbox } from ${JSON.stringify(new URL('../sandbox/salesforce/index.ts', import.meta.url).href)};
    const s = await startSandbox(salesforceSandbox, { rateLimits: 'off', records: ${records} });
    process.stdout.write(s.url + '\\n');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (c) => reject(new Error(`sandbox process exited with ${c}`)));
  });
  return { url, stop: () => void child.kill() };
}

async function clientBulk(n: number): Promise<BenchResult> {
  const sb = await sandboxProcess(`{ accounts: 2000, contacts: ${n}, leads: 0, deals: 0, activities: 0 }`);
  try {
    const conn = await connectSandbox(salesforceCrm, sb.url);
    const client = createTestClient(salesforceCrm, conn, { budget: 'off' });
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const seen = new Set<string>();
    for await (const b of client.bulkFetchRecords('contacts')) for (const r of b.records) seen.add(r.id);
    if (seen.size !== n) throw new Error(`read ${seen.size} of ${n}`);
    const secs = (performance.now() - started) / 1000;
    return { name: 'client: salesforce bulkFetchRecords contacts', value: Math.round(n / secs), unit: 'records/s', target: '>= 10000', notes: `${n.toLocaleString('en-US')} contacts via Bulk API 2.0, CSV streamed through csv-parse; sandbox in its own process; client ${cpuNote(cpu0, n)}` };
  } finally {
    sb.stop();
  }
}

async function realistic(seconds: number): Promise<BenchResult> {
  // The 24-hour allocation scaled to seconds: 4 requests/s keeps the run budget-bound, not CPU-bound, on a shared
  // 2-core machine. The budget's copy is 500 ms longer: requests reach the sandbox up to a few hundred ms after the
  // budget admits them when the machine is loaded, more than the shared layer's 200 ms margin for short windows.
  const daily = { limit: 40, windowMs: 10_000 };
  const s = await startSandbox(salesforceSandbox, { rateLimits: 'realistic', records: { accounts: 20_000, contacts: 20_000, leads: 20_000, deals: 0, activities: 0 } });
  try {
    const conn = await connectSandbox(salesforceCrm, s.url);
    await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { daily } }) });
    const windows: RateWindow[] = salesforceCrm.definition.limits.windows.map((w) => (w.name === 'daily' ? { ...w, limit: daily.limit, windowMs: daily.windowMs + 500 } : w));
    const budget = new WindowBudget({ crm: 'salesforce', key: 'bench', windows, store: new MemoryBudgetStore() });
    const client = createTestClient(salesforceCrm, conn, { budget });
    // Warm the describe cache outside the window, then start counting.
    for (const e of ['accounts', 'contacts', 'leads'] as EntityType[]) await client.describeFields(e);
    await new Promise((r) => setTimeout(r, daily.windowMs + 300));
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    const stopAt = Date.now() + seconds * 1000;
    // Requests are counted on arrival: a snapshot at the end of the window counts what arrived inside it.
    const snapshot = new Promise<Stats>((resolve) => setTimeout(() => void fetch(`${s.url}/_sandbox/stats`).then(async (r) => resolve((await r.json()) as Stats)), seconds * 1000));
    const reader = async (entity: EntityType) => {
      let cursor: string | null = null;
      while (Date.now() < stopAt) {
        const p = await client.fetchRecords(entity, cursor, 200);
        cursor = p.nextCursor;
      }
    };
    await Promise.all((['accounts', 'contacts', 'leads'] as EntityType[]).map(reader));
    const stats = await snapshot;
    const admitted = Object.entries(stats.requests.byEndpoint).filter(([k]) => k.includes('/services/data/')).reduce((a, [, v]) => a + v, 0);
    // A sliding window admits `limit` per `windowMs` from a fresh start: limit × ⌈T / W⌉ in T.
    const ceiling = daily.limit * Math.ceil((seconds * 1000) / daily.windowMs);
    const peak = stats.rateLimits.windows.find((w) => w.policy === 'daily')?.peak;
    return {
      name: 'client: salesforce realistic profile, share of the binding window', value: Math.round((admitted / ceiling) * 100) / 100, unit: 'fraction', target: '>= 0.9',
      notes: `${admitted} requests in ${seconds} s vs ${ceiling} allowed (daily window scaled to ${daily.limit}/${daily.windowMs / 1000} s); peak ${peak}/${daily.limit}, ${stats.rejected.byReason.quota ?? 0} refused`,
    };
  } finally {
    await s.close();
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const n = quick ? 20_000 : 100_000;
  return [await sandboxBulk(n), await clientBulk(n), await realistic(quick ? 10 : 20)];
}
