/**
 * Resuming: reading from any row's `nextOffset` yields exactly the rows an uninterrupted read yields after it,
 * with the same row numbers, lines and offsets — on every encoding, with quoted line breaks and multi-byte text,
 * and with chunks so small that every record straddles reads. A resume point that is not a row boundary of
 * the file, or a file changed since inspection, is refused.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectCsvFile, resumePoint, type CsvRow } from '../../src/import/csv/index.js';
import { csvError, csvText, encode, readAll, rng, tempDir, type Enc } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.done());

const HEADERS = ['Id', 'Name', 'Email', 'Notes', 'City', 'Amount'];
const WIDE = ['Zoë Ñúñez', 'Москва', '東京 😀', '€ “x” — …', 'Müller & Söhne'];
const LATIN = ['Zoë Ñúñez', 'Renée', '€ “x” — …', 'Müller & Söhne', 'Š Ÿ Œ ™'];

function randomFile(seed: number, enc: Enc): { rows: string[][]; text: string; eol: string; delimiter: string } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const delimiter = pick([',', ';', '\t', '|']);
  const eol = pick(['\r\n', '\n', '\r']);
  const special = enc === 'windows-1252' ? LATIN : WIDE;
  const value = (): string => {
    const k = r();
    if (k < 0.25) return '';
    if (k < 0.45) return pick(special);
    if (k < 0.55) return `line one${pick(['\r\n', '\n', '\r'])}line two`;
    if (k < 0.65) return `say "hi"${delimiter} then go`;
    if (k < 0.7) return '"';
    return `v${Math.floor(r() * 1e6)}`;
  };
  const rows: string[][] = [];
  const n = 20 + Math.floor(r() * 60);
  for (let i = 0; i < n; i += 1) rows.push([`id-${i}`, ...HEADERS.slice(1).map(value)]);
  return { rows, text: csvText([HEADERS, ...rows], delimiter, eol, r() < 0.8), eol, delimiter };
}

const VARIANTS: Array<{ enc: Enc; bom: boolean }> = [
  { enc: 'utf-8', bom: false },
  { enc: 'utf-8', bom: true },
  { enc: 'utf-16le', bom: true },
  { enc: 'utf-16be', bom: true },
  { enc: 'utf-16le', bom: false },
  { enc: 'windows-1252', bom: false },
];

const comparable = (rows: CsvRow[]) => rows.map((x) => ({ ...x }));

describe('resume from random row boundaries equals the uninterrupted read', () => {
  for (const { enc, bom } of VARIANTS) {
    it(`${enc}${bom ? ' with BOM' : ''}`, async () => {
      for (let seed = 1; seed <= 5; seed += 1) {
        const { rows, text } = randomFile(seed * 7919 + enc.length, enc);
        const path = tmp.file(`r-${enc}-${bom}-${seed}.csv`, encode(text, enc, bom));
        const ins = await inspectCsvFile(path);
        expect(ins.rowCount).toBe(rows.length);
        const full = await readAll(path, ins);
        expect(full.map((x) => x.values)).toEqual(rows.map((row) => Object.fromEntries(HEADERS.map((h, i) => [h, row[i]!]))));
        expect(full.map((x) => x.rowNumber)).toEqual(rows.map((_, i) => i + 1));

        // Tiny reads: every record straddles chunk boundaries (and UTF-16 units split across reads).
        for (const chunkBytes of [2, 6, 64]) {
          expect(comparable(await readAll(path, ins, undefined, { chunkBytes }))).toEqual(comparable(full));
          const again = await inspectCsvFile(path, { chunkBytes });
          expect(again).toEqual(ins);
        }

        const r = rng(seed);
        for (let k = 0; k < 5; k += 1) {
          const cut = Math.floor(r() * full.length);
          const from = resumePoint(full[cut]!);
          expect(comparable(await readAll(path, ins, from))).toEqual(comparable(full.slice(cut + 1)));
          expect(comparable(await readAll(path, ins, from, { chunkBytes: 6 }))).toEqual(comparable(full.slice(cut + 1)));
        }
        // The last row's resume point: nothing left. The start: everything.
        expect(await readAll(path, ins, resumePoint(full.at(-1)!))).toEqual([]);
        expect(comparable(await readAll(path, ins, { offset: ins.dataOffset!, rowNumber: 0 }))).toEqual(comparable(full));
        expect(comparable(await readAll(path, ins, { offset: 0, rowNumber: 0 }))).toEqual(comparable(full));
      }
    }, 60_000);
  }

  it('keeps row numbers and lines stable around skipped blank rows, ragged rows and repeated headers', async () => {
    const text = 'A,B,C\nr1,x,y\n\n\nr2,x\nA,B,C\nr3,"multi\nline",z\n,,\nr4,x,y\n\n';
    const path = tmp.file('stable.csv', text);
    const ins = await inspectCsvFile(path);
    const full = await readAll(path, ins);
    expect(full.map((x) => [x.rowNumber, x.line, x.values['A'], x.error ?? null])).toEqual([
      [1, 2, 'r1', null],
      [2, 5, 'r2', 'ragged row: 2 cells, 3 headers'],
      [3, 7, 'r3', null],
      [4, 10, 'r4', null],
    ]);
    expect(ins.rowCount).toBe(4);
    for (let k = 0; k < full.length; k += 1) {
      expect(await readAll(path, ins, resumePoint(full[k]!))).toEqual(full.slice(k + 1));
    }
  });

  it('one-cell lines: held until what follows decides (row, group title, footer), the same on every resume', async () => {
    const text = [
      'A,B,C', 'r1,x,y', '', 'only1', 'only2', 'r2,x,y', '', 'Group,,', 'A,B,C', 'r3,x,y', '', 'tail1,,', '', 'tail2', 'r4,x,y',
      '', 'Acme', '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."', 'Acme', '', '',
    ].join('\n');
    const path = tmp.file('singles.csv', text);
    const ins = await inspectCsvFile(path);
    const full = await readAll(path, ins);
    expect(full.map((x) => [x.rowNumber, x.values['A'], x.line])).toEqual([
      [1, 'r1', 2], [2, 'only1', 4], [3, 'only2', 5], [4, 'r2', 6], [5, 'r3', 10], [6, 'tail1', 12], [7, 'tail2', 14], [8, 'r4', 15],
    ]);
    expect(ins.rowCount).toBe(8);
    expect(ins.warnings).toContain('The report footer at the end of the file (3 lines: copyright, "Generated By") was skipped.');
    for (let k = 0; k < full.length; k += 1) {
      expect(await readAll(path, ins, resumePoint(full[k]!))).toEqual(full.slice(k + 1));
    }
    // Without footer text, one-cell lines at the end are rows (ragged ones).
    const plain = tmp.file('singles-plain.csv', 'A,B,C\nr1,x,y\n\nAcme\nNotes\n');
    const ins2 = await inspectCsvFile(plain);
    expect((await readAll(plain, ins2)).map((x) => [x.values['A'], x.error ?? null])).toEqual([
      ['r1', null], ['Acme', 'ragged row: 1 cells, 3 headers'], ['Notes', 'ragged row: 1 cells, 3 headers'],
    ]);
  });

  it('computes resumed line numbers without being told them', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`n${i}`, i % 7 === 0 ? 'a\r\nb' : 'c']);
    const path = tmp.file('lines.csv', csvText([['Name', 'Note'], ...rows], ',', '\r\n'));
    const ins = await inspectCsvFile(path);
    const full = await readAll(path, ins);
    const rest = await readAll(path, ins, resumePoint(full[321]!), { chunkBytes: 16 });
    expect(rest.map((x) => x.line)).toEqual(full.slice(322).map((x) => x.line));
  });
});

describe('resume points and files that do not fit', () => {
  it('refuses an offset inside a row, before the rows, past the end, or a bad row number', async () => {
    const path = tmp.file('bad-resume.csv', 'Name,Email\nAnn,a@x.io\nBob,b@x.io\nCid,c@x.io\n');
    const ins = await inspectCsvFile(path);
    const full = await readAll(path, ins);
    const mid = full[0]!.nextOffset + 2;
    for (const resume of [
      { offset: mid, rowNumber: 1 },
      { offset: 3, rowNumber: 1 },
      { offset: ins.sizeBytes + 1, rowNumber: 3 },
      { offset: full[0]!.nextOffset, rowNumber: -1 },
      { offset: 1.5, rowNumber: 1 },
    ]) {
      const err = await csvError(readAll(path, ins, resume));
      expect(err.code).toBe('CSV_RESUME_INVALID');
      expect(err.message).toMatch(/Cannot resume this import at byte/);
    }
  });

  it('refuses an offset in the middle of a UTF-16 character', async () => {
    const path = tmp.file('bad-resume16.csv', encode('Name,Email\r\nAnn,a@x.io\r\nBob,b@x.io\r\n', 'utf-16le', true));
    const ins = await inspectCsvFile(path);
    const full = await readAll(path, ins);
    const err = await csvError(readAll(path, ins, { offset: full[0]!.nextOffset + 1, rowNumber: 1 }));
    expect(err.code).toBe('CSV_RESUME_INVALID');
    expect(err.message).toMatch(/inside a UTF-16 character/);
  });

  it('refuses a file changed since inspection (size, or header of the same size)', async () => {
    const path = tmp.file('changed.csv', 'Name,Email\nAnn,a@x.io\n');
    const ins = await inspectCsvFile(path);
    appendFileSync(path, 'Bob,b@x.io\n');
    expect((await csvError(readAll(path, ins))).code).toBe('CSV_CHANGED');
    writeFileSync(path, 'Name,Phone\nAnn,a@x.io\n');
    const err = await csvError(readAll(path, ins));
    expect(err.code).toBe('CSV_CHANGED');
    expect(err.message).toMatch(/header row is different.*Upload it again/);
  });
});
