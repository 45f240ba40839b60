/**
 * Pipedrive ids, timestamps and cursors for the sandbox, derived from world indices (nothing stored).
 *
 * - Organizations, persons, deals, activities and notes: integer ids `index + 1` (Pipedrive ids are per-object
 *   auto-increment integers, so an activity and a note may share an id; world activities of type `note` are
 *   served as notes, the rest as activities, each keeping `index + 1`).
 * - Leads: UUIDs (v1 openapi `Lead.id`, format uuid); the last 12 hex digits carry the index.
 * - A lead's person and organization: Pipedrive requires a lead to link to one or both; world leads stand alone,
 *   so each lead gets its own person/organization in a reserved id range (LEAD_CONTACT_BASE + index + 1). They are
 *   readable by id (`/v2/persons?ids=`, `/v1/persons/{id}`) but not part of the full lists, so the person and
 *   organization counts equal the world's contacts and accounts (a real account would list them too).
 * - Users: the world's owners, `USER_BASE + ownerIndex`; the company is COMPANY_ID.
 */

export const COMPANY_ID = 13_540_282;
export const COMPANY_DOMAIN = 'sandbox-company';
export const USER_BASE = 23_000_001;
export const LEAD_CONTACT_BASE = 900_000_000;

export const userId = (ownerIndex: number): number => USER_BASE + ownerIndex;
export const idOf = (index: number): number => index + 1;
export const indexOf = (id: number): number => id - 1;

const LEAD_UUID_HEAD = '5c0f4e10-0e10-11eb-9c7a-';
/** A lead's UUID from its index. */
export function leadId(index: number): string {
  return LEAD_UUID_HEAD + index.toString(16).padStart(12, '0');
}
/** The index of a lead UUID, or null when it is not one of ours. */
export function leadIndex(id: string): number | null {
  if (!id.startsWith(LEAD_UUID_HEAD) || id.length !== LEAD_UUID_HEAD.length + 12) return null;
  const n = Number.parseInt(id.slice(LEAD_UUID_HEAD.length), 16);
  return Number.isSafeInteger(n) ? n : null;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** API v2 timestamps: RFC 3339 without milliseconds, `2024-01-09T09:31:15Z`. */
export function v2Time(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/** API v1 timestamps: `2024-01-09 09:31:15` (UTC). */
export function v1Time(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `YYYY-MM-DD` (UTC). */
export function day(ms: number): string {
  return v2Time(ms).slice(0, 10);
}

/** `HH:MM` of a timestamp (UTC), Pipedrive's activity due_time. */
export function hhmm(ms: number): string {
  return v2Time(ms).slice(11, 16);
}

/** Minutes → `HH:MM`, Pipedrive's activity duration. */
export function duration(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * v2 cursors look like Pipedrive's: base64url of `{"field":"id","fieldValue":7,"sortDirection":"asc","id":7}`
 * (the openapi-v2 example `next_cursor` decodes to exactly that). Here `id` is the last id returned.
 */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ field: 'id', fieldValue: lastId, sortDirection: 'asc', id: lastId })).toString('base64url');
}

/** The last id a cursor points after, or null when the cursor is not one this sandbox issued. */
export function decodeCursor(cursor: string): number | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { field?: unknown; id?: unknown };
    return v.field === 'id' && typeof v.id === 'number' && Number.isSafeInteger(v.id) && v.id >= 0 ? v.id : null;
  } catch {
    return null;
  }
}

/** A stable 40-character hex key for a custom field, like Pipedrive's generated hashes. */
export function customFieldKey(object: string, key: string): string {
  // FNV-1a over a few salts gives 5 × 8 hex digits; stable across runs and processes.
  let out = '';
  for (let salt = 0; salt < 5; salt++) {
    let h = 0x811c9dc5 ^ salt;
    for (const ch of `${object}:${key}:${salt}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}
