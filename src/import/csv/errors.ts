/**
 * The one error class of CSV ingestion, with a fixed list of codes (docs/csv.md lists each). Messages are
 * written for the person who uploaded the file: what is wrong, where (the line), and what to do about it.
 */

export const CSV_ERROR_CODES = [
  'CSV_EMPTY',
  'CSV_HEADER_ONLY',
  'CSV_BINARY',
  'CSV_ENCODING',
  'CSV_MALFORMED',
  'CSV_RECORD_TOO_LARGE',
  'CSV_DUPLICATE_HEADERS',
  'CSV_TOO_MANY_COLUMNS',
  'CSV_CHANGED',
  'CSV_RESUME_INVALID',
] as const;
export type CsvErrorCode = (typeof CSV_ERROR_CODES)[number];

/** A file that cannot be imported (or a resume point that does not fit the file). `line` is 1-based and counts every physical line. */
export class CsvError extends Error {
  readonly code: CsvErrorCode;
  readonly line?: number;

  constructor(code: CsvErrorCode, message: string, line?: number) {
    super(message);
    this.name = 'CsvError';
    this.code = code;
    if (line !== undefined) this.line = line;
  }
}

export function isCsvError(err: unknown): err is CsvError {
  return err instanceof CsvError;
}

/** "1,204": line numbers as people read them. */
export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 MB", "512 kB": caps in messages. */
export function fmtBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} kB`;
  return `${fmt(n)} bytes`;
}
