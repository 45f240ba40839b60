/**
 * Reading a Bulk Read result as it downloads, without holding it: Zoho's ZIP holds one `{job_id}.csv`; its local
 * header is parsed, the deflated data inflated with node:zlib as bytes arrive (inflate stops exactly at the end of
 * the deflate stream and reports how many bytes that took), the CSV parsed by csv-parse's streaming API, and rows
 * come out one by one with backpressure all the way back to the socket. At the end the CRC-32 and sizes are
 * checked against the data descriptor, and what follows must be the central directory (one entry only). A
 * download cut short fails (inflate: unexpected end of file), never as a shorter CSV.
 * Format: PKWARE APPNOTE 6.3.x §4.3.7 (local file header), §4.3.9 (data descriptor), §4.3.12 (central directory).
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import zlib from 'node:zlib';
import { parse } from 'csv-parse';
import { malformed } from './parse.js';

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const READ_AHEAD = 8 * 1024 * 1024;
/** Bytes kept from the end of the entry data, to read the trailer (descriptor + start of the central directory). */
const KEEP = 65_536;

const bad = (detail: string) => malformed('Bulk Read result', detail);

/** Turns a single-entry ZIP byte stream into the entry's bytes, checking CRC, sizes and that it is the only entry. */
export class ZipEntryReader extends Transform {
  private head: Buffer | null = Buffer.alloc(0);
  private inflate: zlib.InflateRaw | null = null;
  private storedLeft = -1;
  private crc = 0;
  private size = 0;
  private declared: { crc: number; compressed: number; size: number } | null = null;
  private fed = 0;
  private recent: Buffer[] = [];
  private recentLength = 0;
  private inflateEnded = false;
  private inflateError: Error | null = null;
  private onInflateEnd: (() => void) | null = null;
  entryName = '';

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.head === null) return this.feed(chunk, done);
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < 30) return done();
    if (this.head.readUInt32LE(0) !== LOCAL) return done(bad('not a ZIP (no local file header)'));
    const flags = this.head.readUInt16LE(6);
    const method = this.head.readUInt16LE(8);
    const nameLength = this.head.readUInt16LE(26);
    const extraLength = this.head.readUInt16LE(28);
    if (this.head.length < 30 + nameLength + extraLength) return done();
    this.entryName = this.head.subarray(30, 30 + nameLength).toString('utf8');
    if (!this.entryName.toLowerCase().endsWith('.csv')) return done(bad(`the ZIP holds ${this.entryName}, not a CSV`));
    if (this.head.readUInt32LE(18) === 0xffffffff) return done(bad('ZIP64 entries are not supported'));
    if (!(flags & 0x0008)) this.declared = { crc: this.head.readUInt32LE(14), compressed: this.head.readUInt32LE(18), size: this.head.readUInt32LE(22) };
    const rest = this.head.subarray(30 + nameLength + extraLength);
    this.head = null;
    if (method === 0) {
      if (!this.declared) return done(bad('a stored entry without sizes'));
      this.storedLeft = this.declared.compressed;
    } else if (method === 8) {
      this.inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
      this.inflate.on('data', (out: Buffer) => this.emit_(out));
      this.inflate.on('error', (err) => (this.inflateError = err));
      // Zlib may end its readable side as soon as the deflate stream ends, before end() is called.
      this.inflate.once('end', () => {
        this.inflateEnded = true;
        this.onInflateEnd?.();
      });
    } else {
      return done(bad(`unsupported ZIP compression method ${method}`));
    }
    this.feed(rest, done);
  }

  private emit_(out: Buffer): void {
    this.crc = zlib.crc32(out, this.crc);
    this.size += out.length;
    this.push(out);
  }

  private feed(chunk: Buffer, done: TransformCallback): void {
    this.fed += chunk.length;
    this.recent.push(chunk);
    this.recentLength += chunk.length;
    while (this.recent.length > 1 && this.recentLength - (this.recent[0] as Buffer).length >= KEEP) this.recentLength -= (this.recent.shift() as Buffer).length;
    if (this.inflate === null) {
      const take = chunk.subarray(0, Math.max(0, this.storedLeft));
      this.storedLeft -= take.length;
      if (take.length > 0) this.emit_(take);
      return done();
    }
    // On corrupt data zlib emits 'error' and may never call the write callback: settle on whichever comes first.
    const inflate = this.inflate;
    let settled = false;
    const settle = (err?: Error | null) => {
      if (settled) return;
      settled = true;
      inflate.off('error', settle);
      done(err ? bad(`the ZIP entry is corrupt (${err.message})`) : undefined);
    };
    inflate.once('error', settle);
    inflate.write(chunk, settle);
  }

  override _flush(done: TransformCallback): void {
    if (this.head !== null) return done(bad('the ZIP ended inside its header'));
    const check = (consumed: number) => {
      const recent = Buffer.concat(this.recent);
      const trailerLength = this.fed - consumed;
      if (trailerLength > recent.length) return done(bad('the ZIP trailer is too long'));
      let trailer = recent.subarray(recent.length - trailerLength);
      let d = this.declared;
      if (d === null) {
        if (trailer.length >= 4 && trailer.readUInt32LE(0) === DESCRIPTOR) trailer = trailer.subarray(4);
        if (trailer.length < 12) return done(bad('the ZIP ended before its data descriptor'));
        d = { crc: trailer.readUInt32LE(0), compressed: trailer.readUInt32LE(4), size: trailer.readUInt32LE(8) };
        trailer = trailer.subarray(12);
      }
      if (d.crc >>> 0 !== this.crc >>> 0 || d.size !== this.size || d.compressed !== consumed) {
        return done(bad(`ZIP entry check failed: crc ${this.crc >>> 0}, ${this.size} bytes; declared crc ${d.crc >>> 0}, ${d.size} bytes`));
      }
      if (trailer.length < 4 || trailer.readUInt32LE(0) !== CENTRAL) return done(bad('the ZIP has more than one entry, or no central directory'));
      done();
    };
    if (this.inflate === null) {
      if (this.storedLeft > 0) return done(bad('the ZIP entry was cut short'));
      return check(this.declared?.compressed ?? 0);
    }
    const inflate = this.inflate;
    // 'end' (not the end() callback): every inflated byte has been emitted and counted by then.
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      if (this.inflateError) return done(bad(`the ZIP entry was cut short or corrupt (${this.inflateError.message})`));
      check(Number(inflate.bytesWritten));
    };
    if (this.inflateEnded || this.inflateError) return settle();
    this.onInflateEnd = settle;
    inflate.once('error', () => settle());
    inflate.end();
  }
}

/** Header then rows of the CSV inside a ZIP response body, streamed. */
export async function* zipCsvRows(body: ReadableStream<Uint8Array>): AsyncGenerator<string[]> {
  // Read ahead up to 8 MB of the (compressed) body: when parsing is slower than the network, undici otherwise
  // pauses and re-concatenates its whole socket buffer on every resume, which costs more than the parsing.
  const source = Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>, { highWaterMark: READ_AHEAD });
  const unzip = new ZipEntryReader();
  const parser = parse({ bom: true, relax_column_count: true });
  source.once('error', (err) => parser.destroy(err));
  unzip.once('error', (err) => parser.destroy(err));
  source.pipe(unzip).pipe(parser);
  try {
    for await (const row of parser as AsyncIterable<string[]>) yield row;
  } finally {
    source.destroy();
    unzip.destroy();
  }
}
