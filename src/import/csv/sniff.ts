/**
 * Which delimiter a file uses. Excel's `sep=;` first line wins when present; otherwise each candidate
 * (`,` `;` TAB `|`) parses the first chunk — quote-aware, so delimiters inside quoted fields do not count — and
 * the one giving a header (the first record of two cells or more, after up to nine title lines) and the largest
 * share of following records with the header's cell count wins; ties go to more columns, then to the list order.
 */
import { RECORD, RecordScanner } from './scanner.js';

export const DELIMITERS = [',', ';', '\t', '|'] as const;

const SNIFF_RECORDS = 100;
const MAX_TITLE_LINES = 9;

export interface SepLine {
  readonly delimiter: string;
  /** Bytes of the line including its line break. */
  readonly bytes: number;
}

function unitAt(head: Uint8Array, i: number, width: 1 | 2, swap: boolean): number {
  if (width === 1) return head[i] ?? -1;
  const a = head[2 * i];
  const b = head[2 * i + 1];
  if (a === undefined || b === undefined) return -1;
  return swap ? (a << 8) | b : a | (b << 8);
}

/** Excel's hint line `sep=X` (any case), alone on the first line. `head` starts after the BOM. */
export function detectSepLine(head: Uint8Array, width: 1 | 2, swap: boolean, eof: boolean): SepLine | null {
  const u = (i: number): number => unitAt(head, i, width, swap);
  const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  if (lower(u(0)) !== 0x73 || lower(u(1)) !== 0x65 || lower(u(2)) !== 0x70 || u(3) !== 0x3d) return null;
  const sep = u(4);
  if (sep < 0x09 || sep === 0x0a || sep === 0x0d || sep === 0x22 || sep > 0x7e) return null;
  const after = u(5);
  let units: number;
  if (after === 0x0a) units = 6;
  else if (after === 0x0d) units = u(6) === 0x0a ? 7 : 6;
  else if (after === -1 && eof) units = 5;
  else return null;
  return { delimiter: String.fromCharCode(sep), bytes: units * width };
}

export interface SniffResult {
  readonly delimiter: string;
  /** Cells in the first record with that delimiter. */
  readonly columns: number;
}

/** Guess the delimiter from the file's first chunk (after the BOM and any `sep=` line). */
export function sniffDelimiter(head: Uint8Array, width: 1 | 2, swap: boolean, eof: boolean): SniffResult {
  let best: { delimiter: string; columns: number; consistency: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const counts = recordWidths(head, width, swap, eof, delimiter.charCodeAt(0));
    // The header is the first record with two cells or more: title lines above it have one.
    const first = counts.findIndex((c) => c >= 2);
    if (first < 0 || first > MAX_TITLE_LINES) continue;
    const columns = counts[first]!;
    const rest = counts.slice(first + 1);
    const consistency = rest.length === 0 ? 1 : rest.filter((c) => c === columns).length / rest.length;
    if (!best || consistency > best.consistency || (consistency === best.consistency && columns > best.columns)) {
      best = { delimiter, columns, consistency };
    }
  }
  return best ? { delimiter: best.delimiter, columns: best.columns } : { delimiter: ',', columns: 1 };
}

/** Cell counts of the first non-blank records of `head` parsed with one delimiter. */
function recordWidths(head: Uint8Array, width: 1 | 2, swap: boolean, eof: boolean, delimiter: number): number[] {
  const size = head.length + 2;
  const sc = new RecordScanner(null, 0, 1, size, { width, swap, delimiter, chunkBytes: size, maxRecordBytes: Number.MAX_SAFE_INTEGER });
  sc.load(head, eof);
  const counts: number[] = [];
  try {
    while (counts.length < SNIFF_RECORDS) {
      const st = sc.next();
      if (st !== RECORD) break;
      let blank = true;
      for (let i = 0; i < sc.count && blank; i += 1) if (!sc.isEmpty(i)) blank = false;
      if (!blank) counts.push(sc.count);
    }
  } catch {
    // A malformed record ends the sample here; the full pass reports it with its line.
  }
  return counts;
}
