/** Helpers for the CSV ingestion tests: temp files, an independent CSV writer and encoders, reading everything. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { readCsvRows, type CsvInspection, type CsvReadOptions, type CsvResumePoint, type CsvRow } from '../../src/import/csv/index.js';

export type Enc = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A temp folder for one test file; `done()` removes it. */
export function tempDir(): { file: (name: string, content: Buffer | string) => string; path: (name: string) => string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'csv-test-'));
  return {
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    path: (name) => join(dir, name),
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Text → bytes in an encoding, with or without its BOM. Windows-1252 goes through iconv-lite (an independent encoder). */
export function encode(text: string, enc: Enc, bom = false): Buffer {
  switch (enc) {
    case 'utf-8':
      return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
    case 'utf-16be': {
      const le = Buffer.from(text, 'utf16le');
      le.swap16();
      return Buffer.concat([bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), le]);
    }
    case 'windows-1252':
      if (bom) throw new Error('Windows-1252 has no BOM');
      return iconv.encode(text, 'win1252');
  }
}

/** RFC 4180 writer written for the tests (not the code under test): quotes a field holding the delimiter, a quote, CR or LF. */
export function csvText(rows: readonly (readonly string[])[], delimiter = ',', eol = '\r\n', trailingEol = true): string {
  const cell = (v: string): string => (v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return rows.map((r) => r.map(cell).join(delimiter)).join(eol) + (trailingEol ? eol : '');
}

/** Physical lines a row takes: 1 + the line breaks inside its fields (CRLF counts once). */
export function linesIn(row: readonly string[]): number {
  return 1 + row.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}

export async function readAll(path: string, inspection: CsvInspection, resume?: CsvResumePoint, options?: CsvReadOptions): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(path, inspection, resume, options)) rows.push(row);
  return rows;
}

export function toRecord(headers: readonly string[], row: readonly string[]): Record<string, string> {
  return Object.fromEntries(headers.map((h, i) => [h, row[i] ?? '']));
}

/** Seeded PRNG (mulberry32), so a failing random case can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Expect a promise to reject with a CsvError of this code; returns it for more checks. */
export async function csvError(promise: Promise<unknown>): Promise<{ code: string; message: string; line?: number }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string; line?: number };
  }
  throw new Error('expected a CsvError, but the call succeeded');
}
