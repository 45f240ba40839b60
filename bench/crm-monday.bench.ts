/**
 * monday.com benchmarks (issue 3/5). The sandbox runs in a child process (as a real CRM is remote; the reader's
 * JSON parsing does not share its CPU):
 *   (a) the sandbox serving contacts through its largest page (items_page → next_items_page at 500, the
 *       client's own selection), read with plain fetch — records/s, aim ≥ 20,000;
 *   (b) the client reading them with bulkFetchRecords, limits off — records/s, aim ≥ 10,000;
 *   (c) the client under the realistic profile (Pro: 5,000,000 complexity points and 2,500 requests per
 *       minute, 10,000 calls a day) for 20 s, its windows scaled 6× shorter with the same rates so
 *       steady state is reached quickly (sandbox and client budget alike): achieved records/s in steady state
 *       as a fraction of the ceiling the binding window (complexity) allows — aim ≥ 0.9.
 * `--quick`: 20,000 contacts, and 8 s with windows 30× shorter for (c).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startSandbox, type SandboxOptions } from '../sandbox/common/index.js';
import { mondaySandbox } from '../sandbox/monday/index.js';
import { MemoryBudgetStore, WindowBudget } from '../src/crm/http/budget.js';
import { mondayCrm } from '../src/crm/monday/index.js';
import { complexity } from '../src/crm/monday/queries.js';
import type { RateWindow } from '../src/crm/types.js';
import { connectSandbox, createTestClient } from '../test/helpers/sandbox-connection.js';
import type { BenchResult } from './types.js';

const SERVE_FLAG = '--monday-bench-sandbox';
const CONTACTS_BOARD = '7300000102';

// Child mode: start the sandbox, print its URL, serve until killed.
if (process.argv.includes(SERVE_FLAG)) {
  const options = JSON.parse(process.argv[process.argv.indexOf(SERVE_FLAG) + 1] as string) as Partial<SandboxOptions>;
  const s = await startSandbox(mondaySandbox, options, { port: 0 });
  process.stdout.write(`${s.url}\n`);
}

async function sandboxProcess(options: Partial<SandboxOptions>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), SERVE_FLAG, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('http'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
  });
  return { url, child };
}

/** CPU seconds a process has used (Linux /proc; 0 elsewhere), to tell throughput from a busy machine's share of it. */
async function cpuSeconds(pid: number): Promise<number> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return 0;
  }
}

const ITEM = 'id name created_at updated_at group { title } column_values { id text ... on BoardRelationValue { linked_item_ids } ... on PeopleValue { value } ... on DateValue { value } ... on LinkValue { value } }';

async function servePlain(url: string, pid: number, token: string, n: number): Promise<BenchResult> {
  const post = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${url}/v2`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json', 'api-version': '2025-07' }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data: Record<string, { cursor: string | null; items: unknown[] }> & { boards?: { items_page: { cursor: string | null; items: unknown[] } }[] } };
  };
  const cpu0 = await cpuSeconds(pid);
  const t0 = performance.now();
  let page = (await post(`query ($b: [ID!]) { boards(ids: $b) { items_page(limit: 500) { cursor items { ${ITEM} } } } }`, { b: [CONTACTS_BOARD] })).data.boards![0]!.items_page;
  let read = page.items.length;
  while (page.cursor) {
    page = (await post(`query ($c: String!) { next_items_page(cursor: $c, limit: 500) { cursor items { ${ITEM} } } }`, { c: page.cursor })).data.next_items_page!;
    read += page.items.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (await cpuSeconds(pid)) - cpu0;
  if (read !== n) throw new Error(`read ${read} of ${n} contacts`);
  const perCpu = cpu > 0 ? `; ${Math.round(read / cpu).toLocaleString('en-US')} records per sandbox CPU-second` : '';
  return { name: 'monday sandbox: items_page/next_items_page at 500, plain fetch', value: Math.round(read / seconds), unit: 'records/s', target: '>= 20000', notes: `${n.toLocaleString('en-US')} contacts, limits off, sandbox in its own process${perCpu}` };
}

async function clientBulk(url: string, n: number): Promise<BenchResult> {
  const conn = await connectSandbox(mondayCrm, url);
  const client = createTestClient(mondayCrm, conn);
  await client.getRecordCount('contacts'); // board discovery out of the timing
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let read = 0;
  for await (const batch of client.bulkFetchRecords('contacts')) read += batch.records.length;
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  if (read !== n) throw new Error(`client read ${read} of ${n} contacts`);
  const perCpu = Math.round(read / ((c.user + c.system) / 1e6)).toLocaleString('en-US');
  return { name: 'monday client: bulkFetchRecords (pages of 500)', value: Math.round(read / seconds), unit: 'records/s', target: '>= 10000', notes: `${n.toLocaleString('en-US')} contacts, limits off; ${perCpu} records per client CPU-second` };
}

async function realistic(windowSeconds: number, quick: boolean): Promise<BenchResult> {
  const scale = quick ? 30 : 6; // Pro's one-minute windows become 10 s (2 s quick) ones with the same limits per second
  const windowMs = 60_000 / scale;
  const limits = { complexity: Math.floor(5_000_000 / scale), minute: Math.floor(2_500 / scale) };
  const { url, child } = await sandboxProcess({ records: { accounts: 500, contacts: 100_000, leads: 0, deals: 0, activities: 0 }, rateLimits: 'realistic', tokenTtlSeconds: null });
  try {
    await fetch(`${url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { complexity: { limit: limits.complexity, windowMs }, minute: { limit: limits.minute, windowMs } } }) });
    const windows: RateWindow[] = [
      { name: 'complexity', limit: limits.complexity, windowMs, unit: 'weight' },
      { name: 'minute', limit: limits.minute, windowMs, unit: 'requests' },
      { name: 'daily', limit: 10_000, windowMs: 86_400_000, unit: 'requests', quota: true },
    ];
    const conn = await connectSandbox(mondayCrm, url);
    const client = createTestClient(mondayCrm, conn, { budget: new WindowBudget({ crm: 'monday', key: 'bench', windows, store: new MemoryBudgetStore() }) });
    const columns = (await client.describeFields('contacts')).length - 1;
    await fetch(`${url}/_sandbox/reset`, { method: 'POST' });
    // The binding window: complexity. Each record of a 500-item page costs nextPage(500, C) / 500 points.
    const ceiling = limits.complexity / (windowMs / 1000) / (complexity.nextPage(500, columns) / 500);
    const t0 = performance.now();
    const steadyFrom = t0 + windowMs; // after the first window's burst allowance
    const end = t0 + windowSeconds * 1000;
    let steady = 0;
    let all = 0;
    for await (const batch of client.bulkFetchRecords('contacts')) {
      const now = performance.now();
      all += batch.records.length;
      if (now > steadyFrom) steady += batch.records.length;
      if (now >= end) break;
    }
    const elapsed = performance.now() - steadyFrom;
    const stats = (await (await fetch(`${url}/_sandbox/stats`)).json()) as { rejected: { total: number }; rateLimits: { windows: { policy: string; limit: number; peak: number }[] } };
    const peak = stats.rateLimits.windows.find((w) => w.policy === 'complexity')!;
    return {
      name: 'monday client: realistic profile, steady-state share of the ceiling',
      value: Number((steady / (elapsed / 1000) / ceiling).toFixed(3)),
      unit: 'fraction',
      target: '>= 0.9',
      notes: `binding window complexity ${limits.complexity.toLocaleString('en-US')}/${windowMs / 1000}s (= 5M/min); ceiling ${Math.round(ceiling)} records/s; ${all} records in ${windowSeconds}s${quick ? ' (quick)' : ''}; sandbox refusals ${stats.rejected.total}, complexity peak ${peak.peak.toLocaleString('en-US')} ≤ ${peak.limit.toLocaleString('en-US')}`,
    };
  } finally {
    child.kill();
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const n = quick ? 20_000 : 100_000;
  const { url, child } = await sandboxProcess({ records: { accounts: 500, contacts: n, leads: 0, deals: 0, activities: 0 }, rateLimits: 'off', tokenTtlSeconds: null });
  const results: BenchResult[] = [];
  try {
    const conn = await connectSandbox(mondayCrm, url);
    results.push(await servePlain(url, child.pid!, conn.tokens.accessToken, n));
    results.push(await clientBulk(url, n));
  } finally {
    child.kill();
  }
  results.push(await realistic(quick ? 8 : 20, quick));
  return results;
}
