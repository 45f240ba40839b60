/**
 * What each record after the header is, and which ones become data rows. Inspection and reading share this, so
 * `rowCount` and the rows read always agree. Skipped: blank records (no cell filled, as Excel writes for empty
 * rows), repetitions of the header row (files concatenated, monday.com's one header per group), and a one-cell
 * group title right before such a repetition. Everything else is a data row, ragged or not.
 */
import type { RawRecord } from './header.js';
import type { RecordScanner } from './scanner.js';

export const BLANK = 0;
export const HEADER = 1;
/** Only the first cell filled, in a file of three or more columns: maybe a group title, decided by what follows. */
export const SINGLE = 2;
export const ROW = 3;

export function classify(sc: RecordScanner, header: RawRecord): number {
  const n = sc.count;
  let filled = 0;
  for (let i = 0; i < n; i += 1) if (!sc.isEmpty(i)) filled += 1;
  if (filled === 0) return BLANK;
  if (n === header.fields.length && sc.fieldEquals(0, header.fields[0]!)) {
    let same = true;
    for (let i = 1; i < n && same; i += 1) same = sc.fieldEquals(i, header.fields[i]!);
    if (same) return HEADER;
  }
  if (filled === 1 && header.fields.length >= 3 && !sc.isEmpty(0)) return SINGLE;
  return ROW;
}

/** Turns classified records into data rows, holding a SINGLE until the next record shows what it was. */
export class RowFilter<T> {
  /** Blank records between data rows (leading and trailing ones are not counted). */
  blankRows = 0;
  repeatedHeaders = 0;
  groupTitles = 0;
  private pendingBlanks = 0;
  private held: T | undefined;
  private heldBlanks = 0;

  constructor(private readonly emit: (row: T) => void) {}

  /** `make` materialises the current record (it must copy what it needs: the buffer moves on). */
  accept(kind: number, make: () => T): void {
    if (kind === ROW) {
      if (this.held !== undefined) this.release();
      this.blankRows += this.pendingBlanks;
      this.pendingBlanks = 0;
      this.emit(make());
    } else if (kind === BLANK) {
      this.pendingBlanks += 1;
    } else if (kind === HEADER) {
      if (this.held !== undefined) {
        this.held = undefined;
        this.heldBlanks = 0;
        this.groupTitles += 1;
      }
      this.repeatedHeaders += 1;
      this.pendingBlanks = 0;
    } else {
      if (this.held !== undefined) this.release();
      // Blank rows before a group title are part of the group layout if the title turns out to be one.
      this.heldBlanks = this.pendingBlanks;
      this.pendingBlanks = 0;
      this.held = make();
    }
  }

  /** True when a row is held back (its fate depends on the next record). */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** The file ended: a held record was a data row after all. */
  finish(): void {
    if (this.held !== undefined) this.release();
  }

  private release(): void {
    const row = this.held as T;
    this.blankRows += this.heldBlanks;
    this.heldBlanks = 0;
    this.held = undefined;
    this.emit(row);
  }
}
