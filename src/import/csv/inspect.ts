/**
 * `inspectCsvFile`: one streaming pass over an uploaded file that decides how to read it (encoding, delimiter,
 * header), counts its rows exactly, keeps a sample, names the CRM that exported it, and refuses a file that
 * cannot be imported with a CsvError saying why and where. docs/csv.md describes each rule.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { decoderFor, rawValue, type BytesDecoder } from './decode.js';
import { detectSource } from './detect-source.js';
import { Utf16Validator, Utf8Validator, detectBinaryFormat, detectBom, guessUtf16, type CsvEncoding } from './encoding.js';
import { CsvError, fmt } from './errors.js';
import { HEAD_BYTES, lineAt, layoutOf, openScanner, readHead, type Layout } from './file.js';
import { buildHeaders, decodeRecord, nextRecord, readPrelude, copyRecord, type RawRecord } from './header.js';
import { RowFilter, SINGLE, classify, isFooterText } from './rows.js';
import { detectSepLine, sniffDelimiter } from './sniff.js';
import type { CsvInspectOptions, CsvInspection } from './types.js';

const DEFAULT_SAMPLE_ROWS = 20;
const MAX_SAMPLE_ROWS = 1000;

interface SeenRow {
  readonly line: number;
  readonly cells: number;
  /** Index of the last filled cell, -1 for none. */
  readonly lastFilled: number;
  readonly raw: RawRecord | null;
}

/** Inspect a CSV file (see the module comment). Throws CsvError for a file that cannot be imported. */
export async function inspectCsvFile(path: string, options: CsvInspectOptions = {}): Promise<CsvInspection> {
  const sampleRows = Math.max(0, Math.min(MAX_SAMPLE_ROWS, Math.floor(options.sampleRows ?? DEFAULT_SAMPLE_ROWS)));
  const fh = await open(path, 'r');
  try {
    return await inspect(fh, sampleRows, options);
  } finally {
    await fh.close();
  }
}

async function inspect(fh: FileHandle, sampleRows: number, options: CsvInspectOptions): Promise<CsvInspection> {
  const size = (await fh.stat()).size;
  if (size === 0) throw new CsvError('CSV_EMPTY', 'The file is empty. Export the data again and upload the CSV file.');
  const head = await readHead(fh, size, HEAD_BYTES);
  const binary = detectBinaryFormat(head);
  if (binary) throw binary;

  const bom = detectBom(head);
  let encoding: CsvEncoding = bom?.encoding ?? guessUtf16(head) ?? 'utf-8';
  const layout = layoutOf(encoding, bom !== null);
  if (size <= layout.bomLength) {
    throw new CsvError('CSV_EMPTY', 'The file holds nothing but a byte-order mark. Export the data again and upload the CSV file.');
  }
  if (layout.width === 1) {
    const nul = head.indexOf(0);
    if (nul >= 0) throw await binaryAt(fh, nul, layout);
  }
  const body = head.subarray(layout.bomLength);
  const headEof = head.length >= size;
  const sep = detectSepLine(body, layout.width, layout.swap, headEof);
  const delimiter = sep ? sep.delimiter : sniffDelimiter(body, layout.width, layout.swap, headEof).delimiter;
  const { scanner } = openScanner(fh, layout, head, size, delimiter, options);

  // Whole-file checks, fed each chunk as it is read.
  const utf8 = layout.width === 1 ? new Utf8Validator() : null;
  const utf16 = layout.width === 2 ? new Utf16Validator() : null;
  let nulOffset = -1;
  // Bytes already checked: after the header is found the scanner re-reads from there, and nothing is fed twice.
  let fed = 0;
  scanner.onData = (start, to) => {
    const end = scanner.offsetOf(to);
    if (end <= fed) return;
    const from = start + Math.max(0, fed - scanner.offsetOf(start)) / layout.width;
    fed = end;
    const offset = scanner.offsetOf(from);
    if (utf8) {
      const chunk = scanner.bytes.subarray(from, to);
      if (!isAscii(chunk)) utf8.feed(scanner.bytes, from, to, offset);
      if (nulOffset < 0) {
        const i = chunk.indexOf(0);
        if (i >= 0) nulOffset = offset + i;
      }
    } else if (utf16) {
      const units = scanner.units as Uint16Array;
      utf16.feed(units, from, to, offset);
      if (nulOffset < 0) {
        const i = units.subarray(from, to).indexOf(0);
        if (i >= 0) nulOffset = offset + i * 2;
      }
    }
  };

  const prelude = await readPrelude(scanner);
  if (nulOffset >= 0) throw await binaryAt(fh, nulOffset, layout);
  if (!prelude) throw new CsvError('CSV_EMPTY', 'The file has no rows, only empty lines. Export the data again and upload the CSV file.');
  const header = prelude.header;
  // Fail fast on the header's names, decoded as well as can be told before the whole file is read.
  const provisional = layout.width === 1 && !bom && !header.fields.every((f) => isUtf8(f)) ? 'windows-1252' : encoding;
  buildHeaders(decodeRecord(header, decoderFor(provisional)), header.line);

  const seen = { rows: 0, usedColumns: 0, tooMany: 0, tooManyLines: [] as number[] };
  const widths = new Map<number, { n: number; lines: number[] }>();
  const samples: RawRecord[] = [];
  const rawCount = header.fields.length;
  const irregularLines: number[] = [];
  const filter = new RowFilter<SeenRow>((row) => {
    seen.rows += 1;
    if (row.lastFilled + 1 > seen.usedColumns) seen.usedColumns = row.lastFilled + 1;
    if (row.lastFilled >= rawCount) {
      seen.tooMany += 1;
      if (seen.tooManyLines.length < 3) seen.tooManyLines.push(row.line);
    }
    let w = widths.get(row.cells);
    if (!w) widths.set(row.cells, (w = { n: 0, lines: [] }));
    w.n += 1;
    if (w.lines.length < 3) w.lines.push(row.line);
    if (row.raw && samples.length < sampleRows) samples.push(row.raw);
  });
  let irregular = 0;

  while (await nextRecord(scanner)) {
    if (nulOffset >= 0 && scanner.offsetOf(scanner.recEnd) > nulOffset) throw await binaryAt(fh, nulOffset, layout);
    const kind = classify(scanner, header);
    if (scanner.recIrregular > 0) {
      irregular += scanner.recIrregular;
      if (irregularLines.length < 3) irregularLines.push(scanner.recLine);
    }
    filter.accept(kind, () => {
      let lastFilled = -1;
      for (let i = scanner.count - 1; i >= 0; i -= 1) {
        if (!scanner.isEmpty(i)) {
          lastFilled = i;
          break;
        }
      }
      const wantSample = samples.length + (filter.holding ? 1 : 0) < sampleRows;
      return { line: scanner.recLine, cells: scanner.count, lastFilled, raw: wantSample ? copyRecord(scanner) : null };
    }, kind === SINGLE && isFooterText(scanner));
  }
  filter.finish();
  if (nulOffset >= 0) throw await binaryAt(fh, nulOffset, layout);

  const warnings: string[] = [];
  encoding = await settleEncoding(fh, layout, bom !== null, utf8, utf16, scanner.danglingBytes, warnings);
  const decode = decoderFor(encoding);

  if (seen.rows === 0) {
    const skipped = filter.repeatedHeaders + filter.groupTitles > 0 ? ' (only repetitions of the header row follow it)' : '';
    throw new CsvError(
      'CSV_HEADER_ONLY',
      `The file has a header row (line ${fmt(header.line)}) but no data rows${skipped}. Export the data again with its rows and upload that file.`,
      header.line,
    );
  }

  // Columns: trailing columns with neither a name nor a value anywhere are dropped (Excel pads rows with delimiters).
  const names = decodeRecord(header, decode);
  let keep = names.length;
  while (keep > seen.usedColumns && keep > 1 && names[keep - 1]!.trim() === '') keep -= 1;
  const built = buildHeaders(names.slice(0, keep), header.line);
  const headers = built.headers;
  if (keep < names.length) {
    warnings.push(`${names.length - keep} empty column${names.length - keep === 1 ? '' : 's'} at the end of the header row (line ${fmt(header.line)}) ${names.length - keep === 1 ? 'was' : 'were'} ignored.`);
  }
  warnings.push(...built.warnings);

  const sample = samples.map((rec) => rowValues(rec, headers, decode));
  const ragged = countRagged(widths, keep, seen.tooMany, seen.tooManyLines);
  if (ragged.n > 0) {
    warnings.push(
      `${fmt(ragged.n)} row${ragged.n === 1 ? ' has' : 's have'} a different number of cells than the ${headers.length} headers ` +
        `(line${ragged.lines.length === 1 ? '' : 's'} ${ragged.lines.map(fmt).join(', ')}${ragged.n > ragged.lines.length ? ', …' : ''}). ` +
        `${ragged.n === 1 ? 'It is' : 'They are'} reported as row errors and the rest is imported; check the file for stray delimiters or line breaks.`,
    );
  }
  if (prelude.titleLines.length > 0) {
    warnings.push(`Title line${prelude.titleLines.length === 1 ? '' : 's'} above the header (line${prelude.titleLines.length === 1 ? '' : 's'} ${prelude.titleLines.map(fmt).join(', ')}) ${prelude.titleLines.length === 1 ? 'was' : 'were'} skipped.`);
  }
  if (filter.repeatedHeaders > 0) {
    const groups = filter.groupTitles > 0 ? ` and ${fmt(filter.groupTitles)} group title${filter.groupTitles === 1 ? '' : 's'} above them` : '';
    warnings.push(`${fmt(filter.repeatedHeaders)} repetition${filter.repeatedHeaders === 1 ? '' : 's'} of the header row${groups} ${filter.repeatedHeaders + filter.groupTitles === 1 ? 'was' : 'were'} skipped.`);
  }
  if (filter.footerLines > 0) {
    warnings.push(`The report footer at the end of the file (${filter.footerLines} line${filter.footerLines === 1 ? '' : 's'}: copyright, "Generated By") was skipped.`);
  }
  if (filter.blankRows > 0) warnings.push(`${fmt(filter.blankRows)} empty row${filter.blankRows === 1 ? ' was' : 's were'} skipped.`);
  if (irregular > 0) {
    warnings.push(
      `${fmt(irregular)} field${irregular === 1 ? ' has' : 's have'} text after a closing quote (line${irregularLines.length === 1 ? '' : 's'} ${irregularLines.map(fmt).join(', ')}${irregular > irregularLines.length ? ', …' : ''}); ` +
        'read as Excel reads them ("abc"def → abcdef).',
    );
  }

  const detection = detectSource(headers, { sample, titleLines: prelude.titleLines.length, repeatedHeaders: filter.repeatedHeaders, footerLines: filter.footerLines });
  return {
    encoding,
    hasBom: bom !== null,
    delimiter,
    headers,
    rowCount: seen.rows,
    sample,
    detectedSource: detection.source,
    detectedReason: detection.reason,
    warnings,
    sizeBytes: size,
    dataOffset: header.endOffset,
  };
}

/** A row's values keyed by header: missing cells are '', cells past the last header are dropped. */
export function rowValues(rec: RawRecord, headers: readonly string[], decode: BytesDecoder): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < headers.length; i += 1) {
    const raw = rec.fields[i];
    values[headers[i]!] = raw === undefined ? '' : rawValue(raw, rec.kinds[i]!, decode);
  }
  return values;
}

function countRagged(widths: Map<number, { n: number; lines: number[] }>, columns: number, tooMany: number, tooManyLines: number[]): { n: number; lines: number[] } {
  let n = tooMany;
  const lines = [...tooManyLines];
  for (const [cells, w] of widths) {
    if (cells < columns) {
      n += w.n;
      lines.push(...w.lines);
    }
  }
  return { n, lines: lines.sort((a, b) => a - b).slice(0, 3) };
}

async function binaryAt(fh: FileHandle, offset: number, layout: Layout): Promise<CsvError> {
  const line = await lineAt(fh, offset, layout);
  return new CsvError(
    'CSV_BINARY',
    `Line ${fmt(line)} contains a NUL byte, which text files do not have: this is not a CSV file, or it is damaged. Export the data again as CSV and upload that file.`,
    line,
  );
}

/** The encoding, now that every byte has been seen; CSV_ENCODING when the text cannot be decoded reliably. */
async function settleEncoding(
  fh: FileHandle,
  layout: Layout,
  hasBom: boolean,
  utf8: Utf8Validator | null,
  utf16: Utf16Validator | null,
  dangling: number,
  warnings: string[],
): Promise<CsvEncoding> {
  const resave = 'Open it in a spreadsheet or text editor, save it as "CSV UTF-8", and upload that file.';
  if (utf16) {
    if (dangling > 0) {
      throw new CsvError('CSV_ENCODING', `The file is UTF-16 text but ends in the middle of a character, so it was probably cut short. ${resave}`);
    }
    utf16.finish();
    if (utf16.firstInvalid >= 0) {
      const line = await lineAt(fh, utf16.firstInvalid, layout);
      throw new CsvError('CSV_ENCODING', `Line ${fmt(line)} holds text that is not valid UTF-16 (a broken character). ${resave}`, line);
    }
    return layout.encoding;
  }
  const v = utf8!;
  v.finish();
  if (v.invalid === 0) return 'utf-8';
  const badLine = await lineAt(fh, v.firstInvalid, layout);
  if (hasBom) {
    throw new CsvError(
      'CSV_ENCODING',
      `The file says it is UTF-8 (it starts with a UTF-8 marker), but line ${fmt(badLine)} holds bytes that are not UTF-8. ${resave}`,
      badLine,
    );
  }
  if (v.multiByte > v.invalid) {
    const goodLine = await lineAt(fh, v.firstMultiByte, layout);
    throw new CsvError(
      'CSV_ENCODING',
      `The file mixes two text encodings: line ${fmt(goodLine)} is UTF-8, but line ${fmt(badLine)} is not (probably Windows-1252), so accented letters would come out wrong. ${resave}`,
      badLine,
    );
  }
  warnings.push(
    `The file is not UTF-8 (first on line ${fmt(badLine)}), so it was read as Windows-1252, the encoding Excel uses on Windows.` +
      (v.multiByte > 0 ? ' A few characters look like UTF-8; if accented letters look wrong in the sample, save the file as "CSV UTF-8" and upload it again.' : ''),
  );
  return 'windows-1252';
}
