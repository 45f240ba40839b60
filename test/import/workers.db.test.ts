/**
 * Workers sharing runs. On PostgreSQL with real processes: two worker processes (test/import/fixtures/worker.ts)
 * share the queue and never work on the same run at once, and one SIGKILLed mid-run leaves a run the other
 * resumes from its checkpoint to the exact count, nothing lost, nothing written twice. On the embedded database
 * (one process by nature) the same properties with two worker pools in this process, and a worker frozen
 * mid-run (its database calls never return, like a hung process) instead of a killed one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { defaultRunnerSettings, runSlice, type SliceOutcome } from '../../src/import/runner.js';
import { queueScheduler } from '../../src/import/scheduler.js';
import { startWorkers } from '../../src/jobs/workers.js';
import { createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVER } from '../helpers/db.js';
import { loggedImportJobs, overlaps, type SliceLog } from './fixtures/logged-jobs.js';
import { getRun, startCsv, uploadCsv, waitForRun } from './helpers.js';

const LEASE_MS = 3000;
const postgres = TEST_DRIVER === 'postgres';
let t: TestApp;
let s: Session;
const logs: SliceLog[] = [];

interface Child {
  name: string;
  proc: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
}
const children: Child[] = [];

function spawnWorker(name: string): Child {
  const script = resolve(import.meta.dirname, 'fixtures/worker.ts');
  const proc = spawn(process.execPath, ['--import', 'tsx', script, name], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: t.config.databaseUrl!.reveal(),
      ENCRYPTION_KEYS: t.config.encryptionKeys!.reveal(),
      DATA_DIR: t.dataDir,
      DEMO_SANDBOXES: 'false',
      LEASE_MS: String(LEASE_MS),
      SLICE_MS: '700',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    try {
      const msg = JSON.parse(line) as { ev: string } & SliceLog;
      if (msg.ev === 'ready') markReady();
      if (msg.ev === 'slice') logs.push(msg);
    } catch {
      // not ours
    }
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const child = { name, proc, ready, exited };
  children.push(child);
  return child;
}

async function startPool(name: string) {
  await startWorkers(t.ctx, { concurrency: 2, schedule: false }, loggedImportJobs(name, { leaseMs: LEASE_MS, heartbeatMs: 500, sliceMs: 700, sweepEverySeconds: 1, retryBaseMs: 200 }, (e) => logs.push(e)));
}

beforeAll(async () => {
  t = await createTestApp({ startQueue: true });
  s = await signup(t.app);
  if (postgres) {
    spawnWorker('W1');
    spawnWorker('W2');
    await Promise.all(children.map((c) => c.ready));
  } else {
    await startPool('P1');
    await startPool('P2');
  }
}, 180_000);

afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGTERM');
  await Promise.all(children.map((c) => Promise.race([c.exited, new Promise((r) => setTimeout(r, 10_000))])));
  await t?.close();
}, 60_000);

const mapping = [
  { sourceField: 'First Name', targetField: 'firstName' },
  { sourceField: 'Last Name', targetField: 'lastName' },
  { sourceField: 'Email', targetField: 'email' },
];
const people = (n: number, tag: string) => `First Name,Last Name,Email\n${Array.from({ length: n }, (_, i) => `P${i},${tag},${tag.toLowerCase()}.${i}@example.com`).join('\n')}\n`;

async function stored(tag: string): Promise<{ rows: number; keys: number }> {
  const res = await t.ctx.database.raw.query<{ rows: number; keys: number }>(
    'select count(*)::int as rows, count(distinct external_id)::int as keys from contacts where organization_id = $1 and last_name = $2',
    [s.organizationId, tag],
  );
  return { rows: Number(res.rows[0]!.rows), keys: Number(res.rows[0]!.keys) };
}

async function counter(id: string): Promise<number> {
  const res = await t.ctx.database.raw.query<{ n: number }>('select created_count as n from migrations where id = $1', [id]);
  return Number(res.rows[0]?.n ?? 0);
}

describe('workers sharing the queue', () => {
  it(`never work on the same run at once, even when it is sent to them several times (${postgres ? 'two processes' : 'two pools'})`, async () => {
    const runs: Array<{ id: string; tag: string }> = [];
    for (const tag of ['Alpha', 'Bravo', 'Charlie']) {
      const { uploadId } = await uploadCsv(t, s, people(1200, tag));
      runs.push({ id: await startCsv(t, s, uploadId, 'contacts', mapping, { batchSize: 25, notify: 'never' }), tag });
    }
    // Duplicate deliveries: each run sent again three times.
    const scheduler = queueScheduler(t.ctx);
    for (const r of runs) for (let i = 0; i < 3; i++) await scheduler.trigger(r.id);
    for (const r of runs) {
      const run = await waitForRun(t, s, r.id, ['completed'], 120_000);
      expect(run.counts).toMatchObject({ fetched: 1200, created: 1200, updated: 0, failed: 0 });
      expect(await stored(r.tag)).toEqual({ rows: 1200, keys: 1200 });
    }
    const mine = logs.filter((l) => runs.some((r) => r.id === l.migrationId));
    expect(mine.filter((l) => l.outcome !== 'busy' && (!l.leasedAt || !l.releasedAt))).toEqual([]);
    expect(overlaps(mine)).toEqual([]);
    // Short slices hand runs from worker to worker: both did work, and duplicates found the run taken or done.
    const workers = new Set(mine.filter((l) => l.outcome === 'continued' || l.outcome === 'finished').map((l) => l.worker));
    expect(workers.size).toBe(2);
    const jobIds = mine.map((l) => l.job);
    expect(new Set(jobIds).size).toBe(jobIds.length);
  }, 150_000);
});

/** A database whose calls stop returning once frozen (a hung worker); thawing fails them. */
function freezable(database: Database) {
  let frozen = false;
  const pending: Array<(err: Error) => void> = [];
  const hang = () => new Promise<never>((_, reject) => pending.push(reject));
  const target = database.pglite!;
  const pglite = new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'transaction' || prop === 'query' || prop === 'exec') return (...args: unknown[]) => (frozen ? hang() : (value as (...a: unknown[]) => unknown).apply(obj, args));
      return (value as (...a: unknown[]) => unknown).bind(obj);
    },
  });
  return {
    database: { ...database, pglite } as Database,
    freeze: () => (frozen = true),
    thaw: () => {
      frozen = false;
      for (const reject of pending.splice(0)) reject(new Error('the worker was frozen'));
    },
  };
}

describe('a worker that dies mid-run', () => {
  it(`leaves a run another worker resumes to the exact count, with no duplicate (${postgres ? 'SIGKILL' : 'frozen worker'})`, async () => {
    const n = 4000;
    const { uploadId } = await uploadCsv(t, s, people(n, 'Killed'));
    let victim: string;
    let frozenOutcome: Promise<SliceOutcome> | undefined;
    let thaw: (() => void) | undefined;
    if (postgres) {
      const id = await startCsv(t, s, uploadId, 'contacts', mapping, { batchSize: 40, notify: 'never' });
      for (let i = 0; (await counter(id)) < 400 && i < 600; i++) await new Promise((r) => setTimeout(r, 20));
      const owner = (await t.ctx.database.raw.query<{ o: string | null }>('select lease_owner as o from migrations where id = $1', [id])).rows[0]!.o ?? '';
      const holder = children.find((c) => owner.startsWith(`${c.name}:`));
      expect(holder, `lease owner ${owner}`).toBeDefined();
      holder!.proc.kill('SIGKILL');
      await holder!.exited;
      victim = id;
    } else {
      // Stop the pools, run the first slice here on a database that freezes, then let a pool take over.
      await t.ctx.queue!.offWork('import.run');
      const id = await startCsv(t, s, uploadId, 'contacts', mapping, { batchSize: 40, notify: 'never' });
      const f = freezable(t.ctx.database);
      const ctxA = { ...t.ctx, database: f.database } as AppContext;
      frozenOutcome = runSlice(ctxA, id, defaultRunnerSettings(t.ctx, { workerId: 'FROZEN', leaseMs: LEASE_MS, heartbeatMs: 500, sliceMs: 600_000 }), queueScheduler(t.ctx));
      for (let i = 0; (await counter(id)) < 400 && i < 600; i++) await new Promise((r) => setTimeout(r, 20));
      f.freeze();
      thaw = f.thaw;
      await startPool('P3');
      victim = id;
    }
    const killedAt = Date.now();
    const atKill = await counter(victim);
    expect(atKill).toBeGreaterThanOrEqual(400);
    expect(atKill).toBeLessThan(n);

    const run = await waitForRun(t, s, victim, ['completed'], 120_000);
    expect(run.counts).toMatchObject({ total: n, fetched: n, created: n, updated: 0, skipped: 0, failed: 0 });
    expect(run.reconciliation).toMatchObject({ ok: true, issues: [] });
    expect(await stored('Killed')).toEqual({ rows: n, keys: n });
    // Another worker took the run over after the lease lapsed, and did the rest.
    const after = logs.filter((l) => l.migrationId === victim && l.outcome !== 'busy' && l.end > killedAt);
    expect(after.length).toBeGreaterThan(0);
    expect(overlaps(logs.filter((l) => l.migrationId === victim))).toEqual([]);

    if (thaw) {
      // The frozen worker wakes up: it can commit nothing more (its lease is gone) and stops.
      thaw();
      expect(await frozenOutcome).toBe('stopped');
      expect((await getRun(t, s, victim)).counts.created).toBe(n);
      expect(await stored('Killed')).toEqual({ rows: n, keys: n });
    }
  }, 150_000);
});
