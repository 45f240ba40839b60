/**
 * Zoho's list paging: `page`/`per_page` reach only the first 2,000 records; past them the `page_token` from
 * `info.next_page_token` (user-specific, valid 24 h, bound to the request's other parameters, at most 100,000
 * records in all). Tokens here are signed (HMAC) so a forged, altered or another user's token is rejected
 * like Zoho does. Errors and wording: get-records.html "Possible Errors".
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_PER_PAGE = 200;
export const DISCRETE_LIMIT = 2_000;
export const TOKEN_LIMIT = 100_000;
export const TOKEN_TTL_MS = 86_400_000;
export const MAX_FIELDS = 50;

export interface PageToken {
  /** Module code. */
  readonly m: number;
  /** Offset of the first record the token points at. */
  readonly o: number;
  /** User it was issued to. */
  readonly u: string;
  /** Expiry, epoch ms. */
  readonly e: number;
  /** Digest of the parameters it is bound to (fields, per_page, sort, converted). */
  readonly b: string;
}

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('hex').slice(0, 32);
}

export function encodePageToken(key: Buffer, t: PageToken): string {
  const payload = Buffer.from(JSON.stringify(t)).toString('hex');
  return payload + sign(key, payload);
}

/** The token, or null when it was not issued by this sandbox (or was altered). */
export function decodePageToken(key: Buffer, raw: string): PageToken | null {
  if (!/^[0-9a-f]{34,}$/.test(raw)) return null;
  const payload = raw.slice(0, -32);
  const mac = Buffer.from(raw.slice(-32));
  const expected = Buffer.from(sign(key, payload));
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return null;
  try {
    const t = JSON.parse(Buffer.from(payload, 'hex').toString('utf8')) as PageToken;
    return typeof t.o === 'number' && typeof t.u === 'string' && typeof t.e === 'number' ? t : null;
  } catch {
    return null;
  }
}

/** Digest binding a token to the parameters it was issued with. */
export function bindingOf(parts: readonly (string | number | undefined)[]): string {
  return createHmac('sha256', 'bind').update(parts.map((p) => String(p ?? '')).join('\u0000')).digest('hex').slice(0, 16);
}
