/**
 * `readCsvRows`: the rows of an inspected file as a stream, each with the byte offset just after it, so a run
 * that stops can pick up exactly there. The reader re-reads the header and refuses a file that no longer matches
 * its inspection (CSV_CHANGED), and checks that a resume point is a row boundary of this file (CSV_RESUME_INVALID).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { decoderFor, fieldValue } from './decode.js';
import { CsvError, fmt } from './errors.js';
import { layoutOf, lineAt, openScanner, readHead } from './file.js';
import { buildHeaders, decodeRecord, readPrelude } from './header.js';
import { RowFilter, SINGLE, classify, isFooterText } from './rows.js';
import { END, NEED_MORE, type RecordScanner } from './scanner.js';
import type { CsvInspection, CsvReadOptions, CsvResumePoint, CsvRow } from './types.js';

/** The resume point after a row: pass it to `readCsvRows` to continue with the next row. */
export function resumePoint(row: CsvRow): CsvResumePoint {
  return { offset: row.nextOffset, rowNumber: row.rowNumber };
}

/**
 * Stream the data rows of a file that `inspectCsvFile` accepted. `resume` is the `nextOffset` and `rowNumber` of
 * the last row handled (`resumePoint(row)`); the next row yielded is then `rowNumber + 1`. `rowNumber: 0` with an
 * offset up to the first row's (`0` or `dataOffset`) starts at the beginning. Ragged rows come with
 * `error` set; they do not stop the stream.
 */
export async function* readCsvRows(
  path: string,
  inspection: CsvInspection,
  resume?: CsvResumePoint,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRow, void, undefined> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size !== inspection.sizeBytes) throw changed(`it is now ${fmt(size)} bytes, not ${fmt(inspection.sizeBytes)}`);
    const layout = layoutOf(inspection.encoding, inspection.hasBom);
    const head = await readHead(fh, size);
    const { scanner: sc } = openScanner(fh, layout, head, size, inspection.delimiter, options);
    const decode = decoderFor(inspection.encoding);
    const prelude = await readPrelude(sc);
    if (!prelude) throw changed('it has no header row any more');
    const header = prelude.header;
    const headers = inspection.headers;
    const names = decodeRecord(header, decode);
    const rebuilt = buildHeaders(names.slice(0, headers.length), header.line).headers;
    if (
      names.length < headers.length ||
      rebuilt.some((h, i) => h !== headers[i]) ||
      names.slice(headers.length).some((n) => n.trim() !== '')
    ) {
      throw changed('its header row is different');
    }

    let rowNumber = 0;
    // `{ offset: 0, rowNumber: 0 }` (a position saved before any row) means the start, like no resume point.
    if (resume && !(resume.rowNumber === 0 && resume.offset >= 0 && resume.offset <= header.endOffset)) {
      await checkResume(fh, resume, header.endOffset, size, layout.width, layout.bomLength);
      rowNumber = resume.rowNumber;
      if (resume.offset !== header.endOffset) sc.reset(resume.offset, await lineAt(fh, resume.offset, layout));
    }

    const queue: CsvRow[] = [];
    const filter = new RowFilter<CsvRow>((row) => {
      rowNumber += 1;
      row.rowNumber = rowNumber;
      queue.push(row);
    });
    const columns = headers.length;
    const make = (): CsvRow => buildRow(sc, headers, columns, decode);
    for (;;) {
      const st = sc.next();
      if (st === NEED_MORE) {
        await sc.fill();
        continue;
      }
      if (st === END) break;
      const kind = classify(sc, header);
      filter.accept(kind, make, kind === SINGLE && isFooterText(sc));
      if (queue.length > 0) {
        for (const row of queue) yield row;
        queue.length = 0;
      }
    }
    filter.finish();
    for (const row of queue) yield row;
  } finally {
    await fh.close();
  }
}

function buildRow(sc: RecordScanner, headers: readonly string[], columns: number, decode: ReturnType<typeof decoderFor>): CsvRow {
  const n = sc.count;
  const values: Record<string, string> = {};
  for (let i = 0; i < columns; i += 1) values[headers[i]!] = i < n ? fieldValue(sc, i, decode) : '';
  const row: CsvRow = { rowNumber: 0, values, nextOffset: sc.offsetOf(sc.recEnd), line: sc.recLine };
  if (n !== columns) {
    let ragged = n < columns;
    for (let i = columns; i < n && !ragged; i += 1) if (!sc.isEmpty(i)) ragged = true;
    if (ragged) row.error = `ragged row: ${n} cells, ${columns} headers`;
  }
  return row;
}

async function checkResume(fh: FileHandle, resume: CsvResumePoint, dataOffset: number, size: number, width: 1 | 2, bomLength: number): Promise<void> {
  const { offset, rowNumber } = resume;
  const bad = (why: string): CsvError => new CsvError('CSV_RESUME_INVALID', `Cannot resume this import at byte ${offset} (row ${rowNumber}): ${why}. Start the import of this file again.`);
  if (!Number.isSafeInteger(rowNumber) || rowNumber < 0) throw bad('the row number is not a count of rows');
  if (!Number.isSafeInteger(offset) || offset < dataOffset || offset > size) throw bad(`the offset is outside the file's rows (${dataOffset}–${size})`);
  if (width === 2 && (offset - bomLength) % 2 !== 0) throw bad('the offset falls inside a UTF-16 character');
  if (offset === dataOffset || offset === size) return;
  const before = Buffer.alloc(width);
  await fh.read(before, 0, width, offset - width);
  // A line break is 0x0A or 0x0D; in UTF-16 (either byte order) its other byte is zero.
  const unit = width === 1 ? before[0] : before[0] === 0 ? before[1] : before[1] === 0 ? before[0] : -1;
  if (unit !== 0x0a && unit !== 0x0d) throw bad('the offset is not the end of a row');
}

function changed(why: string): CsvError {
  return new CsvError('CSV_CHANGED', `The file changed since it was inspected (${why}). Upload it again to import it.`);
}
