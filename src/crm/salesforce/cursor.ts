/**
 * Opaque, resumable positions: the standard path's cursor (which object of the entity, the nextRecordsUrl,
 * records read and expected so far, the last Id for a keyset restart) and the bulk path's resume token (job,
 * results locator, rows of the chunk already handed out). base64url JSON, validated when read back.
 */
import { z } from 'zod';
import { CrmError } from '../errors.js';

export const restState = z.object({
  /** nextRecordsUrl of the next batch; null = run the query (again, after `l`). */
  u: z.string().startsWith('/').nullable(),
  /** Records of this object handed out so far. */
  n: z.number().int().nonnegative(),
  /** Records this object's query promised (n + totalSize at the last query); null before it ran or in keyset mode. */
  t: z.number().int().nonnegative().nullable(),
  /** Last Id handed out: `WHERE Id > l ORDER BY Id` resumes after an expired query locator. */
  l: z.string().regex(/^[a-zA-Z0-9]{15,18}$/).nullable(),
});
export type RestState = z.infer<typeof restState>;
export const freshRest = (): RestState => ({ u: null, n: 0, t: null, l: null });

const restCursor = z.object({ v: z.literal(1), o: z.number().int().nonnegative(), r: restState });
export type RestCursor = z.infer<typeof restCursor>;

const bulkResume = z.object({
  v: z.literal(1),
  o: z.number().int().nonnegative(),
  /** 'bulk': a Bulk API 2.0 job; 'rest': the standard path after a fallback. */
  m: z.enum(['bulk', 'rest']),
  j: z.string().regex(/^[a-zA-Z0-9]{15,18}$/).nullable(),
  /** Locator of the chunk being read (null = the first chunk). */
  loc: z.string().regex(/^[A-Za-z0-9+/=_-]+$/).nullable(),
  /** Rows of that chunk already handed out. */
  s: z.number().int().nonnegative(),
  /** Rows of this object handed out before that chunk. */
  seen: z.number().int().nonnegative(),
  r: restState.nullable(),
});
export type BulkResume = z.infer<typeof bulkResume>;

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode<T>(schema: z.ZodType<T>, token: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new CrmError('salesforce', { kind: 'invalid_request', code: 'INVALID_CURSOR', detail: `not a Salesforce ${what}` });
  return r.data;
}

export const encodeCursor = (c: RestCursor) => encode(c);
export const decodeCursor = (s: string) => decode(restCursor, s, 'cursor');
export const encodeResume = (r: BulkResume) => encode(r);
export const decodeResume = (s: string) => decode(bulkResume, s, 'resume token');
