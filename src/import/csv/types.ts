/** The public shapes of CSV ingestion (re-exported by index.ts). */
import type { SourceSystem } from '../../core/ids.js';
import type { CsvEncoding } from './encoding.js';

export interface CsvInspection {
  encoding: CsvEncoding;
  hasBom: boolean;
  /** One character: `,` `;` TAB `|`, or whatever a `sep=` line named. */
  delimiter: string;
  /** Trimmed, unique, none empty (an empty name becomes `Column N`). */
  headers: string[];
  /** Data rows, exactly the rows `readCsvRows` yields (blank rows and repeated header rows are not rows). */
  rowCount: number;
  sample: Array<Record<string, string>>;
  detectedSource: SourceSystem | null;
  detectedReason: string;
  /** Things a person should know before importing (each a sentence). */
  warnings: string[];
  sizeBytes: number;
  /** Byte offset of the first data row: `{ offset: dataOffset, rowNumber: 0 }` reads from the start. */
  dataOffset?: number;
}

export interface CsvRow {
  /** 1-based data row. */
  rowNumber: number;
  values: Record<string, string>;
  /** Byte offset just after this row: the resume point. */
  nextOffset: number;
  /** Set on a row that cannot be read as the header says, e.g. "ragged row: 7 cells, 9 headers". */
  error?: string;
  /** Physical line (1-based, counting every line of the file) where the row starts. */
  line: number;
}

/** Where to pick up: the `nextOffset` and `rowNumber` of the last row handled (`resumePoint(row)`). */
export interface CsvResumePoint {
  offset: number;
  rowNumber: number;
}

/** Tuning knobs, for tests and benchmarks; the defaults suit production. */
export interface CsvReadOptions {
  /** Bytes read at a time (default 256 kB). */
  chunkBytes?: number;
  /** The longest row accepted, in bytes (default 1 MB). */
  maxRecordBytes?: number;
}

export interface CsvInspectOptions extends CsvReadOptions {
  /** Rows in `sample` (default 20, at most 1,000). */
  sampleRows?: number;
}
