/**
 * Encoding and delimiter detection beyond the matrix: Windows-1252's specials against an independent decoder,
 * Latin-1 files, UTF-16 without a BOM, Excel's `sep=` line, European semicolons, tabs, and delimiters inside quotes.
 */
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWindows1252, detectBom, guessUtf16, Utf8Validator } from '../../src/import/csv/encoding.js';
import { inspectCsvFile } from '../../src/import/csv/index.js';
import { encode, readAll, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.done());

describe('Windows-1252 and Latin-1', () => {
  it('decodes every byte as iconv-lite does (0x80–0x9F are €, curly quotes, dashes… not C1 controls)', () => {
    // The five bytes Windows-1252 leaves undefined: iconv-lite gives U+FFFD, we keep them as the C1 controls
    // browsers (WHATWG) map them to, so no byte is lost.
    const undefinedBytes = [0x81, 0x8d, 0x8f, 0x90, 0x9d];
    const defined = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((i) => !undefinedBytes.includes(i)));
    expect(decodeWindows1252(defined, 0, defined.length)).toBe(iconv.decode(defined, 'win1252'));
    expect(decodeWindows1252(Buffer.from(undefinedBytes), 0, 5)).toBe('\x81\x8d\x8f\x90\x9d');
    expect(decodeWindows1252(Buffer.from([0x80, 0x93, 0x94, 0x91, 0x92, 0x96, 0x97, 0x85]), 0, 8)).toBe('€“”‘’–—…');
  });

  it('a file Excel on Windows saved: € and smart quotes come out right, with a warning', async () => {
    const bytes = Buffer.concat([Buffer.from('Name,Deal,Note\r\nRen'), Buffer.from([0xe9]), Buffer.from(',1.200 '), Buffer.from([0x80]), Buffer.from(','), Buffer.from([0x93]), Buffer.from('best'), Buffer.from([0x94]), Buffer.from(' offer\r\n')]);
    const path = tmp.file('excel-1252.csv', bytes);
    const ins = await inspectCsvFile(path);
    expect(ins.encoding).toBe('windows-1252');
    expect(ins.warnings).toEqual([expect.stringMatching(/^The file is not UTF-8 \(first on line 2\), so it was read as Windows-1252/)]);
    expect((await readAll(path, ins))[0]!.values).toEqual({ Name: 'René', Deal: '1.200 €', Note: '“best” offer' });
  });

  it('a Latin-1 (ISO-8859-1) file reads the same, since Windows-1252 is its superset for text', async () => {
    const path = tmp.file('latin1.csv', iconv.encode('Vorname;Nachname;Straße\nJürgen;Müller;Königsallee 1\nAndré;Façade;Rue de l’Église\n'.replace('’', "'"), 'latin1'));
    const ins = await inspectCsvFile(path);
    expect([ins.encoding, ins.delimiter]).toEqual(['windows-1252', ';']);
    expect((await readAll(path, ins)).map((r) => r.values['Straße'])).toEqual(['Königsallee 1', "Rue de l'Église"]);
  });
});

describe('encoding detection units', () => {
  it('BOMs', () => {
    expect(detectBom(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', length: 3 });
    expect(detectBom(Buffer.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: 'utf-16le', length: 2 });
    expect(detectBom(Buffer.from([0xfe, 0xff, 0, 0x41]))).toEqual({ encoding: 'utf-16be', length: 2 });
    expect(detectBom(Buffer.from('Name'))).toBeNull();
  });

  it('UTF-16 without a BOM from its NUL pattern; plain text and binary are neither', () => {
    expect(guessUtf16(Buffer.from('Name,Email\r\n', 'utf16le'))).toBe('utf-16le');
    expect(guessUtf16(encode('Name,Email\r\n', 'utf-16be'))).toBe('utf-16be');
    expect(guessUtf16(Buffer.from('Name,Email\r\n'))).toBeNull();
    expect(guessUtf16(Buffer.alloc(64))).toBeNull();
  });

  it('the UTF-8 check is exact across chunk boundaries', () => {
    const text = Buffer.from('aé€😀zßx東'); // five multi-byte characters
    for (let cut = 0; cut <= text.length; cut += 1) {
      const v = new Utf8Validator();
      v.feed(text, 0, cut, 0);
      v.feed(text, cut, text.length, cut);
      v.finish();
      expect([v.invalid, v.multiByte]).toEqual([0, 5]);
    }
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xff]]) {
      const v = new Utf8Validator();
      v.feed(Buffer.from(bad), 0, bad.length, 0);
      v.finish();
      expect(v.invalid, JSON.stringify(bad)).toBeGreaterThan(0);
      expect(v.firstInvalid).toBe(0);
    }
  });
});

describe('delimiters', () => {
  it('honours Excel\'s sep= line, whatever the character, and does not read it as the header', async () => {
    for (const [sep, body] of [[';', 'Name;Amount\nAnn;1,5\n'], ['|', 'Name|Amount\nAnn|1,5\n'], ['\t', 'Name\tAmount\nAnn\t1,5\n']] as const) {
      const path = tmp.file('sep.csv', `sep=${sep}\n${body}`);
      const ins = await inspectCsvFile(path);
      expect(ins.delimiter).toBe(sep);
      expect(ins.headers).toEqual(['Name', 'Amount']);
      const [row] = await readAll(path, ins);
      expect([row!.values, row!.line]).toEqual([{ Name: 'Ann', Amount: '1,5' }, 3]);
    }
    const crlf = tmp.file('sep-crlf-bom.csv', encode('SEP=,\r\nName,Amount\r\nAnn,"1,5"\r\n', 'utf-16le', true));
    const ins = await inspectCsvFile(crlf);
    expect([ins.delimiter, ins.headers, ins.rowCount]).toEqual([',', ['Name', 'Amount'], 1]);
  });

  it('European Excel: semicolons with decimal commas in the values', async () => {
    const path = tmp.file('eu.csv', 'Vorname;Nachname;Umsatz;Rabatt\nJürgen;Müller;1.234,56;0,5\nAnna;Schmidt;99,90;0\n');
    const ins = await inspectCsvFile(path);
    expect(ins.delimiter).toBe(';');
    expect(ins.sample[0]).toEqual({ Vorname: 'Jürgen', Nachname: 'Müller', Umsatz: '1.234,56', Rabatt: '0,5' });
  });

  it('tabs with commas in unquoted values; pipes; delimiters inside quotes do not count', async () => {
    const tab = tmp.file('tab.tsv', 'Name\tCompany\tNotes\nSmith, John\tAcme, Inc.\tx, y, z\nDoe, Jane\tBeta\t\n');
    expect((await inspectCsvFile(tab)).delimiter).toBe('\t');
    const pipe = tmp.file('pipe.csv', 'Name|Company\nAnn|Acme; Inc, Ltd\nBob|Beta\n');
    expect((await inspectCsvFile(pipe)).delimiter).toBe('|');
    const quoted = tmp.file('quoted.csv', '"Name;Full","Note;s"\n"a;b;c","d;e"\n"f;g","h"\n');
    const ins = await inspectCsvFile(quoted);
    expect([ins.delimiter, ins.headers]).toEqual([',', ['Name;Full', 'Note;s']]);
  });

  it('a single column has no delimiter to find: comma', async () => {
    const ins = await inspectCsvFile(tmp.file('single.csv', 'Email\na@x.io\nb@x.io\n'));
    expect([ins.delimiter, ins.headers, ins.rowCount]).toEqual([',', ['Email'], 2]);
  });

  it('sniffs past a first line that is only a title', async () => {
    const ins = await inspectCsvFile(tmp.file('titled-semicolon.csv', 'Export 2024\nName;Email;City\nAnn;a@x.io;Paris\nBob;b@x.io;Rome\n'));
    expect([ins.delimiter, ins.headers, ins.rowCount]).toEqual([';', ['Name', 'Email', 'City'], 2]);
  });
});

describe('UTF-16 without a BOM', () => {
  it('big- and little-endian files with non-Latin text are found and read', async () => {
    for (const enc of ['utf-16le', 'utf-16be'] as const) {
      const path = tmp.file(`nobom-${enc}.csv`, encode('Имя\tГород\r\nЁлка\tМосква\r\n李\t北京\r\n', enc, false));
      const ins = await inspectCsvFile(path);
      expect([ins.encoding, ins.hasBom, ins.delimiter]).toEqual([enc, false, '\t']);
      expect((await readAll(path, ins)).map((r) => r.values)).toEqual([{ Имя: 'Ёлка', Город: 'Москва' }, { Имя: '李', Город: '北京' }]);
    }
  });
});
