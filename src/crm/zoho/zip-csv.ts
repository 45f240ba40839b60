/**
 * Reading a Bulk Read result without holding it in memory: the ZIP is streamed to a temporary file (yauzl needs
 * random access to reach the central directory, and a file keeps memory flat whatever the size), its single
 * `{job_id}.csv` entry is streamed through csv-parse, and rows come out one by one. A download cut short fails
 * here (no central directory, or an entry shorter than it claims), never as a shorter CSV.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';
import { malformed } from './parse.js';

/** Writes a response body to a temporary file; the caller must `cleanup()`. */
export async function saveToTempFile(body: ReadableStream<Uint8Array>, name: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'zoho-bulk-'));
  const path = join(dir, name);
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>), createWriteStream(path));
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { path, cleanup };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => (err ? reject(err) : resolve(zip))));
}

/** The ZIP's one entry (which must end in .csv) as a stream. */
async function csvEntry(path: string): Promise<{ name: string; stream: Readable }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    throw malformed('Bulk Read result', `not a complete ZIP (${(err as Error).message})`);
  }
  if (zip.entryCount !== 1) {
    zip.close();
    throw malformed('Bulk Read result', `a ZIP of ${zip.entryCount} entries, expected one CSV`);
  }
  return new Promise((resolve, reject) => {
    zip.once('error', reject);
    zip.once('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.toLowerCase().endsWith('.csv')) {
        zip.close();
        reject(malformed('Bulk Read result', `the ZIP holds ${entry.fileName}, not a CSV`));
        return;
      }
      zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve({ name: entry.fileName, stream })));
    });
    zip.readEntry();
  });
}

/** Header then rows of the ZIP's CSV, streamed. */
export async function* zipCsvRows(path: string): AsyncGenerator<string[]> {
  const { stream } = await csvEntry(path);
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true }));
  stream.once('error', (err) => parser.destroy(err));
  try {
    for await (const row of parser as AsyncIterable<string[]>) yield row;
  } finally {
    stream.destroy();
  }
}
