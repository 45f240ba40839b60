/**
 * Zoho record ids: 19-digit strings (beyond Number.MAX_SAFE_INTEGER, so always strings), derived from the world
 * index and unique across modules, as Zoho's are: '4150868' + '0' + a two-digit module code + the index in
 * nine digits. `parseZohoId` turns one back into (module code, index). Also the org's time offset: Zoho renders
 * every timestamp in the org's time zone (e.g. 2024-03-01T10:00:00+05:30), dates as YYYY-MM-DD.
 */
const PREFIX = '41508680';

/** Module codes inside ids (not Zoho's; just a stable scheme for the sandbox). */
export const CODE = {
  Accounts: 11, Contacts: 12, Leads: 13, Deals: 14, Tasks: 15, Events: 16, Calls: 17, Notes: 18,
  Users: 20, Org: 30, Fields: 40, Modules: 41, Jobs: 50, Profiles: 60, Roles: 61, Layouts: 62,
} as const;
export type IdCode = (typeof CODE)[keyof typeof CODE];

export function zohoId(code: number, index: number): string {
  return PREFIX + String(code).padStart(2, '0') + String(index).padStart(9, '0');
}

/** (code, index) of a sandbox id, or null when it is not one. */
export function parseZohoId(id: string): { code: number; index: number } | null {
  if (id.length !== 19 || !id.startsWith(PREFIX) || !/^\d+$/.test(id)) return null;
  return { code: Number(id.slice(8, 10)), index: Number(id.slice(10)) };
}

/** The org's zone: India Standard Time, the zone of Zoho's own examples. Fixed offset (no DST). */
export const ORG_TIME_ZONE = 'Asia/Kolkata';
export const ORG_OFFSET = '+05:30';
const OFFSET_MS = (5 * 60 + 30) * 60_000;

/** `2024-03-01T10:00:00+05:30`: seconds precision, the org's offset. */
export function zohoDateTime(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 19) + ORG_OFFSET;
}

/** `2024-03-01` for date-only values (epoch ms at UTC midnight). */
export function zohoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The id of a module itself (settings/modules, lookup metadata, Notes' Parent_Id.module). */
export function moduleId(api: keyof typeof CODE): string {
  return zohoId(CODE.Modules, CODE[api]);
}
