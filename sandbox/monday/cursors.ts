/**
 * items_page cursors. monday's cursor is opaque and "expires 60 minutes after the first request"
 * (https://developer.monday.com/api-reference/docs/querying-board-items). Ours is stateless: the board, the
 * query (filters and order), the next position and the time of the first request, signed with the sandbox's
 * secret so a client cannot forge positions. The same cursor can be sent again (a retried request gets the
 * same page), as a position-based cursor allows.
 */
import { createHmac } from 'node:crypto';

export interface ItemsQuerySpec {
  readonly ids?: readonly string[];
  readonly rules?: readonly Record<string, unknown>[];
  readonly operator?: string;
  readonly order_by?: readonly { column_id: string; direction?: string }[];
}

export interface CursorState {
  /** Board id. */
  readonly b: string;
  /** Next position in the ordered, filtered sequence. */
  readonly p: number;
  /** query_params of the first request. */
  readonly q: ItemsQuerySpec | null;
  /** Epoch ms of the first request (expiry counts from there). */
  readonly t: number;
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
}

export function encodeCursor(secret: Buffer, state: CursorState): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}${sign(secret, payload)}`;
}

/** The state, or null for anything that is not a cursor this sandbox issued. */
export function decodeCursor(secret: Buffer, cursor: string): CursorState | null {
  if (cursor.length < 23) return null;
  const payload = cursor.slice(0, -22);
  if (sign(secret, payload) !== cursor.slice(-22)) return null;
  try {
    const s = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorState;
    return typeof s.b === 'string' && Number.isInteger(s.p) && Number.isFinite(s.t) ? s : null;
  } catch {
    return null;
  }
}
