/**
 * Keyset cursors over (created_at, id), newest first. The timestamp travels as PostgreSQL's own text form, so it
 * keeps its microseconds: a JavaScript Date would round them to milliseconds and skip rows created in the same
 * millisecond (a whole batch shares one transaction timestamp).
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { AppError } from '../errors.js';

export interface Keyset {
  at: string;
  id: string;
}

export function encodeKeyset(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.at, k.id])).toString('base64url');
}

export function decodeKeyset(cursor: string): Keyset {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && at.length < 64 && !Number.isNaN(Date.parse(at.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')))) {
      return { at, id };
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not a cursor this endpoint returned.', { issues: [{ in: 'querystring', path: 'cursor', message: 'invalid cursor' }] });
}

/** The exact created_at, to build the next cursor from. */
export function keysetAt(createdAt: SQLWrapper): SQL<string> {
  return sql<string>`${createdAt}::text`;
}

/** Rows after the cursor in (created_at desc, id desc) order. */
export function afterKeyset(createdAt: SQLWrapper, id: SQLWrapper, k: Keyset): SQL {
  return sql`(${createdAt}, ${id}) < (${k.at}::timestamptz, ${k.id}::uuid)`;
}
