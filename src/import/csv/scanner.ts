/**
 * The record scanner: RFC 4180 records found in a bounded, reused buffer of code units (bytes for UTF-8 and
 * Windows-1252, 16-bit units for UTF-16), with the exact file byte offset of every record. The structural
 * characters (quote, delimiter, CR, LF) are ASCII, and in UTF-8 an ASCII byte never occurs inside a multi-byte
 * sequence, so scanning bytes is exact; fields are decoded only when asked for.
 *
 * Memory is bounded by the per-record cap: a record still incomplete when it passes `maxRecordBytes` fails at
 * once (CSV_RECORD_TOO_LARGE, or CSV_MALFORMED when an open quote is what keeps it going), so the buffer never
 * holds more than the cap plus one chunk.
 */
import type { FileHandle } from 'node:fs/promises';
import { CsvError, fmt, fmtBytes } from './errors.js';

export const RECORD = 1;
export const NEED_MORE = 2;
export const END = 3;

/** Field kinds: how to turn the field's units into its value. */
export const PLAIN = 0;
/** Quoted, no doubled quotes inside: the units between the quotes. */
export const QUOTED = 1;
/** Quoted with doubled quotes (`""`) inside. */
export const ESCAPED = 2;
/** Text after the closing quote (`"abc"def`): read as Excel does, `abcdef`; the range spans the raw field. */
export const IRREGULAR = 3;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface ScannerOptions {
  /** 1 for UTF-8 and Windows-1252, 2 for UTF-16. */
  readonly width: 1 | 2;
  /** UTF-16BE: bytes are swapped to little-endian as they are read. */
  readonly swap: boolean;
  /** The delimiter's code unit. */
  readonly delimiter: number;
  readonly chunkBytes: number;
  readonly maxRecordBytes: number;
}

export type ByteSource = (buffer: Buffer, offset: number, length: number, position: number) => Promise<number>;

export function fileSource(fh: FileHandle): ByteSource {
  return async (buffer, offset, length, position) => (await fh.read(buffer, offset, length, position)).bytesRead;
}

export class RecordScanner {
  /** The buffer; `units` views the same memory. Valid between `next()` calls that return RECORD. */
  bytes: Buffer;
  units: Uint8Array | Uint16Array;
  /** Valid units in the buffer. */
  end = 0;
  /** File byte offset of bytes[0]. */
  base: number;
  /** Unit index where the next record starts. */
  pos = 0;
  /** Physical line number (1-based) at `pos`. */
  line: number;
  eof = false;

  /** The current record (after RECORD): field ranges in units, kinds, count, offsets and line. */
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  kinds = new Uint8Array(64);
  recStart = 0;
  recEnd = 0;
  recLine = 0;
  /** Fields read the Excel way (text after a closing quote) in the current record. */
  recIrregular = 0;

  /** Called after each read with the range of units it completed (indices into `units`). */
  onData: ((from: number, to: number) => void) | undefined;

  readonly width: 1 | 2;
  private readonly swap: boolean;
  private readonly delimiter: number;
  private readonly chunkBytes: number;
  private readonly maxRecordBytes: number;
  private byteLen = 0;
  private swapped = 0;
  private filePos: number;
  private readonly limit: number;

  /**
   * @param source where bytes come from (null: only what `load` puts in)
   * @param start file byte offset to start at; `line` is the physical line there
   * @param limit file byte offset to stop at (the file size)
   */
  constructor(private readonly source: ByteSource | null, start: number, line: number, limit: number, options: ScannerOptions) {
    this.width = options.width;
    this.swap = options.swap;
    this.delimiter = options.delimiter;
    this.chunkBytes = Math.max(2, options.chunkBytes & ~1);
    this.maxRecordBytes = options.maxRecordBytes;
    this.base = start;
    this.filePos = start;
    this.line = line;
    this.limit = limit;
    this.bytes = Buffer.allocUnsafeSlow(this.chunkBytes * 2);
    this.units = this.view();
  }

  /** File byte offset of a unit index. */
  offsetOf(unit: number): number {
    return this.base + unit * this.width;
  }

  /** Start over at a file offset (a record boundary) whose physical line is `line`. */
  reset(start: number, line: number): void {
    this.base = start;
    this.filePos = start;
    this.line = line;
    this.pos = 0;
    this.end = 0;
    this.byteLen = 0;
    this.swapped = 0;
    this.eof = false;
  }

  /** Read the next chunk (after moving the unfinished record to the front of the buffer). */
  async fill(): Promise<void> {
    if (this.eof) return;
    this.compact();
    const free = this.bytes.length - this.byteLen;
    const want = Math.min(free, this.limit - this.filePos);
    const got = want > 0 && this.source ? await this.source(this.bytes, this.byteLen, want, this.filePos) : 0;
    this.filePos += got;
    this.accept(got, got === 0 || this.filePos >= this.limit);
  }

  /** Put bytes in directly (sniffing a file's first chunk). */
  load(data: Uint8Array, eof: boolean): void {
    this.compact();
    const n = Math.min(data.length, this.bytes.length - this.byteLen);
    this.bytes.set(data.subarray(0, n), this.byteLen);
    this.filePos += n;
    this.accept(n, eof && n === data.length);
  }

  private compact(): void {
    const shiftBytes = this.pos * this.width;
    if (shiftBytes > 0) {
      this.bytes.copy(this.bytes, 0, shiftBytes, this.byteLen);
      this.byteLen -= shiftBytes;
      this.swapped = Math.max(0, this.swapped - shiftBytes);
      this.end -= this.pos;
      this.base += shiftBytes;
      this.pos = 0;
    }
    if (this.bytes.length - this.byteLen < this.chunkBytes) {
      const size = Math.max(this.bytes.length * 2, this.byteLen + this.chunkBytes);
      const next = Buffer.allocUnsafeSlow(size + (size & 1));
      this.bytes.copy(next, 0, 0, this.byteLen);
      this.bytes = next;
      this.units = this.view();
    }
  }

  private accept(got: number, eof: boolean): void {
    this.byteLen += got;
    if (this.swap) {
      const even = this.byteLen & ~1;
      if (even > this.swapped) {
        this.bytes.subarray(this.swapped, even).swap16();
        this.swapped = even;
      }
    }
    const before = this.end;
    this.end = this.width === 1 ? this.byteLen : this.byteLen >> 1;
    this.eof = eof;
    if (this.onData && this.end > before) this.onData(before, this.end);
  }

  private view(): Uint8Array | Uint16Array {
    return this.width === 1 ? this.bytes : new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length >> 1);
  }

  /** Bytes left over after the last whole unit at the end of the file (an odd UTF-16 file). */
  get danglingBytes(): number {
    return this.byteLen - this.end * this.width;
  }

  /** Units buffered but not yet consumed (the pending record). */
  get pendingUnits(): number {
    return this.end - this.pos;
  }

  /**
   * Scan the next record. RECORD: `count`, `starts`, `ends`, `kinds`, `recStart`/`recEnd` (units) and `recLine`
   * describe it and `pos` is past it. NEED_MORE: call `fill()` and again. END: no more records.
   */
  next(): number {
    const d = this.units;
    const n = this.end;
    const delim = this.delimiter;
    const eof = this.eof;
    let p = this.pos;
    if (p >= n) return eof ? END : NEED_MORE;
    const recStart = p;
    let count = 0;
    let lines = 0;
    let irregular = 0;
    let starts = this.starts;
    let ends = this.ends;
    let kinds = this.kinds;
    for (;;) {
      if (count === starts.length) {
        this.growFields();
        starts = this.starts;
        ends = this.ends;
        kinds = this.kinds;
      }
      const fieldStart = p;
      let s = p;
      let e: number;
      let kind = PLAIN;
      if (p < n && d[p] === QUOTE) {
        const quoteLines = lines;
        p += 1;
        s = p;
        kind = QUOTED;
        for (;;) {
          if (p >= n) {
            if (!eof) return this.needMore(recStart, quoteLines);
            throw unclosedQuote(this.line + quoteLines);
          }
          const c = d[p];
          if (c === QUOTE) {
            if (p + 1 < n) {
              if (d[p + 1] === QUOTE) {
                kind = ESCAPED;
                p += 2;
                continue;
              }
            } else if (!eof) return this.needMore(recStart, quoteLines);
            break;
          }
          if (c === LF) lines += 1;
          else if (c === CR) {
            if (p + 1 >= n && !eof) return this.needMore(recStart, quoteLines);
            if (p + 1 >= n || d[p + 1] !== LF) lines += 1;
          }
          p += 1;
        }
        e = p;
        p += 1;
        if (p < n) {
          const c = d[p];
          if (c !== delim && c !== LF && c !== CR) {
            // Text after the closing quote. After a quoted line break it means the quote was never meant to
            // close here: an unbalanced quote swallowed the lines in between.
            if (lines > quoteLines) throw unclosedQuote(this.line + quoteLines);
            while (p < n) {
              const c2 = d[p];
              if (c2 === delim || c2 === LF || c2 === CR) break;
              p += 1;
            }
            if (p >= n && !eof) return this.needMore(recStart, -1);
            kind = IRREGULAR;
            s = fieldStart;
            e = p;
            irregular += 1;
          }
        } else if (!eof) return this.needMore(recStart, -1);
      } else {
        while (p < n) {
          const c = d[p];
          if (c === delim || c === LF || c === CR) break;
          p += 1;
        }
        if (p >= n && !eof) return this.needMore(recStart, -1);
        e = p;
      }
      starts[count] = s;
      ends[count] = e;
      kinds[count] = kind;
      count += 1;
      if (p >= n) break;
      const c = d[p];
      if (c === delim) {
        p += 1;
        continue;
      }
      if (c === CR) {
        if (p + 1 < n) p += d[p + 1] === LF ? 2 : 1;
        else if (eof) p += 1;
        else return this.needMore(recStart, -1);
      } else p += 1;
      lines += 1;
      break;
    }
    if ((p - recStart) * this.width > this.maxRecordBytes) throw this.tooLarge(-1);
    this.count = count;
    this.recStart = recStart;
    this.recEnd = p;
    this.recLine = this.line;
    this.recIrregular = irregular;
    this.line += lines;
    this.pos = p;
    return RECORD;
  }

  /** True when field i holds nothing (`` or `""`). */
  isEmpty(i: number): boolean {
    return this.ends[i] === this.starts[i] && this.kinds[i] !== IRREGULAR;
  }

  /** A copy of field i's units as bytes (little-endian for UTF-16), to decode later. */
  copyField(i: number): Buffer {
    const w = this.width;
    return Buffer.from(this.bytes.subarray(this.starts[i]! * w, this.ends[i]! * w));
  }

  /** Field i's units equal these bytes (a copy made by copyField). */
  fieldEquals(i: number, raw: Buffer): boolean {
    const w = this.width;
    const s = this.starts[i]! * w;
    const e = this.ends[i]! * w;
    return e - s === raw.length && raw.compare(this.bytes, s, e) === 0;
  }

  private needMore(recStart: number, quoteLines: number): number {
    if ((this.end - recStart) * this.width > this.maxRecordBytes) throw this.tooLarge(quoteLines);
    return NEED_MORE;
  }

  private tooLarge(quoteLines: number): CsvError {
    const cap = fmtBytes(this.maxRecordBytes);
    if (quoteLines >= 0) {
      const line = this.line + quoteLines;
      return new CsvError(
        'CSV_MALFORMED',
        `Line ${fmt(line)} has an opening quote that is not closed within ${cap}. Fix the quote or re-export the file.`,
        line,
      );
    }
    return new CsvError(
      'CSV_RECORD_TOO_LARGE',
      `The row on line ${fmt(this.line)} is longer than ${cap}, the limit for one row. The file's line breaks may be missing ` +
        'or it may not be a CSV file; check it and export it again.',
      this.line,
    );
  }

  private growFields(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const kinds = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    kinds.set(this.kinds);
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }
}

function unclosedQuote(line: number): CsvError {
  return new CsvError('CSV_MALFORMED', `Line ${fmt(line)} has an opening quote that is never closed. Fix the quote or re-export the file.`, line);
}
