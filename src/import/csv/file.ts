/** File-level helpers shared by inspection and reading: the opening bytes, the layout, line numbers. */
import type { FileHandle } from 'node:fs/promises';
import type { CsvEncoding } from './encoding.js';
import { detectSepLine } from './sniff.js';
import { RecordScanner, fileSource } from './scanner.js';
import type { CsvReadOptions } from './types.js';

export const DEFAULT_CHUNK_BYTES = 256 * 1024;
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
/** Bytes looked at for magic numbers, UTF-16 patterns, `sep=` and the delimiter. */
export const HEAD_BYTES = 64 * 1024;

export async function readHead(fh: FileHandle, size: number, bytes = HEAD_BYTES): Promise<Buffer> {
  const buf = Buffer.alloc(Math.min(size, bytes));
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

export interface Layout {
  readonly encoding: CsvEncoding;
  readonly width: 1 | 2;
  readonly swap: boolean;
  readonly bomLength: number;
}

export function layoutOf(encoding: CsvEncoding, hasBom: boolean): Layout {
  const width = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
  const bomLength = hasBom ? (width === 2 ? 2 : 3) : 0;
  return { encoding, width, swap: encoding === 'utf-16be', bomLength };
}

/** A scanner positioned after the BOM and any `sep=` line; `sepLine` says whether there was one. */
export function openScanner(
  fh: FileHandle,
  layout: Layout,
  head: Buffer,
  size: number,
  delimiter: string,
  options: CsvReadOptions,
  chunkDefault = DEFAULT_CHUNK_BYTES,
): { scanner: RecordScanner; sepLine: boolean } {
  const body = head.subarray(layout.bomLength);
  const sep = detectSepLine(body, layout.width, layout.swap, head.length >= size);
  const scanner = new RecordScanner(fileSource(fh), layout.bomLength + (sep?.bytes ?? 0), sep ? 2 : 1, size, {
    width: layout.width,
    swap: layout.swap,
    delimiter: delimiter.charCodeAt(0),
    chunkBytes: options.chunkBytes ?? chunkDefault,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
  });
  return { scanner, sepLine: sep !== null };
}

/**
 * The physical line (1-based) at a byte offset: one more than the line breaks before it (CRLF, LF and a lone CR
 * each count once, as the scanner counts them). Streams; used on resume and for error lines.
 */
export async function lineAt(fh: FileHandle, offset: number, layout: Layout): Promise<number> {
  const chunk = Buffer.allocUnsafeSlow(1024 * 1024);
  let breaks = 0;
  let prevCr = false;
  let pos = 0;
  while (pos < offset) {
    const want = Math.min(chunk.length, offset - pos);
    const { bytesRead } = await fh.read(chunk, 0, want, pos);
    if (bytesRead === 0) break;
    const usable = layout.width === 2 ? bytesRead & ~1 : bytesRead;
    if (usable === 0) break;
    pos += usable;
    let units: Uint8Array | Uint16Array;
    if (layout.width === 1) units = chunk.subarray(0, usable);
    else {
      if (layout.swap) chunk.subarray(0, usable).swap16();
      units = new Uint16Array(chunk.buffer, chunk.byteOffset, usable >> 1);
    }
    for (let i = units.indexOf(0x0d); i >= 0; i = units.indexOf(0x0d, i + 1)) breaks += 1;
    for (let i = units.indexOf(0x0a); i >= 0; i = units.indexOf(0x0a, i + 1)) {
      const before = i > 0 ? units[i - 1] === 0x0d : prevCr;
      if (!before) breaks += 1;
    }
    prevCr = units[units.length - 1] === 0x0d;
  }
  return breaks + 1;
}
