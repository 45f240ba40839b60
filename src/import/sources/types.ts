/**
 * A record source: where a run's raw records come from — a CSV upload or a connected CRM — as batches, each with
 * the position to resume from once it is committed. Positions are plain JSON saved in the run's checkpoint.
 */
import type { SourceMeta } from '../../core/import/mapper.js';
import type { EntityType } from '../../core/ids.js';

/** One raw record. */
export interface SourceItem {
  /** CSV: the 1-based data row. */
  readonly rowNumber?: number;
  /** CRM: the record's id. */
  readonly sourceId?: string;
  /** Cells by column, or the CRM record's fields. */
  readonly values: Readonly<Record<string, unknown>>;
  /** CRM records: owner, dates, links, activity type. */
  readonly meta?: SourceMeta;
  /** The source could not read this record (e.g. a CSV row with the wrong number of cells). */
  readonly error?: string;
}

/** Where to continue reading one entity. */
export interface SourcePosition {
  /** CSV: the byte offset after the last committed row, and that row's number. */
  readonly offset?: number;
  readonly rowNumber?: number;
  /** CRM: the page cursor or bulk `resume` token a chunk was read from (null = the start). */
  readonly token?: string | null;
  /** CRM: records of that chunk already committed (a chunk larger than a batch is committed in parts). */
  readonly skip?: number;
  /** The entity is fully read. */
  readonly done?: boolean;
}

export interface SourceBatch {
  readonly items: readonly SourceItem[];
  /** The position after this batch: saved in the same transaction as the batch. */
  readonly position: SourcePosition;
}

export interface EntitySource {
  readonly entity: EntityType;
  /** Batches of at most `batchSize` items from `from` (null: the beginning). Ends when the entity is read. */
  batches(from: SourcePosition | null, batchSize: number, signal: AbortSignal): AsyncIterable<SourceBatch>;
}
