import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { csvChunks, csvField, csvRow, csvStream } from '../../sandbox/common/csv.js';
import { createWorld } from '../../sandbox/common/data/index.js';
import { streamToBuffer, zipSingleFile } from '../../sandbox/common/zip.js';

function unzipWithYauzl(buf: Buffer): Promise<{ name: string; text: string }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: { name: string; text: string }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, s) => {
          if (e || !s) return reject(e);
          void streamToBuffer(s).then((b) => {
            out.push({ name: entry.fileName, text: b.toString('utf8') });
            zip.readEntry();
          }, reject);
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('csv', () => {
  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rx')).toBe('"cr\rx"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(true)).toBe('true');
    expect(csvField(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(csvField('a|b', '|')).toBe('"a|b"');
    expect(csvField('a,b', '|')).toBe('a,b');
    expect(csvRow(['x', 'y,z', null])).toBe('x,"y,z",\r\n');
    expect(csvRow(['x'], { lineEnding: '\n' })).toBe('x\n');
  });

  it('round-trips hostile world data through a real CSV parser', async () => {
    const w = createWorld({ seed: 9, counts: { accounts: 50, contacts: 400, leads: 0, deals: 0, activities: 0 } });
    const rows = Array.from({ length: 400 }, (_, i) => w.contact(i)).map((c) => [c.index, c.fullName, c.email, c.description, c.title]);
    const text = (await streamToBuffer(csvStream(['id', 'name', 'email', 'description', 'title'], rows, { chunkSize: 1000 }))).toString('utf8');
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    expect(parsed).toHaveLength(400);
    parsed.forEach((r, i) => {
      expect(r.name).toBe(rows[i]?.[1]);
      expect(r.description).toBe(rows[i]?.[3]);
    });
    expect([...csvChunks(null, [['a']], { bom: true })].join('')).toBe('\uFEFFa\r\n');
  });
});

describe('zip', () => {
  const csv = 'id,name\r\n1,"Zoë, ""the"" first"\r\n2,王伟\r\n';

  it('writes a deflated single-file ZIP that yauzl and unzip read', async () => {
    const buf = await streamToBuffer(zipSingleFile('1234.csv', [csv.slice(0, 10), csv.slice(10)]));
    expect(buf.readUInt32LE(0)).toBe(0x04034b50);
    expect(await unzipWithYauzl(buf)).toEqual([{ name: '1234.csv', text: csv }]);
    const dir = mkdtempSync(join(tmpdir(), 'sbzip-'));
    writeFileSync(join(dir, 'a.zip'), buf);
    expect(execFileSync('unzip', ['-p', join(dir, 'a.zip'), '1234.csv']).toString('utf8')).toBe(csv);
    execFileSync('unzip', ['-tq', join(dir, 'a.zip')]); // CRC check
  });

  it('stores without compression too, and handles an empty file', async () => {
    expect(await unzipWithYauzl(await streamToBuffer(zipSingleFile('s.csv', [csv], { compress: false })))).toEqual([{ name: 's.csv', text: csv }]);
    expect(await unzipWithYauzl(await streamToBuffer(zipSingleFile('e.csv', [])))).toEqual([{ name: 'e.csv', text: '' }]);
  });

  it("streams 10,000 world records as CSV in a ZIP that reads back whole (speed: npm run bench)", async () => {
    const n = 10_000;
    const w = createWorld({ seed: 1, counts: { accounts: 5000, contacts: n, leads: 0, deals: 0, activities: 0 } });
    function* rows() {
      for (let i = 0; i < n; i++) {
        const c = w.contact(i);
        yield [c.index, c.firstName, c.lastName, c.email, c.phone, c.title, c.accountIndex, c.description, c.address.city, c.updatedAt];
      }
    }
    const buf = await streamToBuffer(zipSingleFile('big.csv', csvChunks(['id', 'first', 'last', 'email', 'phone', 'title', 'account', 'description', 'city', 'updated'], rows())));
    const [entry] = await unzipWithYauzl(buf);
    expect((parse(entry?.text ?? '', { columns: true }) as unknown[]).length).toBe(n);
  });
});
