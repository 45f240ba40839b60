/**
 * A small, fast CSV writer (RFC 4180 quoting) for the bulk endpoints (Salesforce Bulk 2.0 results, HubSpot
 * exports, Zoho Bulk Read). Rows are pulled lazily from an iterable and emitted in ~64 kB string chunks, so a
 * 200,000-row result never exists as 200,000 objects at once.
 */
import { Readable } from 'node:stream';

export type CsvValue = string | number | boolean | null | undefined | Date;

export interface CsvOptions {
  /** One character; default ','. Salesforce also allows ^ | ; TAB and `. */
  readonly delimiter?: string;
  /** Default '\r\n' (RFC 4180); Salesforce's default is '\n'. */
  readonly lineEnding?: '\n' | '\r\n';
  /** Prefix a UTF-8 byte-order mark (some exports carry one for Excel). Default false. */
  readonly bom?: boolean;
  /** Target chunk size in characters. Default 65,536. */
  readonly chunkSize?: number;
}

const NEEDS_QUOTES_COMMA = /[",\r\n]/;
const QUOTE = /"/g;

function needsQuotesFor(delimiter: string): RegExp {
  if (delimiter === ',') return NEEDS_QUOTES_COMMA;
  return new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
}

/** One field: null/undefined → empty, Date → ISO-8601, quoted when it holds a quote, delimiter, CR or LF. */
export function csvField(value: CsvValue, delimiter = ','): string {
  return encode(value, needsQuotesFor(delimiter));
}

function encode(value: CsvValue, needsQuotes: RegExp): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value);
  return needsQuotes.test(s) ? `"${s.replace(QUOTE, '""')}"` : s;
}

/** One row including its line ending. */
export function csvRow(values: readonly CsvValue[], options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const re = needsQuotesFor(delimiter);
  let line = '';
  for (let k = 0; k < values.length; k++) line += (k === 0 ? '' : delimiter) + encode(values[k], re);
  return line + (options.lineEnding ?? '\r\n');
}

/** Lazily yields CSV text in chunks: the header (if any) then every row. */
export function* csvChunks(
  header: readonly string[] | null,
  rows: Iterable<readonly CsvValue[]>,
  options: CsvOptions = {},
): Generator<string> {
  const delimiter = options.delimiter ?? ',';
  const eol = options.lineEnding ?? '\r\n';
  const chunkSize = options.chunkSize ?? 65_536;
  const re = needsQuotesFor(delimiter);
  let buf = options.bom ? '\uFEFF' : '';
  const add = (values: readonly CsvValue[]): void => {
    for (let k = 0; k < values.length; k++) buf += (k === 0 ? '' : delimiter) + encode(values[k], re);
    buf += eol;
  };
  if (header) add(header);
  for (const row of rows) {
    add(row);
    if (buf.length >= chunkSize) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

/** A readable stream of the CSV (strings), ready to send as a Fastify reply or to feed `zipSingleFile`. */
export function csvStream(header: readonly string[] | null, rows: Iterable<readonly CsvValue[]>, options: CsvOptions = {}): Readable {
  return Readable.from(csvChunks(header, rows, options), { objectMode: false, encoding: 'utf8' });
}
