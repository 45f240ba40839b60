/**
 * `npm run bench [-- <filter>] [--quick]`: runs every bench/*.bench.ts (or those whose name contains the
 * filter), prints a table, and writes bench/results/latest.json. --quick shrinks sizes for a smoke run.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));

const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const selected = files.filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)));
const all: BenchResult[] = [];
for (const file of selected) {
  process.stdout.write(`\n## ${file}\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  const results = await mod.run({ quick });
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(58)} ${r.value.toLocaleString('en-US', { maximumFractionDigits: 2 }).padStart(14)} ${r.unit.padEnd(10)} ${r.target ? `(aim ${r.target})` : ''}${r.notes ? `  ${r.notes}` : ''}\n`,
    );
  }
  all.push(...results);
}
await mkdir(join(here, 'results'), { recursive: true });
await writeFile(join(here, 'results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), quick, results: all }, null, 2));
process.stdout.write(`\n${all.length} figures written to bench/results/latest.json\n`);
