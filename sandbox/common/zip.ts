/**
 * A streaming single-entry ZIP writer (Zoho Bulk Read returns a ZIP holding `{job_id}.csv`). The entry is
 * deflated (or stored) as it is produced; CRC and sizes go in a data descriptor after the data (general purpose
 * flag bit 3), and the central directory is written at the end, so nothing is buffered whole.
 * Limits: one entry, no ZIP64 (entries under 4 GiB), which is far above any sandbox result.
 * Format: PKWARE APPNOTE 6.3.x, sections 4.3.7 (local header), 4.3.9 (data descriptor), 4.3.12, 4.3.16.
 */
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';

export interface ZipOptions {
  /** Deflate (true, default) or store. */
  readonly compress?: boolean;
  /** zlib level 0–9; default 1 (fast: the sandbox must stream ≥ 20,000 records/s). */
  readonly level?: number;
  /** Entry modification time; default now. */
  readonly modified?: Date;
}

type Chunk = string | Buffer | Uint8Array;

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const FLAGS = 0x0008 | 0x0800; // sizes in data descriptor; UTF-8 file name

async function* zipEntries(name: string, content: Iterable<Chunk> | AsyncIterable<Chunk>, options: ZipOptions): AsyncGenerator<Buffer> {
  const nameBuf = Buffer.from(name, 'utf8');
  const method = options.compress === false ? 0 : 8;
  const { time, date } = dosDateTime(options.modified ?? new Date());

  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed: 2.0
  local.writeUInt16LE(FLAGS, 6);
  local.writeUInt16LE(method, 8);
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  // crc and sizes (14..25) stay 0: they follow in the data descriptor
  local.writeUInt16LE(nameBuf.length, 26);
  yield Buffer.concat([local, nameBuf]);

  let crc = 0;
  let size = 0;
  let compressed = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const c of content) {
      const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      crc = zlib.crc32(b, crc);
      size += b.length;
      yield b;
    }
  }
  if (method === 8) {
    const deflate = zlib.createDeflateRaw({ level: options.level ?? 1 });
    pipeline(Readable.from(counted()), deflate, () => undefined); // errors surface through the iteration below
    for await (const out of deflate as AsyncIterable<Buffer>) {
      compressed += out.length;
      yield out;
    }
  } else {
    for await (const b of counted()) {
      compressed += b.length;
      yield b;
    }
  }
  if (size > 0xffffffff || compressed > 0xffffffff) throw new RangeError('zip entry exceeds 4 GiB (ZIP64 is not supported)');

  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc >>> 0, 4);
  descriptor.writeUInt32LE(compressed, 8);
  descriptor.writeUInt32LE(size, 12);
  yield descriptor;
  const centralOffset = 30 + nameBuf.length + compressed + 16;

  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(FLAGS, 8);
  central.writeUInt16LE(method, 10);
  central.writeUInt16LE(time, 12);
  central.writeUInt16LE(date, 14);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(compressed, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file, rw-r--r--
  // local header offset (42) is 0: the only entry starts the archive

  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBuf.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  yield Buffer.concat([central, nameBuf, end]);
}

/** A ZIP archive holding one file, streamed from `content` (e.g. `csvChunks(...)`). */
export function zipSingleFile(name: string, content: Iterable<Chunk> | AsyncIterable<Chunk>, options: ZipOptions = {}): Readable {
  return Readable.from(zipEntries(name, content, options), { objectMode: false });
}

/** Collects a stream into one Buffer (tests, small results). */
export async function streamToBuffer(stream: AsyncIterable<Chunk>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c));
  return Buffer.concat(parts);
}
