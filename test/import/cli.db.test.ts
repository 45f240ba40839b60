/**
 * `crm-migrate import csv` in a real process, on the database of this suite (PostgreSQL), or on an embedded
 * database in a data folder (PGlite): exit code 0 only on a clean completion, 2 with errors, 1 for bad input.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { signup as signupService } from '../../src/services/auth-service.js';
import { createTestApp, PASSWORD, signup, type TestApp } from '../helpers/app.js';
import { TEST_DRIVER } from '../helpers/db.js';

const root = resolve(import.meta.dirname, '../..');
let dir: string;
let env: Record<string, string>;
let t: TestApp | undefined;

/** Count contacts with this last name (reopening the embedded database after the CLI closed it). */
let countContacts: (lastName: string) => Promise<number>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cm-cli-'));
  if (TEST_DRIVER === 'postgres') {
    t = await createTestApp();
    await signup(t.app);
    env = { DATABASE_URL: t.config.databaseUrl!.reveal(), ENCRYPTION_KEYS: t.config.encryptionKeys!.reveal(), DATA_DIR: t.dataDir };
    countContacts = async (lastName) => Number((await t!.ctx.database.raw.query<{ n: number }>('select count(*)::int as n from contacts where last_name = $1', [lastName])).rows[0]!.n);
  } else {
    const dataDir = join(dir, 'data');
    const database = await openDatabase({ dataDir });
    await runMigrations(database);
    await signupService(database.db, { email: 'cli-owner@example.com', password: PASSWORD, organizationName: 'CLI Org' }, 24);
    await database.close();
    env = { DATA_DIR: dataDir };
    countContacts = async (lastName) => {
      const db = await openDatabase({ dataDir });
      try {
        return Number((await db.raw.query<{ n: number }>('select count(*)::int as n from contacts where last_name = $1', [lastName])).rows[0]!.n);
      } finally {
        await db.close();
      }
    };
  }
}, 180_000);
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

interface CliRun {
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves when stderr has printed a match of `re`. */
  waitFor(re: RegExp): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startCli(args).done;
}

function startCli(args: string[]): CliRun {
  let stderr = '';
  const waiting: Array<{ re: RegExp; resolve: () => void }> = [];
  let proc!: ReturnType<typeof spawn>;
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((finished) => {
    proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SANDBOXES: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const w of waiting.splice(0)) {
        if (w.re.test(stderr)) w.resolve();
        else waiting.push(w);
      }
    });
    proc.on('exit', (code) => finished({ code, stdout, stderr }));
  });
  return {
    done,
    waitFor: (re) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(stderr)) return resolve();
        waiting.push({ re, resolve });
        void done.then(() => reject(new Error(`the CLI ended before printing ${String(re)}: ${stderr}`)));
      }),
    kill: (signal) => proc.kill(signal),
  };
}

/** A CSV of `n` contacts with this last name. */
async function contactsFile(name: string, n: number, lastName: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `First Name,Last Name,Email\n${Array.from({ length: n }, (_, i) => `P${i},${lastName},${lastName.toLowerCase()}${i}@example.com`).join('\n')}\n`);
  return file;
}

describe('crm-migrate import csv', () => {
  it('imports a file with the suggested mapping and exits 0; with failures it exits 2; bad input 1', async () => {
    const clean = join(dir, 'clean.csv');
    await writeFile(clean, `First Name,Last Name,Email\n${Array.from({ length: 300 }, (_, i) => `P${i},Cli,p${i}@example.com`).join('\n')}\n`);
    const ok = await cli(['import', 'csv', clean, '--entity', 'contacts']);
    expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    expect(ok.stdout).toContain('completed: 300 read, 300 created, 0 updated, 0 skipped, 0 failed');
    expect(ok.stderr).toContain('clean.csv: 300 rows, 3 columns');
    expect(ok.stderr).toMatch(/\[#+\.*\]\s+100%/);
    expect(await countContacts('Cli')).toBe(300);

    const flawed = join(dir, 'flawed.csv');
    await writeFile(flawed, 'Given,Family,Mail\nA,Flawed,a@example.com\nB,,b@example.com\n');
    const mapping = join(dir, 'mapping.json');
    await writeFile(mapping, JSON.stringify({ fieldMappings: [{ sourceField: 'Given', targetField: 'firstName' }, { sourceField: 'Family', targetField: 'lastName' }, { sourceField: 'Mail', targetField: 'email' }], options: { duplicatePolicy: 'overwrite' } }));
    const withErrors = await cli(['import', 'csv', flawed, '--entity', 'contacts', '--mapping', mapping]);
    expect(withErrors.code, withErrors.stderr + withErrors.stdout).toBe(2);
    expect(withErrors.stdout).toContain('completed_with_errors: 2 read, 1 created, 0 updated, 0 skipped, 1 failed');
    expect(withErrors.stdout).toContain('errors.csv');

    await writeFile(mapping, JSON.stringify([{ sourceField: 'Given', targetField: 'firstName' }]));
    const bad = await cli(['import', 'csv', flawed, '--entity', 'contacts', '--mapping', mapping]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('lastName is required');
    expect((await cli(['import', 'csv', join(dir, 'missing.csv'), '--entity', 'contacts'])).code).toBe(1);
  }, 240_000);

  it('Ctrl-C cancels after the current batch: what was written is kept and reported, exit 1', async () => {
    const file = await contactsFile('big.csv', 200_000, 'Sigint');
    const run = startCli(['import', 'csv', file, '--entity', 'contacts']);
    // A progress line with records already written (printed every 2 s when stderr is not a terminal).
    await run.waitFor(/\] +\d+%\s+[1-9][\d,]*\/200,000/);
    run.kill('SIGINT');
    const out = await run.done;
    expect(out.stderr).toContain('cancelling after the current batch');
    expect(out.code, out.stderr + out.stdout).toBe(1);
    const m = /^cancelled: ([\d,]+) read, ([\d,]+) created/m.exec(out.stdout);
    expect(m, out.stdout).not.toBeNull();
    const created = Number(m![2]!.replace(/,/g, ''));
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(200_000);
    expect(await countContacts('Sigint')).toBe(created);
  }, 240_000);

  it('a second Ctrl-C leaves at once (exit 130)', async () => {
    const file = await contactsFile('big2.csv', 200_000, 'Twice');
    const run = startCli(['import', 'csv', file, '--entity', 'contacts']);
    await run.waitFor(/\] +\d+%/); // the progress loop runs: Ctrl-C is ours from here
    run.kill('SIGINT');
    await run.waitFor(/Ctrl-C again to leave at once/);
    run.kill('SIGINT');
    const out = await run.done;
    expect(out.code, out.stderr + out.stdout).toBe(130);
    expect(out.stderr).toContain('stopped at once');
    expect(out.stdout).not.toMatch(/^completed/m);
  }, 240_000);
});

