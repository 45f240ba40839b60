/**
 * Finding and naming the header row. The header is the first non-blank record, except after title lines: a
 * spreadsheet saved as CSV often starts with a title (monday.com's board name, a report name) in its first cell
 * only. Up to nine such single-cell lines are skipped when the record after them has at least three filled cells.
 * Names are trimmed; an empty name becomes `Column N` (a warning says so); two columns with the same name are an
 * error (CSV_DUPLICATE_HEADERS), since values are keyed by name and the mapping remembers names.
 */
import type { BytesDecoder } from './decode.js';
import { rawValue } from './decode.js';
import { CsvError, fmt } from './errors.js';
import { NEED_MORE, RECORD, type RecordScanner } from './scanner.js';

/** At most this many columns (the field-mapping request's cap). */
export const MAX_COLUMNS = 2000;
const MAX_TITLE_LINES = 9;

/** A record copied out of the scanner's buffer. */
export interface RawRecord {
  readonly fields: Buffer[];
  readonly kinds: number[];
  readonly nonEmpty: number;
  readonly line: number;
  /** File byte offset just after the record, and the physical line there. */
  readonly endOffset: number;
  readonly endLine: number;
}

export function copyRecord(sc: RecordScanner): RawRecord {
  const fields: Buffer[] = [];
  const kinds: number[] = [];
  let nonEmpty = 0;
  for (let i = 0; i < sc.count; i += 1) {
    fields.push(sc.copyField(i));
    kinds.push(sc.kinds[i]!);
    if (!sc.isEmpty(i)) nonEmpty += 1;
  }
  return { fields, kinds, nonEmpty, line: sc.recLine, endOffset: sc.offsetOf(sc.recEnd), endLine: sc.line };
}

export function decodeRecord(rec: RawRecord, decode: BytesDecoder): string[] {
  return rec.fields.map((f, i) => rawValue(f, rec.kinds[i]!, decode));
}

export interface Prelude {
  readonly header: RawRecord;
  /** Lines of the title rows skipped above the header. */
  readonly titleLines: number[];
}

/** Next record, reading more as needed; false at the end of the file. */
export async function nextRecord(sc: RecordScanner): Promise<boolean> {
  for (;;) {
    const st = sc.next();
    if (st === RECORD) return true;
    if (st === NEED_MORE) await sc.fill();
    else return false;
  }
}

function isBlank(sc: RecordScanner): boolean {
  for (let i = 0; i < sc.count; i += 1) if (!sc.isEmpty(i)) return false;
  return true;
}

/**
 * Read up to the header row and leave the scanner just after it. Null when the file holds no non-blank record.
 */
export async function readPrelude(sc: RecordScanner): Promise<Prelude | null> {
  const recs: RawRecord[] = [];
  while (recs.length <= MAX_TITLE_LINES && (await nextRecord(sc))) {
    if (isBlank(sc)) continue;
    const rec = copyRecord(sc);
    recs.push(rec);
    if (rec.nonEmpty >= 2) break;
  }
  if (recs.length === 0) return null;
  const last = recs[recs.length - 1]!;
  const titled = recs.length > 1 && last.nonEmpty >= 3;
  const header = titled ? last : recs[0]!;
  sc.reset(header.endOffset, header.endLine);
  return { header, titleLines: titled ? recs.slice(0, -1).map((r) => r.line) : [] };
}

export interface HeaderNames {
  readonly headers: string[];
  readonly warnings: string[];
}

/** Trim, name empty columns `Column N`, refuse duplicates and too many columns. */
export function buildHeaders(raw: readonly string[], line: number): HeaderNames {
  if (raw.length > MAX_COLUMNS) {
    throw new CsvError(
      'CSV_TOO_MANY_COLUMNS',
      `The header row (line ${fmt(line)}) has ${fmt(raw.length)} columns; at most ${fmt(MAX_COLUMNS)} can be imported. Remove unneeded columns and upload the file again.`,
      line,
    );
  }
  const names = raw.map((h) => h.trim());
  const seen = new Map<string, number>();
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i]!;
    if (name === '') continue;
    const first = seen.get(name);
    if (first !== undefined) {
      throw new CsvError(
        'CSV_DUPLICATE_HEADERS',
        `Columns ${first + 1} and ${i + 1} of the header row (line ${fmt(line)}) are both named "${name}". Rename one of them and upload the file again.`,
        line,
      );
    }
    seen.set(name, i);
  }
  const warnings: string[] = [];
  const renamed: string[] = [];
  const headers = names.map((name, i) => {
    if (name !== '' && name !== '__proto__') return name;
    let alt = name === '' ? `Column ${i + 1}` : `__proto__ (column ${i + 1})`;
    while (seen.has(alt)) alt += ' (renamed)';
    seen.set(alt, i);
    renamed.push(alt);
    return alt;
  });
  if (renamed.length > 0) {
    warnings.push(
      `The header row (line ${fmt(line)}) has ${renamed.length === 1 ? 'a column without a usable name; it is' : `${renamed.length} columns without a usable name; they are`} called ${renamed.join(', ')}.`,
    );
  }
  return { headers, warnings };
}
