/**
 * The import's throughput and memory (issue 7):
 *   - a 1,000,000-row CSV of contacts generated on the fly, imported on PostgreSQL (aim ≥ 20,000 rows/s) and on
 *     PGlite, with PostgreSQL's own COPY of the same file into a comparable table as the ceiling;
 *   - 100,000 contacts from each CRM sandbox with rate limits off (aim ≥ 5,000 records/s);
 *   - peak RSS of a worker process importing 10,000 vs 1,000,000 rows (aim: flat, < 300 MB).
 * Runs go through the product's own path — upload inspection, mapping, the runner's slices with a checkpoint per
 * batch — with the runner called directly (no queue polling in the measurement). PostgreSQL: TEST_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test); a scratch database is created and dropped per measurement.
 * CM_BENCH_BATCH=<n> overrides the batch size (the default depends on the database: src/core/import/options.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/context.js';
import { CRM_IDS, type CrmId } from '../src/core/ids.js';
import { createLogger } from '../src/logger.js';
import { defaultRunnerSettings, runSlice } from '../src/import/runner.js';
import type { Scheduler } from '../src/import/scheduler.js';
import { formatKeyring, generateKey } from '../src/security/keyring.js';
import { buildApp } from '../src/server/app.js';
import { signup, type AuthContext } from '../src/services/auth-service.js';
import { acceptUpload, receiveFile } from '../src/services/import-upload-service.js';
import { getMigration, startApiImport, startCsvImport } from '../src/services/migration-service.js';
import { decideOnConsentPage } from '../test/helpers/consent.js';
import type { BenchResult } from './types.js';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const noScheduler: Scheduler = { trigger: async () => undefined, ensureSweep: async () => undefined };

// ---------------------------------------------------------------- data

const FIRST = ['Ada', 'Alan', 'Grace', 'Zoë', 'José', 'Łukasz', 'Ольга', '王', 'Chloé', 'Maximilian'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Müller', "O'Brien", 'García', 'Nakamura', 'Schmidt', 'Dubois', 'Kowalski'];
const CITY = ['Berlin', 'Paris', 'São Paulo', 'New York', 'Tokyo', 'London'];
const COUNTRY = ['Germany', 'France', 'Brazil', 'United States', 'Japan', 'UK'];
const HEADER = 'Id,First Name,Last Name,Email,Phone,Company,Title,City,Country,Created';

/** A contacts CSV of n rows, streamed to disk (never held in memory). */
async function writeContactsCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADER}\n`);
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const f = FIRST[i % FIRST.length]!;
    const l = LAST[(i * 7) % LAST.length]!;
    chunk += `C${i},${f},"${l}",person.${i}@example${i % 97}.com,+1 415 555 ${String(1000 + (i % 9000))},"Company ${i % 5000}, Inc.",Engineer,${CITY[i % CITY.length]},${COUNTRY[i % COUNTRY.length]},2023-0${(i % 9) + 1}-1${i % 10}T10:00:00Z\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

const CSV_MAPPING = [
  { sourceField: 'Id', targetField: 'externalId' },
  { sourceField: 'First Name', targetField: 'firstName' },
  { sourceField: 'Last Name', targetField: 'lastName' },
  { sourceField: 'Email', targetField: 'email', transform: { kind: 'lowercaseEmail' } },
  { sourceField: 'Phone', targetField: 'phone', transform: { kind: 'phoneE164', defaultCountry: 'US' } },
  { sourceField: 'Company', targetField: null, keepAsCustom: true },
  { sourceField: 'Title', targetField: 'title' },
  { sourceField: 'City', targetField: 'city' },
  { sourceField: 'Country', targetField: 'country', transform: { kind: 'country' } },
  { sourceField: 'Created', targetField: 'sourceCreatedAt' },
];

// ---------------------------------------------------------------- databases and contexts

async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cm_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function benchContext(dataDir: string, databaseUrl: string | undefined, env: Record<string, string> = {}): Promise<AppContext> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ENCRYPTION_KEYS: formatKeyring([generateKey('bench1')]),
    DEMO_SANDBOXES: 'false',
    WEB_DIST_DIR: join(dataDir, 'no-web'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  return createContext(config, { startQueue: false, logger: createLogger({ level: 'silent' }), ...(databaseUrl ? {} : {}) });
}

async function owner(ctx: AppContext): Promise<AuthContext> {
  const s = await signup(ctx.db, { email: `bench-${randomBytes(3).toString('hex')}@example.com`, password: 'correct horse battery', organizationName: 'Bench' }, 24);
  return { userId: s.user.id, email: s.user.email, organizationId: s.organization.id, organizationName: 'Bench', role: 'OWNER', via: 'token', credentialHash: 'bench' };
}

/** Seconds spent mapping and committing batches (the runner's histogram). */
async function commitSeconds(ctx: AppContext): Promise<number> {
  const metric = await ctx.metrics.getSingleMetric('crm_migrate_import_batch_duration_seconds')?.get();
  return (metric?.values ?? []).filter((v) => (v as { metricName?: string }).metricName?.endsWith('_sum')).reduce((n, v) => n + v.value, 0);
}

/** Run a migration to its end in this process, slice after slice. */
async function runToEnd(ctx: AppContext, migrationId: string): Promise<void> {
  const settings = defaultRunnerSettings(ctx, { sliceMs: 24 * 3600_000, workerId: 'bench' });
  for (let i = 0; i < 1000; i++) {
    const outcome = await runSlice(ctx, migrationId, settings, noScheduler);
    if (outcome === 'finished') return;
    if (outcome === 'busy' || outcome === 'stopped') throw new Error(`slice ${outcome}`);
    if (outcome === 'paused' || outcome === 'queued') throw new Error(`run ${outcome}`);
  }
}

interface CsvRun {
  rows: number;
  inspectMs: number;
  importMs: number;
  created: number;
  status: string;
}

async function importCsv(ctx: AppContext, file: string, rows: number): Promise<CsvRun> {
  const auth = await owner(ctx);
  const t0 = performance.now();
  const upload = await acceptUpload(ctx, auth, await receiveFile(ctx, auth, 'contacts.csv', createReadStream(file)), 'contacts');
  const inspectMs = performance.now() - t0;
  const { migrationId } = await startCsvImport(ctx, auth, { uploadId: upload.uploadId, entityType: 'contacts', fieldMappings: CSV_MAPPING as never, options: { notify: 'never', ...(process.env.CM_BENCH_BATCH ? { batchSize: Number(process.env.CM_BENCH_BATCH) } : {}) } });
  const t1 = performance.now();
  await runToEnd(ctx, migrationId);
  const importMs = performance.now() - t1;
  const m = await getMigration(ctx, auth, migrationId);
  if (m.counts.created !== rows) throw new Error(`imported ${m.counts.created} of ${rows} (${m.status}: ${JSON.stringify(m.reconciliation?.issues)})`);
  return { rows, inspectMs, importMs, created: m.counts.created, status: m.status };
}

// ---------------------------------------------------------------- measurements

async function csvOnPostgres(file: string, rows: number): Promise<BenchResult[]> {
  const db = await scratchDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'cm-bench-'));
  const ctx = await benchContext(dir, db.url);
  try {
    const r = await importCsv(ctx, file, rows);
    return [
      { name: `import: CSV ${rows.toLocaleString('en-US')} contacts (PostgreSQL)`, value: Math.round(rows / (r.importMs / 1000)), unit: 'rows/s', target: '>= 20000', notes: `${(r.importMs / 1000).toFixed(1)} s (${(await commitSeconds(ctx)).toFixed(1)} s committing); mapped, validated (e-mail, E.164 phone, country, date), upserted, checkpointed per batch (${process.env.CM_BENCH_BATCH ?? 'default'} rows: 5,000 on PostgreSQL)` },
      { name: `import: CSV inspection ${rows.toLocaleString('en-US')} rows`, value: Math.round(rows / (r.inspectMs / 1000)), unit: 'rows/s', notes: 'upload streamed to disk, encoding/delimiter/row count, suggestions' },
    ];
  } finally {
    await ctx.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function copyCeiling(file: string, rows: number): Promise<BenchResult> {
  const db = await scratchDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`create table copy_contacts (id text, first_name text, last_name text, email text, phone text, company text, title text, city text, country text, created timestamptz)`);
    await client.query('create unique index on copy_contacts (id)');
    await client.query('create index on copy_contacts (lower(email))');
    await chmod(file, 0o644);
    const t0 = performance.now();
    await client.query(`copy copy_contacts from '${file.replace(/'/g, "''")}' with (format csv, header true)`);
    const ms = performance.now() - t0;
    return { name: `import: PostgreSQL COPY of the same ${rows.toLocaleString('en-US')} rows (ceiling)`, value: Math.round(rows / (ms / 1000)), unit: 'rows/s', notes: 'server-side COPY into a plain table with a unique and an e-mail index; no mapping, validation or links' };
  } finally {
    await client.end();
    await db.drop();
  }
}

async function csvOnPglite(file: string, rows: number): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'cm-bench-'));
  const ctx = await benchContext(dir, undefined);
  try {
    const r = await importCsv(ctx, file, rows);
    return { name: `import: CSV ${rows.toLocaleString('en-US')} contacts (PGlite)`, value: Math.round(rows / (r.importMs / 1000)), unit: 'rows/s', notes: `${(r.importMs / 1000).toFixed(1)} s; embedded database, same path` };
  } finally {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Peak RSS of a separate worker process importing `rows` rows on PostgreSQL. */
async function rssInChild(rows: number, heapMb?: number): Promise<{ maxRssMb: number; rowsPerSec: number }> {
  const script = fileURLToPath(import.meta.url);
  const flags = heapMb ? [`--max-old-space-size=${heapMb}`] : [];
  const proc = spawn(process.execPath, [...flags, '--import', 'tsx', script], { env: { ...process.env, CM_IMPORT_BENCH_CHILD: String(rows) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`child exited ${code}: ${out}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as { maxRssMb: number; rowsPerSec: number };
}

async function childMain(rows: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cm-bench-child-'));
  const file = join(dir, 'contacts.csv');
  await writeContactsCsv(file, rows);
  const db = await scratchDatabase();
  const ctx = await benchContext(dir, db.url);
  try {
    const r = await importCsv(ctx, file, rows);
    process.stdout.write(`${JSON.stringify({ maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rowsPerSec: Math.round(rows / (r.importMs / 1000)) })}\n`);
  } finally {
    await ctx.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A CRM sandbox in its own process (as a real CRM is elsewhere): `crm-migrate sandbox`. */
async function sandboxProcess(crm: CrmId, contacts: number): Promise<{ url: string; close(): Promise<void> }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const args = ['--import', 'tsx', 'src/cli.ts', 'sandbox', '--crm', crm, '--records', `accounts=50,contacts=${contacts},leads=5,deals=5,activities=5`, '--rate-limits', 'off'];
  if (crm === 'monday') args.push('--option', 'oauthFlow=2.1');
  const proc = spawn(process.execPath, args, { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
  });
  return {
    url,
    async close() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

/** 100,000 contacts from one CRM's sandbox through the app's own connection and mapping, limits off. */
async function crmImport(crm: CrmId, contacts: number): Promise<BenchResult> {
  const sandbox = await sandboxProcess(crm, contacts);
  const db = await scratchDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'cm-bench-'));
  const ctx = await benchContext(dir, db.url, { [`${crm.toUpperCase()}_SANDBOX_URL`]: sandbox.url });
  const app = await buildApp(ctx);
  await app.ready();
  try {
    const signed = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email: `bench-${crm}@example.com`, password: 'correct horse battery', organizationName: 'Bench' } });
    const body = signed.json();
    const cookie = `cm_session=${signed.cookies.find((c) => c.name === 'cm_session')!.value}`;
    const as = (opts: InjectOptions) => app.inject({ ...opts, headers: { cookie, 'x-csrf-token': body.csrfToken } });
    const authUrl = (await as({ method: 'GET', url: `/api/crm-integrations/${crm}/authorize` })).json().authUrl as string;
    const back = await decideOnConsentPage(authUrl, 'allow');
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie } });
    const connectionId = new URL(cb.headers.location as string, 'http://x').searchParams.get('connectionId')!;
    await as({ method: 'PATCH', url: `/api/crm-integrations/connections/${connectionId}`, payload: { syncSettings: { rateLimits: 'off' } } });
    const fields = (await as({ method: 'GET', url: `/api/import-export/crm-fields?connectionId=${connectionId}&entityType=contacts` })).json().fields as Array<{ name: string; label: string; type: string }>;
    const suggested = (await as({ method: 'POST', url: '/api/import-export/suggest-mapping', payload: { entityType: 'contacts', crmType: crm, sourceFields: fields.map((f) => ({ name: f.name, label: f.label, type: f.type })) } })).json().mappings as Array<{ targetField: string | null }>;
    const auth: AuthContext = { userId: body.user.id, email: body.user.email, organizationId: body.organization.id, organizationName: 'Bench', role: 'OWNER', via: 'token', credentialHash: 'bench' };
    const { migrationId } = await startApiImport(ctx, auth, { connectionId, entityType: 'contacts', fieldMappings: suggested.map((m) => (m.targetField === null ? { ...m, keepAsCustom: true } : m)) as never, options: { notify: 'never' } });
    const t0 = performance.now();
    await runToEnd(ctx, migrationId);
    const ms = performance.now() - t0;
    const m = await getMigration(ctx, auth, migrationId);
    if (m.counts.created !== contacts) throw new Error(`${crm}: imported ${m.counts.created} of ${contacts} (${m.status}: ${m.error ?? JSON.stringify(m.reconciliation?.issues)})`);
    const strategy = (m.plan?.entities as Array<{ strategy?: string }> | undefined)?.[0]?.strategy ?? '?';
    const commits = await commitSeconds(ctx);
    return { name: `import: ${crm} ${contacts.toLocaleString('en-US')} contacts (Direct API)`, value: Math.round(contacts / (ms / 1000)), unit: 'records/s', target: '>= 5000', notes: `${(ms / 1000).toFixed(1)} s (${commits.toFixed(1)} s committing batches), ${strategy} strategy, sandbox in its own process with limits off, PostgreSQL` };
  } finally {
    await app.close();
    await ctx.close();
    await sandbox.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** IMPORT_BENCH_ONLY=csv|rss|crm (or a CRM id) runs one part. */
export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const only = process.env.IMPORT_BENCH_ONLY;
  const want = (part: string) => !only || only === part || (part === 'crm' && (CRM_IDS as readonly string[]).includes(only));
  const results: BenchResult[] = [];
  if (want('csv')) {
    const dir = await mkdtemp(join(tmpdir(), 'cm-bench-csv-'));
    await chmod(dir, 0o755); // the PostgreSQL server reads the file for COPY
    try {
      const big = quick ? 50_000 : 1_000_000;
      const file = join(dir, 'contacts.csv');
      await writeContactsCsv(file, big);
      results.push(...(await csvOnPostgres(file, big)));
      results.push(await copyCeiling(file, big).catch((err: Error) => ({ name: 'import: PostgreSQL COPY (ceiling)', value: 0, unit: 'rows/s', notes: `not measured: ${err.message}` })));
      if (quick) {
        const smaller = join(dir, 'contacts-small.csv');
        await writeContactsCsv(smaller, 20_000);
        results.push(await csvOnPglite(smaller, 20_000));
      } else results.push(await csvOnPglite(file, big));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (want('rss')) {
    const small = quick ? 5_000 : 10_000;
    const large = quick ? 50_000 : 1_000_000;
    // Node's defaults let V8 grow its old space lazily on a large machine, so an uncapped RSS says more about the
    // garbage collector's appetite than about what the import holds; the capped runs show what it needs. The
    // child runs the TypeScript sources through tsx (its compiler is part of the baseline).
    const HEAP_MB = 128;
    for (const heap of [undefined, HEAP_MB]) {
      const a = await rssInChild(small, heap);
      const b = await rssInChild(large, heap);
      const how = heap ? `, V8 old space capped at ${heap} MB (--max-old-space-size)` : ', Node defaults';
      results.push({ name: `import: worker peak RSS, ${small.toLocaleString('en-US')} rows${heap ? ` (heap ${heap} MB)` : ''}`, value: a.maxRssMb, unit: 'MB', target: '< 300', notes: `separate process, PostgreSQL${how}, ${a.rowsPerSec.toLocaleString('en-US')} rows/s` });
      results.push({ name: `import: worker peak RSS, ${large.toLocaleString('en-US')} rows${heap ? ` (heap ${heap} MB)` : ''}`, value: b.maxRssMb, unit: 'MB', target: '< 300, flat', notes: `separate process, PostgreSQL${how}, ${b.rowsPerSec.toLocaleString('en-US')} rows/s` });
    }
  }
  for (const crm of CRM_IDS) {
    if (!want('crm') || (only && only !== 'crm' && only !== crm)) continue;
    results.push(await crmImport(crm, quick ? 10_000 : 100_000).catch((err: Error) => ({ name: `import: ${crm} contacts (Direct API)`, value: 0, unit: 'records/s', target: '>= 5000', notes: `failed: ${err.message.slice(0, 200)}` })));
  }
  return results;
}

if (process.env.CM_IMPORT_BENCH_CHILD) {
  await childMain(Number(process.env.CM_IMPORT_BENCH_CHILD));
  process.exit(0);
}
