/**
 * CSV ingestion (issue 7): inspect an uploaded file once — encoding, delimiter, header, exact row count, sample,
 * the CRM that exported it — then read its rows as a resumable stream. docs/csv.md has the rules and limits.
 *
 *   const inspection = await inspectCsvFile(path);           // throws CsvError for a file that cannot be imported
 *   for await (const row of readCsvRows(path, inspection)) … // row.error set on a ragged row; resumePoint(row) to continue later
 */
export type { CsvInspection, CsvRow, CsvResumePoint, CsvReadOptions, CsvInspectOptions } from './types.js';
export type { CsvEncoding } from './encoding.js';
export { CsvError, CSV_ERROR_CODES, isCsvError, type CsvErrorCode } from './errors.js';
export { inspectCsvFile } from './inspect.js';
export { readCsvRows, resumePoint } from './read.js';
export { MAX_COLUMNS } from './header.js';
export { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_RECORD_BYTES } from './file.js';
