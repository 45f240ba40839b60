/**
 * Streams an export download as CSV files of rows (the first row of each file is its header), never holding the
 * result in memory. A plain CSV is parsed as it arrives (csv-parse); a ZIP (HubSpot zips exports over 1,000,000
 * rows into several CSV partitions) is spooled to a temporary file, because ZIP's directory sits at the end,
 * and its .csv entries are streamed one after another with yauzl.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';

export type CsvFile = AsyncIterable<string[]>;

function csvRows(source: Readable): CsvFile {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  // pipeline forwards a cut connection to the parser, so iteration fails instead of ending early.
  pipeline(source, parser).catch(() => undefined);
  return parser as AsyncIterable<string[]>;
}

/** Peeks at the first bytes to tell a ZIP (PK\x03\x04) from CSV, whatever the content type says. */
class Sniffer extends Transform {
  first: Buffer | null = null;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.first ??= chunk;
    done(null, chunk);
  }
}

const isZip = (contentType: string | null, first: Buffer | null) =>
  (contentType ?? '').includes('zip') || (first !== null && first.length >= 4 && first.readUInt32LE(0) === 0x04034b50);

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => (err ? reject(err) : resolve(zip))));
}

async function* zipCsvFiles(path: string): AsyncGenerator<CsvFile> {
  const zip = await openZip(path);
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once('entry', resolve).once('end', () => resolve(null)).once('error', reject);
        zip.readEntry();
      });
      if (entry === null) return;
      zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
      if (!entry.fileName.toLowerCase().endsWith('.csv')) continue;
      const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
      yield csvRows(stream);
    }
  } finally {
    zip.close();
  }
}

/** The CSV files of an export download: one for a CSV, each .csv entry for a ZIP. */
export async function* exportCsvFiles(body: ReadableStream<Uint8Array>, contentType: string | null): AsyncGenerator<CsvFile> {
  const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  const sniff = new Sniffer();
  const piped = source.pipe(sniff);
  source.once('error', (err) => piped.destroy(err));
  await new Promise<void>((resolve) => {
    piped.once('readable', resolve);
    piped.once('end', resolve);
    piped.once('error', () => resolve());
  });
  if (!isZip(contentType, sniff.first)) {
    yield csvRows(piped);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'hubspot-export-'));
  try {
    const path = join(dir, 'export.zip');
    await pipeline(piped, createWriteStream(path));
    yield* zipCsvFiles(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
