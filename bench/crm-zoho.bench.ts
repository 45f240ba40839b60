/**
 * Zoho CRM: (a) the sandbox serving 100,000 contacts through Bulk Read (create, poll, ZIP download with every
 * field), limits off, read with plain fetch; (b) the client reading 100,000 contacts with bulkFetchRecords (ZIP
 * inflated and CSV parsed as it downloads), limits off; (c) the client paging under the realistic profile with its
 * credits window shrunk from 55,000 per 24 h to 60 per 6 s (same mechanism, mirrored in the client's budget) for
 * 20 s after the first window's burst: credits achieved as a fraction of the 10 credits/s ceiling. Four readers
 * (contacts, accounts, leads, deals — as an import reads entities side by side) share one budget, well within
 * Zoho's 15 concurrent calls; one sequential reader would measure the machine's latency, not the budget.
 * The sandbox runs in its own process (`crm-migrate sandbox`), so client and sandbox each have a core; CPU seconds
 * are reported beside wall time because on a shared machine wall time also measures the neighbours.
 * `--quick`: 20,000 contacts and a 6-second window.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';
import { MemoryBudgetStore, WindowBudget } from '../src/crm/http/budget.js';
import type { RateWindow } from '../src/crm/types.js';
import { zohoCrm } from '../src/crm/zoho/index.js';
import { connectSandbox, createTestClient } from '../test/helpers/sandbox-connection.js';
import type { BenchResult } from './types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Child {
  url: string;
  proc: ChildProcess;
  cpuSeconds(): number;
  close(): Promise<void>;
}

/** Starts `crm-migrate sandbox --crm zoho …` and waits for its one "listening on" line. */
async function startChild(args: string[]): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'sandbox', '--crm', 'zoho', '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    proc.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening: ${out}`)));
  });
  const ticks = Number(process.env.CLK_TCK ?? 100);
  return {
    url,
    proc,
    cpuSeconds() {
      try {
        const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(f[11]) + Number(f[12])) / ticks; // utime + stime
      } catch {
        return Number.NaN;
      }
    },
    async close() {
      proc.kill('SIGTERM');
      if (proc.exitCode === null) await once(proc, 'exit');
    },
  };
}

function cpu(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

function zipCsvLines(buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.once('entry', (e: yauzl.Entry) =>
        zip.openReadStream(e, (err2, s) => {
          if (err2) return reject(err2);
          let lines = 0;
          let quoted = false;
          s.on('data', (c: Buffer) => {
            for (let k = 0; k < c.length; k++) {
              if (c[k] === 0x22) quoted = !quoted;
              else if (c[k] === 0x0a && !quoted) lines++;
            }
          });
          s.on('end', () => resolve(lines - 1));
        }),
      );
      zip.readEntry();
    }),
  );
}

const rate = (n: number, s: number) => Math.round(n / s);

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const n = quick ? 20_000 : 100_000;
  const results: BenchResult[] = [];
  const fast = ['--option', 'bulkQueueMs=0', '--option', 'bulkRecordsPerSecond=1000000000'];

  // (a) and (b): limits off.
  const off = await startChild(['--records', `contacts=${n},accounts=2000,leads=0,deals=0,activities=0`, '--rate-limits', 'off', ...fast]);
  try {
    const conn = await connectSandbox(zohoCrm, off.url);
    const h = { authorization: `Zoho-oauthtoken ${conn.tokens.accessToken}`, 'content-type': 'application/json' };
    // Warm the sandbox (module code, field tables) with a small request outside the timings.
    await fetch(`${off.url}/crm/v8/Contacts?fields=Last_Name&per_page=1`, { headers: h });

    const sandboxCpu0 = off.cpuSeconds();
    const t0 = performance.now();
    const created = (await (await fetch(`${off.url}/crm/bulk/v8/read`, { method: 'POST', headers: h, body: JSON.stringify({ query: { module: { api_name: 'Contacts' } } }) })).json()) as { data: { details: { id: string } }[] };
    const id = created.data[0]!.details.id;
    let job: { state: string; result?: { count: number; download_url: string } } = { state: 'ADDED' };
    while (job.state !== 'COMPLETED') job = ((await (await fetch(`${off.url}/crm/bulk/v8/read/${id}`, { headers: h })).json()) as { data: (typeof job)[] }).data[0]!;
    const zip = Buffer.from(await (await fetch(off.url + job.result!.download_url, { headers: h })).arrayBuffer());
    const aSec = (performance.now() - t0) / 1000;
    const aCpu = off.cpuSeconds() - sandboxCpu0;
    const rows = await zipCsvLines(zip);
    if (rows !== n || job.result!.count !== n) throw new Error(`bulk result held ${rows} rows (count ${job.result!.count}), expected ${n}`);
    results.push({
      name: 'zoho sandbox: Bulk Read, plain fetch', value: rate(n, aSec), unit: 'records/s', target: '>= 20000',
      notes: `${n.toLocaleString('en-US')} contacts, all ${26} fields + id, ZIP ${(zip.length / 1e6).toFixed(1)} MB in ${aSec.toFixed(2)} s; sandbox CPU ${aCpu.toFixed(2)} s (${rate(n, aCpu)} records per CPU-second)`,
    });

    const client = createTestClient(zohoCrm, conn);
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    const seen = new Set<string>();
    for await (const batch of client.bulkFetchRecords('contacts')) for (const r of batch.records) seen.add(r.id);
    const bSec = (performance.now() - t1) / 1000;
    const bCpu = cpu(cpu1);
    if (seen.size !== n) throw new Error(`client read ${seen.size} contacts, expected ${n}`);
    results.push({
      name: 'zoho client: bulkFetchRecords, limits off', value: rate(n, bSec), unit: 'records/s', target: '>= 10000',
      notes: `${n.toLocaleString('en-US')} contacts in ${bSec.toFixed(2)} s (create, poll, streamed ZIP → csv-parse → SourceRecord); client CPU ${bCpu.toFixed(2)} s (${rate(n, bCpu)} records per CPU-second)`,
    });
  } finally {
    await off.close();
  }

  // (c) realistic profile, credits window shrunk, mirrored in the budget.
  const limit = 60;
  const windowMs = 6_000;
  const measureMs = quick ? 6_000 : 20_000;
  const real = await startChild(['--records', 'contacts=20000,accounts=20000,leads=20000,deals=20000,activities=0', '--rate-limits', 'realistic']);
  try {
    await fetch(`${real.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { credits: { limit, windowMs } } }) });
    const windows: RateWindow[] = [
      { name: 'credits', limit, windowMs, unit: 'weight', quota: true },
      { name: 'bulk-download', limit: 10, windowMs: 60_000, unit: 'requests', appliesTo: 'bulk-download' },
    ];
    const conn = await connectSandbox(zohoCrm, real.url);
    const client = createTestClient(zohoCrm, conn, { budget: new WindowBudget({ crm: 'zoho', key: 'bench', windows, store: new MemoryBudgetStore() }) });
    const listRequests = async () => ((await (await fetch(`${real.url}/_sandbox/stats`)).json()) as { requests: { byEndpoint: Record<string, number> } }).requests.byEndpoint['GET /crm/v8/:module'] ?? 0;
    const end = performance.now() + windowMs + measureMs + 500;
    let startCount = 0;
    let stopCount = 0;
    const marks = (async () => {
      await new Promise((r) => setTimeout(r, windowMs));
      startCount = await listRequests();
      await new Promise((r) => setTimeout(r, measureMs));
      stopCount = await listRequests();
    })();
    const reader = async (entity: 'contacts' | 'accounts' | 'leads' | 'deals') => {
      let cursor: string | null = null;
      while (performance.now() < end) cursor = (await client.fetchRecords(entity, cursor, 200)).nextCursor;
    };
    await Promise.all([reader('contacts'), reader('accounts'), reader('leads'), reader('deals'), marks]);
    const stats = (await (await fetch(`${real.url}/_sandbox/stats`)).json()) as { rejected: { byReason: Record<string, number> }; rateLimits: { windows: { policy: string; peak: number; limit: number }[] } };
    const achieved = stopCount - startCount;
    const ceiling = (limit / windowMs) * measureMs;
    const peak = stats.rateLimits.windows.find((w) => w.policy === 'credits')!;
    results.push({
      name: 'zoho client: realistic profile, share of the ceiling', value: Math.round((achieved / ceiling) * 1000) / 1000, unit: 'fraction', target: '>= 0.9',
      notes: `credits window 55,000/24 h shrunk to ${limit}/${windowMs / 1000} s (binding), 4 readers: ${achieved} list calls (1 credit each) in ${measureMs / 1000} s after a ${windowMs / 1000} s warm-up, ceiling ${ceiling}; peak ${peak.peak}/${peak.limit}; 429s: ${(stats.rejected.byReason.quota ?? 0) + (stats.rejected.byReason.rate_limited ?? 0) + (stats.rejected.byReason.concurrency ?? 0)}`,
    });
  } finally {
    await real.close();
  }
  return results;
}
