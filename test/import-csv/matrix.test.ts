/**
 * Every encoding × delimiter × line ending, with and without a BOM: the inspection finds the layout, and the
 * rows read back equal what was written (quotes, escaped quotes, delimiters and line breaks inside fields,
 * accents, non-Latin scripts, Windows-1252's € and curly quotes).
 */
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectCsvFile } from '../../src/import/csv/index.js';
import { csvText, encode, linesIn, readAll, tempDir, toRecord, type Enc } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.done());

const HEADERS = ['First Name', 'Last Name', 'Email', 'Notes', 'City'];

function rowsFor(enc: Enc, delimiter: string): string[][] {
  const rows = [
    ['José', 'Müller', 'jose@example.com', 'plain note', 'München'],
    ['Chloé', "O'Brien", 'chloe@example.fr', `has the delimiter ${delimiter} and "quotes"`, 'Lyon'],
    ['Ann', 'Lee', 'ann@example.com', 'two\r\nlines and\nthree', ''],
    ['', '', 'empty@example.com', '', ''],
    ['Zoë', 'Ñúñez', 'zoe@example.es', '""', 'São Paulo'],
    ['Søren', 'Kierkegård', 's@example.dk', '"quoted at the start', 'Malmö, Skåne'],
  ];
  if (enc === 'windows-1252') {
    rows.push(['Renée', 'Dupré', 'r@example.fr', 'Price: 12 € — “smart” ‘quotes’ … Š Ÿ Œ ™', 'Brno']);
  } else {
    rows.push(['Wei', '王', 'wei@example.cn', 'Москва → 東京 😀 emoji', '北京']);
  }
  return rows;
}

const VARIANTS: Array<{ enc: Enc; bom: boolean }> = [
  { enc: 'utf-8', bom: false },
  { enc: 'utf-8', bom: true },
  { enc: 'utf-16le', bom: true },
  { enc: 'utf-16le', bom: false },
  { enc: 'utf-16be', bom: true },
  { enc: 'utf-16be', bom: false },
  { enc: 'windows-1252', bom: false },
];
const DELIMITERS = [',', ';', '\t', '|'];
const EOLS: Array<[string, string]> = [['CRLF', '\r\n'], ['LF', '\n'], ['CR', '\r']];

describe('encoding × delimiter × line ending', () => {
  for (const { enc, bom } of VARIANTS) {
    for (const delimiter of DELIMITERS) {
      for (const [eolName, eol] of EOLS) {
        it(`${enc}${bom ? ' with BOM' : ''}, ${JSON.stringify(delimiter)}, ${eolName}`, async () => {
          const rows = rowsFor(enc, delimiter);
          const text = csvText([HEADERS, ...rows], delimiter, eol);
          const bytes = encode(text, enc, bom);
          const path = tmp.file(`m-${enc}-${bom}-${delimiter.charCodeAt(0)}-${eolName}.csv`, bytes);

          const ins = await inspectCsvFile(path);
          expect(ins.encoding).toBe(enc);
          expect(ins.hasBom).toBe(bom);
          expect(ins.delimiter).toBe(delimiter);
          expect(ins.headers).toEqual(HEADERS);
          expect(ins.rowCount).toBe(rows.length);
          expect(ins.sizeBytes).toBe(bytes.length);
          // Reading a file as Windows-1252 is worth a word to the person importing it; nothing else is.
          expect(ins.warnings).toEqual(enc === 'windows-1252' ? [expect.stringMatching(/not UTF-8 \(first on line 2\).*Windows-1252/)] : []);
          expect(ins.sample).toEqual(rows.map((r) => toRecord(HEADERS, r)));

          const read = await readAll(path, ins);
          expect(read.map((r) => r.values)).toEqual(rows.map((r) => toRecord(HEADERS, r)));
          expect(read.map((r) => r.rowNumber)).toEqual(rows.map((_, i) => i + 1));
          expect(read.every((r) => r.error === undefined)).toBe(true);
          // Lines: the header is line 1; each row starts after the lines of the rows before it.
          let line = 2;
          for (let i = 0; i < rows.length; i += 1) {
            expect(read[i]!.line).toBe(line);
            line += linesIn(rows[i]!);
          }
          // Offsets: each row ends where the encoded text of the rows up to it ends.
          const unit = enc.startsWith('utf-16') ? 2 : 1;
          expect(read.at(-1)!.nextOffset).toBe(bytes.length);
          for (let i = 0; i < rows.length; i += 1) {
            const upTo = csvText([HEADERS, ...rows.slice(0, i + 1)], delimiter, eol);
            const expected = (bom ? (enc === 'utf-8' ? 3 : 2) : 0) + (unit === 2 ? upTo.length * 2 : encode(upTo, enc).length);
            expect(read[i]!.nextOffset).toBe(expected);
          }
        });
      }
    }
  }
});

describe('agrees with csv-parse on decoded text', () => {
  it('UTF-8, every delimiter and line ending, no trailing line break', async () => {
    for (const delimiter of DELIMITERS) {
      for (const [name, eol] of EOLS) {
        const text = csvText([HEADERS, ...rowsFor('utf-8', delimiter)], delimiter, eol, false);
        const path = tmp.file(`oracle-${delimiter.charCodeAt(0)}-${name}.csv`, text);
        const ins = await inspectCsvFile(path);
        const oracle = parse(text, { delimiter, columns: true, record_delimiter: eol }) as Record<string, string>[];
        expect((await readAll(path, ins)).map((r) => r.values)).toEqual(oracle);
      }
    }
  });
});
