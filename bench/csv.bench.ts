/**
 * CSV ingestion speed and memory: 1,000,000 generated contact rows (12 columns, ~150 bytes each, accents, quoted
 * fields with commas, quotes and line breaks), inspected and then read with `readCsvRows`. Each phase runs in a
 * fresh child process so its peak RSS (getrusage maxrss) is its own; the child's RSS before starting is reported
 * alongside, so the growth is visible. The aims: the reader well over 100,000 rows/s, flat memory.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.js';

const FIRST = ['Anna', 'José', 'Chloé', 'Lars', 'Zoë', 'Mateo', 'Søren', 'Priya', 'Jürgen', 'Amélie', 'Wei', 'Olga'];
const LAST = ['Müller', 'García', 'Dubois', 'Smith', "O'Brien", 'Nowak', 'Rossi', 'Jensen', 'Kowalski', 'Lefèvre'];
const CITY = ['München', 'São Paulo', 'Zürich', 'London', 'New York', 'Kraków', 'Malmö', 'Lyon'];
const HEADER = ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Company Name', 'Job Title', 'City', 'Country/Region', 'Lifecycle Stage', 'Create Date', 'Notes'];

function row(i: number): string {
  const f = FIRST[i % FIRST.length]!;
  const l = LAST[(i * 7) % LAST.length]!;
  const notes = i % 10 === 0 ? `"Met at the fair, asked for ""pricing""\nFollow up in Q${(i % 4) + 1}"` : i % 3 === 0 ? 'Prefers e-mail' : '';
  return [
    100000 + i, f, l, `${f.toLowerCase()}.${i}@example.com`, `+49 89 ${String(1000000 + i).slice(-7)}`, `"Acme ${i % 5000}, Inc."`,
    i % 2 ? 'Head of Sales' : 'CTO', CITY[i % CITY.length], 'Germany', 'customer', `2024-0${(i % 9) + 1}-1${i % 10}`, notes,
  ].join(',');
}

async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string): Promise<void> | void => (out.write(s) ? undefined : new Promise((r) => out.once('drain', () => r())));
  await write(`${HEADER.join(',')}\r\n`);
  let buf = '';
  for (let i = 0; i < rows; i += 1) {
    buf += `${row(i)}\r\n`;
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

interface ChildReport {
  readonly ms: number;
  /** CPU time (user + system) of the phase: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly rows: number;
  readonly startRssMb: number;
  readonly peakRssMb: number;
}

/** Runs in the child: one phase over the file, then prints a JSON report. */
async function child(phase: string, path: string): Promise<void> {
  const { inspectCsvFile, readCsvRows } = await import('../src/import/csv/index.js');
  const startRssMb = process.memoryUsage().rss / 1048576;
  const started = performance.now();
  let cpu = process.cpuUsage();
  const inspection = await inspectCsvFile(path);
  let rows = inspection.rowCount;
  let ms = performance.now() - started;
  let cpuUsed = process.cpuUsage(cpu);
  if (phase === 'read') {
    const t = performance.now();
    cpu = process.cpuUsage();
    rows = 0;
    let chars = 0;
    for await (const r of readCsvRows(path, inspection)) {
      rows += 1;
      chars += r.values['Email']!.length; // touch a value, as a consumer would
    }
    ms = performance.now() - t;
    cpuUsed = process.cpuUsage(cpu);
    if (chars === 0) throw new Error('no values read');
  }
  const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
  const report: ChildReport = { ms, cpuMs, rows, startRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChild(phase: string, path: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', phase, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) return reject(new Error(`csv bench child (${phase}) exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildReport);
    });
  });
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  // CSV_BENCH_ROWS=8000000 for a ~1 GB file (the flat-memory check); not the default, it takes minutes.
  const rows = Number(process.env['CSV_BENCH_ROWS']) || (quick ? 100_000 : 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'csv-bench-'));
  try {
    const path = join(dir, 'contacts.csv');
    await generate(path, rows);
    const mb = (await stat(path)).size / 1048576;
    const inspect = await runChild('inspect', path);
    const read = await runChild('read', path);
    if (inspect.rows !== rows || read.rows !== rows) throw new Error(`row count ${inspect.rows}/${read.rows}, expected ${rows}`);
    const size = `${rows.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB, 12 columns`;
    return [
      { name: 'csv: readCsvRows', value: Math.round(rows / (read.ms / 1000)), unit: 'rows/s', target: '> 100000', notes: `${size}; wall clock` },
      { name: 'csv: readCsvRows per CPU second', value: Math.round(rows / (read.cpuMs / 1000)), unit: 'rows/s', target: '> 100000', notes: 'user + system CPU time (GC threads included)' },
      { name: 'csv: inspectCsvFile (full pass)', value: Math.round(rows / (inspect.ms / 1000)), unit: 'rows/s', notes: `${size}; wall clock` },
      { name: 'csv: inspectCsvFile per CPU second', value: Math.round(rows / (inspect.cpuMs / 1000)), unit: 'rows/s' },
      { name: 'csv: peak RSS, inspect + read', value: Math.round(read.peakRssMb), unit: 'MB', notes: `child process; ${Math.round(read.startRssMb)} MB before the first byte; file ${mb.toFixed(0)} MB` },
      { name: 'csv: peak RSS, inspect only', value: Math.round(inspect.peakRssMb), unit: 'MB', notes: `child process; ${Math.round(inspect.startRssMb)} MB before the first byte` },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!);
}
