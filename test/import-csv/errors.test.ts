/**
 * Files that cannot be imported fail with a stable code and a message a person can act on (with the line where
 * it applies); ragged rows and other oddities do not fail the file but are reported.
 */
import { createWriteStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectCsvFile, CsvError } from '../../src/import/csv/index.js';
import { streamToBuffer, zipSingleFile } from '../../sandbox/common/zip.js';
import { csvError, csvText, encode, readAll, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.done());

describe('empty and header-only files', () => {
  it('CSV_EMPTY for no bytes, a lone BOM, or only empty lines', async () => {
    for (const [name, content] of [
      ['zero.csv', Buffer.alloc(0)],
      ['bom.csv', Buffer.from([0xef, 0xbb, 0xbf])],
      ['bom16.csv', Buffer.from([0xff, 0xfe])],
      ['blank.csv', '\r\n\r\n\n'],
      ['commas.csv', ',,,\r\n,,,\r\n'],
    ] as const) {
      const err = await csvError(inspectCsvFile(tmp.file(name, content)));
      expect(err).toBeInstanceOf(CsvError);
      expect(err.code, name).toBe('CSV_EMPTY');
      expect(err.message).toMatch(/Export the data again/);
    }
  });

  it('CSV_HEADER_ONLY for a header with no rows after it (trailing empty lines do not count)', async () => {
    for (const content of ['Name,Email\r\n', 'Name,Email', 'Name,Email\n\n\n,\n', 'sep=;\nName;Email\n']) {
      const err = await csvError(inspectCsvFile(tmp.file('header-only.csv', content)));
      expect(err.code).toBe('CSV_HEADER_ONLY');
      expect(err.line).toBe(content.startsWith('sep=') ? 2 : 1);
      expect(err.message).toMatch(new RegExp(`header row \\(line ${err.line}\\) but no data rows`));
    }
  });
});

describe('binary files', () => {
  it('an .xlsx workbook says so and asks for a CSV', async () => {
    const xlsx = await streamToBuffer(zipSingleFile('[Content_Types].xml', ['<Types><Override PartName="/xl/workbook.xml"/></Types>']));
    const err = await csvError(inspectCsvFile(tmp.file('book.csv', xlsx)));
    expect(err.code).toBe('CSV_BINARY');
    expect(err.message).toMatch(/looks like an Excel workbook \(\.xlsx\).*save or download it as "CSV UTF-8"/);
  });

  it('a plain ZIP, a PDF, an old .xls, a PNG', async () => {
    const zip = await streamToBuffer(zipSingleFile('contacts.csv', ['Name,Email\nAnn,a@x.io\n']));
    const cases: Array<[string, Buffer, RegExp]> = [
      ['export.zip', zip, /ZIP archive.*Unzip it and upload the CSV file inside/],
      ['report.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), /PDF document/],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), /Excel 97–2003 workbook \(\.xls\)/],
      ['logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /PNG image/],
      ['sheet.xml', Buffer.from('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook>'), /Excel XML spreadsheet/],
      ['table.xls', Buffer.from('\uFEFF<html><body><table><tr><td>Name</td></tr></table>'), /web page \(HTML\)/],
    ];
    for (const [name, bytes, message] of cases) {
      const err = await csvError(inspectCsvFile(tmp.file(name, bytes)));
      expect(err.code, name).toBe('CSV_BINARY');
      expect(err.message, name).toMatch(message);
    }
  });

  it('NUL bytes: at the start, and deep in the file with their line', async () => {
    const early = Buffer.concat([Buffer.from('Name,Email\n'), Buffer.from([0, 1, 2, 0, 0, 0, 0xff, 0])]);
    expect((await csvError(inspectCsvFile(tmp.file('nul-early.csv', early)))).code).toBe('CSV_BINARY');
    const rows = Array.from({ length: 5000 }, (_, i) => `person ${i},p${i}@example.com`).join('\n');
    const late = Buffer.concat([Buffer.from(`Name,Email\n${rows}\nbroken`), Buffer.from([0]), Buffer.from(',x\n')]);
    const err = await csvError(inspectCsvFile(tmp.file('nul-late.csv', late)));
    expect(err.code).toBe('CSV_BINARY');
    expect(err.line).toBe(5002);
    expect(err.message).toMatch(/^Line 5,002 contains a NUL byte/);
  });
});

describe('encodings that cannot be decoded', () => {
  it('a UTF-8 BOM with non-UTF-8 bytes', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name,City\nAnn,Paris\nBob,'), Buffer.from([0x4d, 0xfc, 0x6e]), Buffer.from('chen\n')]);
    const err = await csvError(inspectCsvFile(tmp.file('bom-bad.csv', bytes)));
    expect(err.code).toBe('CSV_ENCODING');
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/says it is UTF-8.*line 3 holds bytes that are not UTF-8/);
  });

  it('UTF-8 text with a Windows-1252 line in it (mixed encodings)', async () => {
    const utf8 = Buffer.from('Name,City\nJosé,München\nZoë,Zürich\nRenée,Genève\n');
    const bytes = Buffer.concat([utf8, encode('Müller,Köln\n', 'windows-1252')]);
    const err = await csvError(inspectCsvFile(tmp.file('mixed.csv', bytes)));
    expect(err.code).toBe('CSV_ENCODING');
    expect(err.line).toBe(5);
    expect(err.message).toMatch(/mixes two text encodings: line 2 is UTF-8, but line 5 is not/);
  });

  it('UTF-32, UTF-16 cut in half, and a broken UTF-16 surrogate', async () => {
    const utf32 = Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]);
    expect((await csvError(inspectCsvFile(tmp.file('u32.csv', utf32)))).message).toMatch(/UTF-32/);
    const odd = encode('Name,Email\r\nAnn,a@x.io\r\n', 'utf-16le', true).subarray(0, -1);
    const e1 = await csvError(inspectCsvFile(tmp.file('odd16.csv', odd)));
    expect(e1.code).toBe('CSV_ENCODING');
    expect(e1.message).toMatch(/ends in the middle of a character/);
    const lone = encode('Name,Email\r\nAnn,a@x.io\r\nBob,\uD83D\r\n', 'utf-16le', true);
    const e2 = await csvError(inspectCsvFile(tmp.file('lone16.csv', lone)));
    expect(e2.code).toBe('CSV_ENCODING');
    expect(e2.line).toBe(3);
  });
});

describe('quotes', () => {
  it('an opening quote never closed: CSV_MALFORMED with its line, even when later quotes follow', async () => {
    const good = Array.from({ length: 1202 }, (_, i) => `p${i},"Acme, Inc.",ok`);
    const text = ['Name,Company,Note', ...good, 'bad,"Acme, Inc,oops', 'next,"Beta",fine', 'last,x,y', ''].join('\n');
    const err = await csvError(inspectCsvFile(tmp.file('unclosed.csv', text)));
    expect(err.code).toBe('CSV_MALFORMED');
    expect(err.line).toBe(1204);
    expect(err.message).toBe('Line 1,204 has an opening quote that is never closed. Fix the quote or re-export the file.');
  });

  it('an opening quote on the last line', async () => {
    const err = await csvError(inspectCsvFile(tmp.file('unclosed-end.csv', 'A,B\n1,2\n3,"four\n5,6\n')));
    expect(err.code).toBe('CSV_MALFORMED');
    expect(err.line).toBe(3);
  });

  it('text after a closing quote on one line is read as Excel reads it, with a warning', async () => {
    const path = tmp.file('stray.csv', 'A,B\n"abc"def,2\n"x ""y"" "z,3\n');
    const ins = await inspectCsvFile(path);
    expect((await readAll(path, ins)).map((r) => r.values['A'])).toEqual(['abcdef', 'x "y" z']);
    expect(ins.warnings).toEqual([expect.stringMatching(/^2 fields have text after a closing quote \(lines 2, 3\)/)]);
  });

  it('a quote inside an unquoted field is kept as it stands', async () => {
    const path = tmp.file('inner-quote.csv', 'Name,Size\nThe "Big" One,12" pipe\n');
    const ins = await inspectCsvFile(path);
    expect((await readAll(path, ins))[0]!.values).toEqual({ Name: 'The "Big" One', Size: '12" pipe' });
  });
});

describe('records over the cap', () => {
  async function bigLine(name: string, prefix: string, mb: number): Promise<string> {
    const path = tmp.path(name);
    const out = createWriteStream(path);
    out.write(prefix);
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < mb; i += 1) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    await new Promise<void>((r) => out.end('\n', () => r()));
    return path;
  }

  function measure<T>(run: () => Promise<T>): Promise<{ ms: number; peakExternalMb: number; result: unknown }> {
    const before = process.memoryUsage();
    let peak = 0;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.arrayBuffers - before.arrayBuffers, m.rss - before.rss);
    }, 1);
    const started = performance.now();
    return run().then(
      (result) => ({ ms: performance.now() - started, peakExternalMb: peak / 1048576, result }),
      (result: unknown) => ({ ms: performance.now() - started, peakExternalMb: peak / 1048576, result }),
    ).finally(() => clearInterval(timer));
  }

  it('a single 50 MB line fails fast with bounded memory (CSV_RECORD_TOO_LARGE)', async () => {
    const path = await bigLine('huge.csv', 'Name,Notes\nAnn,', 50);
    const { ms, peakExternalMb, result } = await measure(() => inspectCsvFile(path));
    const err = result as CsvError;
    expect(err.code).toBe('CSV_RECORD_TOO_LARGE');
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/^The row on line 2 is longer than 1 MB, the limit for one row/);
    // Failing after ~1 MB, not after reading 50 MB: well under a second, a few MB of buffers.
    expect(ms).toBeLessThan(3000);
    expect(peakExternalMb).toBeLessThan(32);
  }, 60_000);

  it('an open quote running past the cap is a malformed quote, found as fast', async () => {
    const path = await bigLine('huge-quoted.csv', 'Name,Notes\nAnn,"', 50);
    const { ms, peakExternalMb, result } = await measure(() => inspectCsvFile(path));
    const err = result as CsvError;
    expect(err.code).toBe('CSV_MALFORMED');
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/opening quote that is not closed within 1 MB/);
    expect(ms).toBeLessThan(3000);
    expect(peakExternalMb).toBeLessThan(32);
  }, 60_000);

  it('the cap is configurable and applies to any record, however it is chunked', async () => {
    const path = tmp.file('cap.csv', `Name,Notes\nAnn,${'y'.repeat(300)}\nBob,short\n`);
    for (const chunkBytes of [16, 1024]) {
      const err = await csvError(inspectCsvFile(path, { maxRecordBytes: 256, chunkBytes }));
      expect(err.code).toBe('CSV_RECORD_TOO_LARGE');
      expect(err.line).toBe(2);
    }
    expect((await inspectCsvFile(path, { maxRecordBytes: 512 })).rowCount).toBe(2);
  });
});

describe('header names', () => {
  it('duplicates are refused with both column numbers', async () => {
    const err = await csvError(inspectCsvFile(tmp.file('dup.csv', 'Name,Phone,Email, Email ,City\nA,1,a@x,b@x,P\n')));
    expect(err.code).toBe('CSV_DUPLICATE_HEADERS');
    expect(err.line).toBe(1);
    expect(err.message).toBe('Columns 3 and 4 of the header row (line 1) are both named "Email". Rename one of them and upload the file again.');
  });

  it('empty names become "Column N" with a warning; whitespace is trimmed', async () => {
    const path = tmp.file('empty-name.csv', '  Name ,,\tEmail\t,\nAnn,x,a@x.io,7\n');
    const ins = await inspectCsvFile(path);
    expect(ins.delimiter).toBe(',');
    expect(ins.headers).toEqual(['Name', 'Column 2', 'Email', 'Column 4']);
    expect(ins.warnings).toEqual(['The header row (line 1) has 2 columns without a usable name; they are called Column 2, Column 4.']);
    expect((await readAll(path, ins))[0]!.values).toEqual({ Name: 'Ann', 'Column 2': 'x', Email: 'a@x.io', 'Column 4': '7' });
  });

  it('trailing columns with no name and no value anywhere are dropped (Excel padding)', async () => {
    const path = tmp.file('padding.csv', 'Name,Email,,,\r\nAnn,a@x.io,,,\r\nBob,b@x.io,,,\r\n,,,,\r\n,,,,\r\n');
    const ins = await inspectCsvFile(path);
    expect(ins.headers).toEqual(['Name', 'Email']);
    expect(ins.rowCount).toBe(2);
    expect(ins.warnings).toEqual(['3 empty columns at the end of the header row (line 1) were ignored.']);
    const rows = await readAll(path, ins);
    expect(rows.map((r) => [r.values, r.error])).toEqual([
      [{ Name: 'Ann', Email: 'a@x.io' }, undefined],
      [{ Name: 'Bob', Email: 'b@x.io' }, undefined],
    ]);
  });

  it('more columns than the cap', async () => {
    const header = Array.from({ length: 2001 }, (_, i) => `c${i}`).join(',');
    const err = await csvError(inspectCsvFile(tmp.file('wide.csv', `${header}\n${header.replace(/c/g, 'v')}\n`)));
    expect(err.code).toBe('CSV_TOO_MANY_COLUMNS');
    expect(err.message).toMatch(/2,001 columns; at most 2,000/);
  });

  it('a header called __proto__ cannot corrupt row objects', async () => {
    const path = tmp.file('proto.csv', 'Name,__proto__\nAnn,x\n');
    const ins = await inspectCsvFile(path);
    expect(ins.headers).toEqual(['Name', '__proto__ (column 2)']);
    const [row] = await readAll(path, ins);
    expect(Object.getPrototypeOf(row!.values)).toBe(Object.prototype);
    expect(row!.values['__proto__ (column 2)']).toBe('x');
  });
});

describe('ragged rows and skipped lines', () => {
  it('ragged rows are counted in warnings and yielded with an error; the rest reads on', async () => {
    const text = csvText([
      ['Name', 'Email', 'City'],
      ['Ann', 'a@x.io', 'Paris'],
      ['Bob', 'b@x.io'],
      ['Cid', 'c@x.io', 'Rome', 'extra'],
      ['Dee', 'd@x.io', 'Oslo', ''],
      ['Eve', 'e@x.io', 'Kyiv'],
    ]);
    const path = tmp.file('ragged.csv', text);
    const ins = await inspectCsvFile(path);
    expect(ins.rowCount).toBe(5);
    expect(ins.warnings).toEqual([
      '2 rows have a different number of cells than the 3 headers (lines 3, 4). They are reported as row errors and the rest is imported; check the file for stray delimiters or line breaks.',
    ]);
    const rows = await readAll(path, ins);
    expect(rows.map((r) => [r.rowNumber, r.error ?? null])).toEqual([
      [1, null],
      [2, 'ragged row: 2 cells, 3 headers'],
      [3, 'ragged row: 4 cells, 3 headers'],
      [4, null],
      [5, null],
    ]);
    expect(rows[1]!.values).toEqual({ Name: 'Bob', Email: 'b@x.io', City: '' });
    expect(rows[2]!.values).toEqual({ Name: 'Cid', Email: 'c@x.io', City: 'Rome' });
  });

  it('blank rows, repeated headers and title lines are skipped and reported; trailing empty lines silently', async () => {
    const text = 'Quarterly contacts\n\nName,Email,City\nAnn,a@x.io,Paris\n\n,,\nBob,b@x.io,Rome\nName,Email,City\nCid,c@x.io,Oslo\n\n\n,,\n';
    const path = tmp.file('skips.csv', text);
    const ins = await inspectCsvFile(path);
    expect(ins.headers).toEqual(['Name', 'Email', 'City']);
    expect(ins.rowCount).toBe(3);
    expect(ins.dataOffset).toBe(text.indexOf('Ann'));
    expect(ins.warnings).toEqual([
      'Title line above the header (line 1) was skipped.',
      '1 repetition of the header row was skipped.',
      '2 empty rows were skipped.',
    ]);
    expect((await readAll(path, ins)).map((r) => [r.rowNumber, r.line, r.values['Name']])).toEqual([
      [1, 4, 'Ann'],
      [2, 7, 'Bob'],
      [3, 9, 'Cid'],
    ]);
  });

  it('a one-cell first line is the header of a one- or two-column file, not a title', async () => {
    const one = tmp.file('one-col.csv', 'Email\na@x.io\nb@x.io\n');
    const ins = await inspectCsvFile(one);
    expect([ins.headers, ins.rowCount, ins.delimiter]).toEqual([['Email'], 2, ',']);
    const two = tmp.file('two-col.csv', 'Email,\na@x.io,1\nb@x.io,2\n');
    const ins2 = await inspectCsvFile(two);
    expect([ins2.headers, ins2.rowCount]).toEqual([['Email', 'Column 2'], 2]);
  });
});
