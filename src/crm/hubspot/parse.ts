/**
 * Pure parsing of HubSpot responses into the product's shapes, validated with zod. A response that does not
 * match throws CrmError('temporary', MALFORMED_RESPONSE) so the page is fetched again: never fewer records silently.
 */
import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { FieldDescriptor, SourceRecord } from '../types.js';
import type { ActivityObject } from './definition.js';

export function malformed(what: string, detail: string): CrmError {
  return new CrmError('hubspot', { kind: 'temporary', code: 'MALFORMED_RESPONSE', detail: `${what}: ${detail}`.slice(0, 500) });
}

function check<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const r = schema.safeParse(json);
  if (!r.success) throw malformed(what, r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

const NUMERIC_ID = z.string().regex(/^\d+$/, 'not a HubSpot id');
const assocList = z.object({ results: z.array(z.object({ id: z.union([NUMERIC_ID, z.number().transform(String)]), type: z.string() })) });
const objectRecord = z.object({
  id: NUMERIC_ID,
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean().optional(),
  associations: z.record(z.string(), assocList).optional(),
});
export type HubSpotRecord = z.infer<typeof objectRecord>;

const listPage = z.object({
  results: z.array(objectRecord),
  paging: z.object({ next: z.object({ after: z.string().min(1) }).optional() }).optional(),
});
const searchPage = listPage.extend({ total: z.number().int().nonnegative() });

const ACTIVITY_TYPES: Record<ActivityObject, NonNullable<SourceRecord['activityType']>> = {
  notes: 'note', tasks: 'task', calls: 'call', meetings: 'meeting', emails: 'email',
};
const LINK_KEYS = { companies: 'account', contacts: 'contact', deals: 'deal' } as const;

/** Engagement ids are prefixed with their object (notes:12) so the five activity objects never collide. */
export function sourceId(object: string, id: string): string {
  return object in ACTIVITY_TYPES ? `${object}:${id}` : id;
}

const ISO_MS_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function toIso(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  if (ISO_MS_Z.test(v)) return v; // HubSpot's usual form: already normalised
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Picks the primary link: the labelled association type wins over its `_unlabeled` twin. */
function primary(list: { id: string; type: string }[]): string | undefined {
  return (list.find((a) => !a.type.endsWith('_unlabeled')) ?? list[0])?.id;
}

export function toSourceRecord(object: string, r: HubSpotRecord): SourceRecord {
  const links: SourceRecord['links'] = {};
  for (const [key, list] of Object.entries(r.associations ?? {})) {
    const link = LINK_KEYS[key as keyof typeof LINK_KEYS];
    const id = link ? primary(list.results) : undefined;
    if (link && id) links[link] = id;
  }
  const owner = r.properties.hubspot_owner_id;
  const activityType = ACTIVITY_TYPES[object as ActivityObject];
  return {
    id: sourceId(object, r.id),
    fields: r.properties,
    links,
    ...(owner ? { owner } : {}),
    createdAt: toIso(r.createdAt) ?? r.createdAt,
    updatedAt: toIso(r.updatedAt) ?? r.updatedAt,
    ...(activityType ? { activityType } : {}),
  };
}

/** One page of `GET /crm/v3/objects/{object}`: records and the next `after` (null on the last page). */
export function parseListPage(object: string, json: unknown): { records: SourceRecord[]; after: string | null } {
  const page = check(listPage, json, `HubSpot ${object} page`);
  const after = page.paging?.next?.after ?? null;
  if (after !== null && page.results.length === 0) throw malformed(`HubSpot ${object} page`, 'an empty page that promises more');
  return { records: page.results.map((r) => toSourceRecord(object, r)), after };
}

/** `POST …/batch/read` (200, or 207 with `errors` for ids that no longer exist) → records by source id. */
export function parseBatchRead(object: string, json: unknown): Map<string, SourceRecord> {
  const body = check(z.object({ results: z.array(objectRecord) }), json, `HubSpot ${object} batch read`);
  return new Map(body.results.map((r) => [sourceId(object, r.id), toSourceRecord(object, r)]));
}

const v4Batch = z.object({
  results: z.array(z.object({
    from: z.object({ id: z.union([z.string(), z.number().transform(String)]) }),
    to: z.array(z.object({ toObjectId: z.union([z.number(), z.string()]).transform(String), associationTypes: z.array(z.object({ label: z.string().nullable().optional() })).optional() })),
  })),
});

/** `POST /crm/v4/associations/{from}/{to}/batch/read` → the linked id per record (the "Primary" label wins). */
export function parseV4Links(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of check(v4Batch, json, 'HubSpot associations').results) {
    const primary = r.to.find((t) => t.associationTypes?.some((a) => a.label === 'Primary')) ?? r.to[0];
    if (primary) out.set(r.from.id, primary.toObjectId);
  }
  return out;
}

/** A search response: `total` plus records (the count uses limit 1). */
export function parseSearchPage(object: string, json: unknown): { total: number; records: SourceRecord[]; after: string | null } {
  const page = check(searchPage, json, `HubSpot ${object} search`);
  return { total: page.total, records: page.results.map((r) => toSourceRecord(object, r)), after: page.paging?.next?.after ?? null };
}

const property = z.object({
  name: z.string().min(1),
  label: z.string(),
  type: z.string(),
  fieldType: z.string().optional(),
  hubspotDefined: z.boolean().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string().optional(), hidden: z.boolean().optional() })).optional(),
});
const properties = z.object({ results: z.array(property) });

/** `GET /crm/v3/properties/{object}` → fields; a property without hubspotDefined:true is the portal's own (custom). */
export function parseProperties(object: string, json: unknown): FieldDescriptor[] {
  return check(properties, json, `HubSpot ${object} properties`).results.map((p) => ({
    name: p.name,
    label: p.label,
    type: p.type,
    custom: p.hubspotDefined !== true,
    ...(p.options && p.options.length > 0 ? { values: p.options.filter((o) => !o.hidden).map((o) => o.value) } : {}),
  }));
}

export function parseExportStarted(json: unknown): string {
  return check(z.object({ id: z.string().min(1) }), json, 'HubSpot export start').id;
}

export type ExportState = { status: 'PENDING' | 'PROCESSING'; result?: undefined } | { status: 'COMPLETE'; result: string } | { status: 'CANCELED' | 'FAILED'; result?: undefined };

export function parseExportStatus(json: unknown): ExportState {
  const s = check(z.object({ status: z.string(), result: z.string().url().optional() }), json, 'HubSpot export status');
  if (s.status === 'COMPLETE') {
    if (!s.result) throw malformed('HubSpot export status', 'COMPLETE without a result URL');
    return { status: 'COMPLETE', result: s.result };
  }
  if (s.status === 'PENDING' || s.status === 'PROCESSING') return { status: s.status };
  if (s.status === 'CANCELED' || s.status === 'FAILED') return { status: s.status };
  throw malformed('HubSpot export status', `unknown status ${s.status}`);
}

const ASSOC_COLUMNS: Record<string, 'account' | 'contact' | 'deal'> = {
  'Associated Company IDs': 'account', 'Associated Contact IDs': 'contact', 'Associated Deal IDs': 'deal',
};

/** Maps an export's header row (internal names, exportInternalValuesOptions NAMES) to a row → SourceRecord function. */
export function exportRowReader(object: string, header: readonly string[]): (row: readonly string[]) => SourceRecord {
  const idCol = header.findIndex((h) => h === 'hs_object_id' || h === 'Record ID');
  if (idCol < 0) throw malformed(`HubSpot ${object} export`, `no record id column in ${header.slice(0, 10).join(',')}`);
  const assoc = header.map((h) => ASSOC_COLUMNS[h]);
  const names = header.map((h) => (h === 'Record ID' ? 'hs_object_id' : h));
  const activityType = ACTIVITY_TYPES[object as ActivityObject];
  return (row) => {
    if (row.length !== header.length) throw malformed(`HubSpot ${object} export`, `a row has ${row.length} cells, the header ${header.length}`);
    const id = row[idCol]!;
    if (!/^\d+$/.test(id)) throw malformed(`HubSpot ${object} export`, `bad record id "${id.slice(0, 40)}"`);
    const fields: Record<string, string | null> = {};
    const links: SourceRecord['links'] = {};
    for (let k = 0; k < header.length; k++) {
      const v = row[k]!;
      const link = assoc[k];
      if (link) {
        const first = v.split(';')[0]?.trim();
        if (first) links[link] = first;
      } else fields[names[k]!] = v === '' ? null : v;
    }
    const owner = fields.hubspot_owner_id;
    const createdAt = toIso(fields.createdate ?? fields.hs_createdate);
    const updatedAt = toIso(fields.lastmodifieddate ?? fields.hs_lastmodifieddate);
    return {
      id: sourceId(object, id), fields, links,
      ...(owner ? { owner } : {}), ...(createdAt ? { createdAt } : {}), ...(updatedAt ? { updatedAt } : {}),
      ...(activityType ? { activityType } : {}),
    };
  };
}

/** The standard path's cursor: which of the entity's objects, and HubSpot's `after` within it. Opaque to callers. */
export interface PageCursor {
  o: number;
  a: string | null;
}

export function encodeCursor(c: PageCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(raw: string): PageCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PageCursor;
    if (Number.isInteger(c.o) && c.o >= 0 && (c.a === null || typeof c.a === 'string')) return c;
  } catch {
    /* fall through */
  }
  throw new CrmError('hubspot', { kind: 'invalid_request', code: 'BAD_CURSOR', detail: 'not a cursor this client issued' });
}
