/** Turning a scanned field (a unit range and its kind) into its string value, in the file's encoding. */
import { decodeWindows1252, type CsvEncoding } from './encoding.js';
import { ESCAPED, IRREGULAR, PLAIN, type RecordScanner } from './scanner.js';

/** Decodes bytes [start, end) of a buffer (UTF-16 buffers hold little-endian units). */
export type BytesDecoder = (bytes: Buffer, start: number, end: number) => string;

// Node's Buffer has per-encoding slice methods under toString(); calling them directly skips toString's
// argument handling, which costs more than the decoding itself for short fields. toString is the fallback.
type FastSlices = Buffer & { utf8Slice?: (start: number, end: number) => string; ucs2Slice?: (start: number, end: number) => string };
const proto = Buffer.prototype as FastSlices;
const utf8: BytesDecoder =
  typeof proto.utf8Slice === 'function' ? (b, s, e) => (b as FastSlices).utf8Slice!(s, e) : (b, s, e) => b.toString('utf8', s, e);
const utf16: BytesDecoder =
  typeof proto.ucs2Slice === 'function' ? (b, s, e) => (b as FastSlices).ucs2Slice!(s, e) : (b, s, e) => b.toString('utf16le', s, e);

export function decoderFor(encoding: CsvEncoding): BytesDecoder {
  switch (encoding) {
    case 'utf-8':
      return utf8;
    case 'windows-1252':
      return decodeWindows1252;
    case 'utf-16le':
    case 'utf-16be':
      return utf16;
  }
}

/** The value of field i of the scanner's current record. */
export function fieldValue(sc: RecordScanner, i: number, decode: BytesDecoder): string {
  const s = sc.starts[i]!;
  const e = sc.ends[i]!;
  const kind = sc.kinds[i]!;
  if (s === e && kind !== IRREGULAR) return '';
  const w = sc.width;
  const text = decode(sc.bytes, s * w, e * w);
  return kind === PLAIN ? text : finish(text, kind);
}

/** The value of a field copied with `copyField`. */
export function rawValue(raw: Buffer, kind: number, decode: BytesDecoder): string {
  if (raw.length === 0) return '';
  const text = decode(raw, 0, raw.length);
  return kind === PLAIN ? text : finish(text, kind);
}

function finish(text: string, kind: number): string {
  if (kind === ESCAPED) return text.replaceAll('""', '"');
  if (kind === IRREGULAR) return unquoteIrregular(text);
  return text;
}

/** `"abc ""x"" "def` → `abc "x" def`: the quoted part unescaped, then the rest as it stands (Excel's reading). */
export function unquoteIrregular(raw: string): string {
  let out = '';
  let i = 1;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === '"') {
      if (raw[i + 1] === '"') {
        out += '"';
        i += 2;
        continue;
      }
      i += 1;
      break;
    }
    out += ch;
    i += 1;
  }
  return out + raw.slice(i);
}
