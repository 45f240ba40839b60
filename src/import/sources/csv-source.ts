/**
 * The CSV source: the upload's rows streamed by src/import/csv (readCsvRows), in batches. The position is the
 * byte offset just after the last committed row and that row's number; a resumed run seeks there and continues.
 */
import type { CsvInspection } from '../csv/index.js';
import { readCsvRows } from '../csv/index.js';
import type { EntityType } from '../../core/ids.js';
import { prefetch } from './prefetch.js';
import type { EntitySource, SourceBatch, SourceItem, SourcePosition } from './types.js';

async function* rowBatches(path: string, inspection: CsvInspection, from: SourcePosition | null, batchSize: number, signal: AbortSignal): AsyncGenerator<SourceBatch> {
  const resume = from && from.offset !== undefined ? { offset: from.offset, rowNumber: from.rowNumber ?? 0 } : undefined;
  let items: SourceItem[] = [];
  let position: SourcePosition = from ?? { offset: 0, rowNumber: 0 };
  for await (const row of readCsvRows(path, inspection, resume)) {
    items.push({ rowNumber: row.rowNumber, values: row.values, ...(row.error ? { error: row.error } : {}) });
    position = { offset: row.nextOffset, rowNumber: row.rowNumber };
    if (items.length >= batchSize) {
      signal.throwIfAborted();
      yield { items, position };
      items = [];
    }
  }
  yield { items, position: { ...position, done: true } };
}

export function csvEntitySource(path: string, inspection: CsvInspection, entity: EntityType): EntitySource {
  return {
    entity,
    batches(from, batchSize, signal) {
      if (from?.done) return (async function* () {})();
      return prefetch(rowBatches(path, inspection, from, batchSize, signal));
    },
  };
}
