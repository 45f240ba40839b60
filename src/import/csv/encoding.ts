/**
 * Text-encoding detection: byte-order marks, binary formats by magic number, UTF-16 without a BOM (NUL-byte
 * pattern), a streaming UTF-8 validity check, and the Windows-1252 decoder used when a file is not UTF-8
 * (Excel on Windows writes "CSV (Comma delimited)" in the ANSI code page, 1252 in the Americas and Western Europe).
 */
import { CsvError } from './errors.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface BomInfo {
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  readonly length: number;
}

/** The byte-order mark at the start of the file, if any. UTF-32 marks are refused (no CRM or spreadsheet writes them). */
export function detectBom(head: Uint8Array): BomInfo | null {
  const [a, b, c, d] = [head[0], head[1], head[2], head[3]];
  if (a === 0xff && b === 0xfe && c === 0 && d === 0 && head.length >= 4) throw utf32();
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) throw utf32();
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

function utf32(): CsvError {
  return new CsvError('CSV_ENCODING', 'This file is encoded as UTF-32, which is not supported. Save it again as "CSV UTF-8" and upload that file.');
}

const startsWith = (head: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((v, i) => head[at + i] === v);
const ascii = (head: Uint8Array, n: number): string => Buffer.from(head.subarray(0, n)).toString('latin1');

/**
 * Known non-text formats by their first bytes: a spreadsheet or document uploaded instead of its CSV export.
 * Returns the error to throw, or null.
 */
export function detectBinaryFormat(head: Uint8Array): CsvError | null {
  const saveAs = 'Open it in Excel (or Google Sheets, Numbers, LibreOffice) and save or download it as "CSV UTF-8", then upload the CSV file.';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const text = ascii(head, Math.min(head.length, 4096));
    if (/xl\/|\[Content_Types\]\.xml/.test(text) && !/word\/|ppt\//.test(text)) {
      return new CsvError('CSV_BINARY', `This looks like an Excel workbook (.xlsx), not a CSV file. ${saveAs}`);
    }
    if (text.includes('application/vnd.oasis.opendocument.spreadsheet')) {
      return new CsvError('CSV_BINARY', `This looks like an OpenDocument spreadsheet (.ods), not a CSV file. ${saveAs}`);
    }
    if (/word\//.test(text)) return new CsvError('CSV_BINARY', 'This looks like a Word document (.docx), not a CSV file. Export the data from your CRM as CSV and upload that file.');
    return new CsvError('CSV_BINARY', 'This is a ZIP archive, not a CSV file. Unzip it and upload the CSV file inside (some CRMs zip large exports).');
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return new CsvError('CSV_BINARY', `This looks like an Excel 97–2003 workbook (.xls), not a CSV file. ${saveAs}`);
  }
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) {
    return new CsvError('CSV_BINARY', 'This is a PDF document, not a CSV file. Export the data from your CRM or spreadsheet as CSV and upload that file.');
  }
  const other: Array<[readonly number[], string]> = [
    [[0x1f, 0x8b], 'a gzip archive; decompress it and upload the CSV file inside'],
    [[0x52, 0x61, 0x72, 0x21], 'a RAR archive; extract it and upload the CSV file inside'],
    [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive; extract it and upload the CSV file inside'],
    [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
    [[0xff, 0xd8, 0xff], 'a JPEG image'],
    [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
    [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], 'an SQLite database'],
  ];
  for (const [sig, what] of other) {
    if (startsWith(head, sig)) return new CsvError('CSV_BINARY', `This is ${what}, not a CSV file. Upload the CSV export of your data.`);
  }
  const text = ascii(head, Math.min(head.length, 1024)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (/^<\?xml[^>]*>\s*(<\?mso-application progid="Excel\.Sheet"\?>|<Workbook)/i.test(text)) {
    return new CsvError('CSV_BINARY', `This looks like an Excel XML spreadsheet, not a CSV file. ${saveAs}`);
  }
  if (/^(<!doctype html|<html)/i.test(text)) {
    return new CsvError('CSV_BINARY', `This is a web page (HTML), not a CSV file; some tools save HTML tables with an .xls or .csv name. ${saveAs}`);
  }
  return null;
}

/**
 * UTF-16 without a BOM: ASCII-range text puts a NUL in every other byte. In the first bytes, NULs mostly at odd
 * offsets mean little-endian, mostly at even offsets big-endian. Returns null for anything else.
 */
export function guessUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, 65_536) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul += 1;
    if (head[i + 1] === 0) oddNul += 1;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.3 && evenNul <= pairs * 0.05) return 'utf-16le';
  if (evenNul >= pairs * 0.3 && oddNul <= pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Streaming UTF-8 validator (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF). Fed every byte of the file
 * once, in order; a sequence may straddle two chunks. Counts valid multi-byte sequences and invalid bytes so the
 * caller can tell Windows-1252 text from UTF-8 text with a stray byte.
 */
export class Utf8Validator {
  /** Valid sequences of 2–4 bytes seen. */
  multiByte = 0;
  /** Bytes that cannot be UTF-8 (each invalid sequence counts once). */
  invalid = 0;
  /** File offset of the first invalid byte, or -1. */
  firstInvalid = -1;
  /** File offset of the first valid multi-byte sequence, or -1. */
  firstMultiByte = -1;
  private need = 0; // continuation bytes still expected
  private lower = 0x80; // allowed range of the next continuation byte (tightened after E0, ED, F0, F4)
  private upper = 0xbf;
  private seqStart = 0;

  feed(bytes: Uint8Array, from: number, to: number, fileOffsetOfFrom: number): void {
    let need = this.need;
    let lower = this.lower;
    let upper = this.upper;
    for (let i = from; i < to; i += 1) {
      const b = bytes[i]!;
      if (need === 0) {
        if (b < 0x80) continue;
        const at = fileOffsetOfFrom + (i - from);
        this.seqStart = at;
        lower = 0x80;
        upper = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          if (b === 0xe0) lower = 0xa0;
          else if (b === 0xed) upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          if (b === 0xf0) lower = 0x90;
          else if (b === 0xf4) upper = 0x8f;
        } else this.bad(at);
        continue;
      }
      if (b < lower || b > upper) {
        // The sequence breaks here; this byte starts over.
        this.bad(this.seqStart);
        need = 0;
        i -= 1;
        continue;
      }
      lower = 0x80;
      upper = 0xbf;
      need -= 1;
      if (need === 0) {
        this.multiByte += 1;
        if (this.firstMultiByte < 0) this.firstMultiByte = this.seqStart;
      }
    }
    this.need = need;
    this.lower = lower;
    this.upper = upper;
  }

  /** The file ended: a sequence cut short is invalid. */
  finish(): void {
    if (this.need > 0) this.bad(this.seqStart);
    this.need = 0;
  }

  private bad(at: number): void {
    this.invalid += 1;
    if (this.firstInvalid < 0) this.firstInvalid = at;
  }
}

/** Streaming UTF-16 check for unpaired surrogates, over code units. */
export class Utf16Validator {
  firstInvalid = -1; // file byte offset
  private pendingHigh = -1;

  feed(units: Uint16Array, from: number, to: number, fileOffsetOfFrom: number): void {
    for (let i = from; i < to; i += 1) {
      const u = units[i]!;
      if (u < 0xd800 || u > 0xdfff) {
        if (this.pendingHigh >= 0) this.bad(this.pendingHigh);
        this.pendingHigh = -1;
      } else if (u <= 0xdbff) {
        if (this.pendingHigh >= 0) this.bad(this.pendingHigh);
        this.pendingHigh = fileOffsetOfFrom + (i - from) * 2;
      } else if (this.pendingHigh >= 0) this.pendingHigh = -1;
      else this.bad(fileOffsetOfFrom + (i - from) * 2);
    }
  }

  finish(): void {
    if (this.pendingHigh >= 0) this.bad(this.pendingHigh);
    this.pendingHigh = -1;
  }

  private bad(at: number): void {
    if (this.firstInvalid < 0) this.firstInvalid = at;
  }
}

// WHATWG windows-1252 for 0x80–0x9F (the five undefined bytes map to the C1 controls, as browsers do).
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const C1 = /[\x80-\x9f]/g;
const HAS_C1 = /[\x80-\x9f]/;
const fromC1 = (ch: string): string => String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80]!);

type FastLatin1 = Buffer & { latin1Slice?: (start: number, end: number) => string };
const latin1: (b: Buffer, s: number, e: number) => string =
  typeof (Buffer.prototype as FastLatin1).latin1Slice === 'function'
    ? (b, s, e) => (b as FastLatin1).latin1Slice!(s, e)
    : (b, s, e) => b.toString('latin1', s, e);

/** Windows-1252 → string: Latin-1 (which Node decodes natively) with 0x80–0x9F remapped (€, “ ”, ‘ ’, –, —, …). */
export function decodeWindows1252(bytes: Buffer, start: number, end: number): string {
  const s = latin1(bytes, start, end);
  return HAS_C1.test(s) ? s.replace(C1, fromC1) : s;
}
