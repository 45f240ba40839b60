/**
 * Pure parsing of Pipedrive responses: list envelopes (v2 cursor, v1 offset) checked with zod and for paging
 * consistency, records normalised into SourceRecord, fields, the deals summary, the current user, and the
 * client's own resumable cursor. Anything that does not match throws (ParseError): a page is never shortened.
 */
import { z } from 'zod';
import type { FieldDescriptor, SourceRecord } from '../types.js';
import { V2_FIELD_KEYS, type PdObjectSpec } from './definition.js';

/** A response that does not have the shape the client relies on. */
export class ParseError extends Error {
  override name = 'ParseError';
}

function check<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const r = schema.safeParse(json);
  if (!r.success) throw new ParseError(`${what}: ${z.prettifyError(r.error).slice(0, 500)}`);
  return r.data;
}

// ---------------------------------------------------------------- the client's cursor

/** Which object of the entity (`p`), then the Pipedrive cursor (`c`, v2) or offset (`s`, v1), and the last id seen (`a`). */
export interface PdCursor {
  p: number;
  c?: string;
  s?: number;
  a?: number;
}
const CursorSchema = z.strictObject({ p: z.number().int().min(0), c: z.string().min(1).optional(), s: z.number().int().min(0).optional(), a: z.number().int().min(0).optional() });

export function encodeCursor(c: PdCursor): string {
  return `pd1.${Buffer.from(JSON.stringify(c)).toString('base64url')}`;
}

export function decodeCursor(raw: string): PdCursor {
  if (!raw.startsWith('pd1.')) throw new ParseError('not a Pipedrive cursor of this client');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.slice(4), 'base64url').toString('utf8'));
  } catch {
    throw new ParseError('unreadable Pipedrive cursor');
  }
  return check(CursorSchema, json, 'cursor');
}

// ---------------------------------------------------------------- envelopes

const Id = z.number().int().positive();
const RefId = z.number().int().positive().nullable().optional();
const Stamp = z.string().min(10);

// Records are checked for the fields the client relies on (strip mode: zod copies only these) and then used as sent.
const V2Record = z.object({ id: Id, add_time: Stamp, update_time: Stamp.nullable(), owner_id: z.number().int().nullable().optional(), custom_fields: z.record(z.string(), z.unknown()).optional() });
const V2Schemas = {
  organizations: V2Record,
  persons: V2Record.extend({ org_id: RefId }),
  deals: V2Record.extend({ org_id: RefId, person_id: RefId, stage_id: RefId, pipeline_id: RefId }),
  activities: V2Record.extend({ type: z.string(), org_id: RefId, person_id: RefId, deal_id: RefId }),
} as const;
const V1Schemas = {
  notes: z.object({ id: Id, add_time: Stamp, update_time: Stamp.nullable(), user_id: z.number().int().nullable().optional(), org_id: RefId, person_id: RefId, deal_id: RefId }),
  leads: z.object({ id: z.string().min(1), title: z.string(), add_time: Stamp, update_time: Stamp.nullable(), owner_id: z.number().int().nullable().optional(), person_id: RefId, organization_id: RefId }),
} as const;

const V2Envelope = z.object({
  success: z.literal(true),
  data: z.array(z.unknown()),
  // The end of the list is `next_cursor: null`; a missing field would leave "more or not" unknown.
  additional_data: z.object({ next_cursor: z.string().min(1).nullable() }),
});

const Pagination = z.object({ start: z.number().int().min(0), limit: z.number().int().min(1), more_items_in_collection: z.boolean(), next_start: z.number().int().min(0).optional() });
const V1Envelope = z.object({
  success: z.literal(true),
  data: z.array(z.unknown()).nullable(),
  // v1 lists put it under `pagination`; GET /v1/leads puts start/limit/more_items_in_collection directly.
  additional_data: z.union([z.object({ pagination: Pagination }), Pagination.omit({ next_start: true })]),
});

export interface PdPage {
  records: SourceRecord[];
  /** v2: the next Pipedrive cursor, null at the end. */
  nextCursor: string | null;
  /** v1: the next offset, null at the end. */
  nextStart: number | null;
  /** Ids as Pipedrive returned them (numbers; leads: uuids), in page order. */
  rawIds: (number | string)[];
  /** Leads: the person and organization ids to enrich with. */
  leadContacts?: { persons: number[]; organizations: number[] };
}

/** What was asked, for the consistency checks. */
export interface PageRequest {
  limit: number;
  /** v2: the cursor sent and the last id of the previous page. */
  cursor?: string;
  after?: number;
  /** v1: the offset sent. */
  start?: number;
}

/**
 * Parses and checks one list page of `spec`, normalising its records. Throws ParseError on anything inconsistent.
 * `labels`: custom option labels for v1 values (leads); `names`: stage and pipeline names for deals.
 */
export function parsePage(spec: PdObjectSpec, json: unknown, req: PageRequest, labels?: OptionLabels, names?: PipelineNames): PdPage {
  return spec.api === 'v2' ? parseV2Page(spec, json, req, names) : parseV1Page(spec, json, req, labels);
}

function parseV2Page(spec: PdObjectSpec, json: unknown, req: PageRequest, names?: PipelineNames): PdPage {
  const env = check(V2Envelope, json, `${spec.object} page`);
  const schema = V2Schemas[spec.object as keyof typeof V2Schemas];
  if (!schema) throw new ParseError(`${spec.object} is not a v2 object`);
  const items = env.data.map((d, k) => {
    check(schema, d, `${spec.object}[${k}]`);
    return d as Raw & { id: number };
  });
  if (items.length > req.limit) throw new ParseError(`${spec.object}: ${items.length} records on a page of ${req.limit}`);
  let last = req.after ?? 0;
  for (const r of items) {
    // Ascending ids (sort_by=id): a repeat or a step back means a page was served twice or out of order.
    if (r.id <= last) throw new ParseError(`${spec.object}: id ${r.id} after ${last} (pages overlap or are out of order)`);
    last = r.id;
  }
  const next = env.additional_data.next_cursor;
  if (next !== null && next === req.cursor) throw new ParseError(`${spec.object}: next_cursor repeats the cursor sent`);
  if (next !== null && items.length === 0) throw new ParseError(`${spec.object}: an empty page that claims more follow`);
  const records = items.map((r) => {
    const record = normalise(spec, r as Raw);
    return spec.object === 'deals' && names ? nameStageAndPipeline(record, names) : record;
  });
  return { records, nextCursor: next, nextStart: null, rawIds: items.map((r) => r.id) };
}

function parseV1Page(spec: PdObjectSpec, json: unknown, req: PageRequest, labels?: OptionLabels): PdPage {
  const env = check(V1Envelope, json, `${spec.object} page`);
  const schema: z.ZodType | undefined = V1Schemas[spec.object as keyof typeof V1Schemas];
  if (!schema) throw new ParseError(`${spec.object} is not a v1 object`);
  const items = (env.data ?? []).map((d, k) => {
    check(schema, d, `${spec.object}[${k}]`);
    return d as Raw;
  });
  const p = 'pagination' in env.additional_data ? env.additional_data.pagination : env.additional_data;
  const start = req.start ?? 0;
  if (p.start !== start) throw new ParseError(`${spec.object}: asked for start ${start}, got ${p.start}`);
  if (items.length > req.limit || items.length > p.limit) throw new ParseError(`${spec.object}: ${items.length} records on a page of ${Math.min(req.limit, p.limit)}`);
  let nextStart: number | null = null;
  if (p.more_items_in_collection) {
    if (items.length === 0) throw new ParseError(`${spec.object}: an empty page that claims more follow`);
    const declared = 'next_start' in p ? p.next_start : undefined;
    // Offsets count records: the next page must start right after this one, or records would be skipped.
    if (declared !== undefined && declared !== start + items.length) throw new ParseError(`${spec.object}: next_start ${declared} after ${items.length} records from ${start}`);
    nextStart = start + items.length;
  }
  const seen = new Set<unknown>();
  for (const r of items) {
    if (seen.has(r.id)) throw new ParseError(`${spec.object}: id ${String(r.id)} twice on one page`);
    seen.add(r.id);
  }
  const records = items.map((r) => normalise(spec, r, labels));
  const page: PdPage = { records, nextCursor: null, nextStart, rawIds: items.map((r) => r.id as number | string) };
  if (spec.object === 'leads') {
    page.leadContacts = {
      persons: items.map((r) => r.person_id).filter((x): x is number => typeof x === 'number'),
      organizations: items.map((r) => r.organization_id).filter((x): x is number => typeof x === 'number'),
    };
  }
  return page;
}

// ---------------------------------------------------------------- records

type Raw = Record<string, unknown>;

/** Custom-field option labels by field key → option id, for v1 values (`"12"`, `"12,13"`). */
export type OptionLabels = ReadonlyMap<string, { type: string; options: ReadonlyMap<string, string> }>;

/** `2024-01-09T09:31:15Z` (v2, leads) or `2024-01-09 09:31:15` (v1, UTC) → ISO-8601. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const v = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ParseError(`unreadable timestamp "${value}"`);
  return new Date(t).toISOString();
}

const str = (v: unknown): string | undefined => (typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v) : undefined);

/** v2 `include_option_labels=true` values: `{ id, label }` → label, arrays of them → labels. */
function v2Value(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(v2Value);
  if (v && typeof v === 'object' && 'label' in v && 'id' in v && Object.keys(v).length === 2) return (v as { label: unknown }).label;
  return v;
}

function v1Value(key: string, v: unknown, labels?: OptionLabels): unknown {
  const field = labels?.get(key);
  if (!field || (typeof v !== 'string' && typeof v !== 'number')) return v;
  const ids = String(v).split(',').map((s) => s.trim()).filter(Boolean);
  const named = ids.map((id) => field.options.get(id) ?? id);
  return field.type === 'set' ? named : named[0];
}

const ACTIVITY_TYPES: Readonly<Record<string, SourceRecord['activityType']>> = {
  call: 'call', meeting: 'meeting', task: 'task', deadline: 'task', email: 'email', lunch: 'meeting',
};

const CUSTOM_KEY = /^[0-9a-f]{40}$/;

/** One Pipedrive record → SourceRecord (fields under Pipedrive's keys, custom fields flattened by hash key). */
export function normalise(spec: PdObjectSpec, raw: Raw, labels?: OptionLabels): SourceRecord {
  const fields: Record<string, unknown> = {};
  for (const k in raw) {
    const v = raw[k];
    if (k === 'custom_fields' && v && typeof v === 'object') {
      for (const ck in v as Raw) fields[ck] = v2Value((v as Raw)[ck]);
    } else {
      fields[k] = labels && k.length === 40 && CUSTOM_KEY.test(k) ? v1Value(k, v, labels) : v;
    }
  }
  const id = `${spec.idPrefix ?? ''}${String(raw.id)}`;
  const links: SourceRecord['links'] = {};
  const org = str(spec.object === 'leads' ? undefined : raw.org_id);
  const person = str(spec.object === 'leads' ? undefined : raw.person_id);
  const deal = str(raw.deal_id);
  if (spec.object !== 'organizations' && org) links.account = org;
  if ((spec.object === 'deals' || spec.object === 'activities' || spec.object === 'notes') && person) links.contact = person;
  if ((spec.object === 'activities' || spec.object === 'notes') && deal) links.deal = deal;
  const owner = str(spec.object === 'notes' ? raw.user_id : raw.owner_id);
  const record: SourceRecord = { id, fields, links };
  if (owner) record.owner = owner;
  const created = isoTime(raw.add_time);
  const updated = isoTime(raw.update_time);
  if (created) record.createdAt = created;
  if (updated) record.updatedAt = updated;
  if (spec.object === 'notes') record.activityType = 'note';
  else if (spec.object === 'activities') {
    const t = ACTIVITY_TYPES[String(raw.type)];
    if (t) record.activityType = t;
  }
  return record;
}

const ContactList = z.object({ success: z.literal(true), data: z.array(z.looseObject({ id: Id })), additional_data: z.unknown().optional() });

/** `GET /v2/persons?ids=…` or `/v2/organizations?ids=…` → records by id. */
export function parseContactsById(json: unknown, what: string): Map<number, Raw> {
  const env = check(ContactList, json, what);
  return new Map(env.data.map((r) => [r.id, r as Raw]));
}

/**
 * A lead's name, e-mails, phones and job title live on its person, its company name on its organization: copied
 * onto the lead (the keys the field catalogue lists for leads: name, first_name, …, org_name).
 */
export function mergeLeadContacts(lead: SourceRecord, persons: ReadonlyMap<number, Raw>, orgs: ReadonlyMap<number, Raw>): SourceRecord {
  const f = lead.fields;
  const person = typeof f.person_id === 'number' ? persons.get(f.person_id) : undefined;
  const org = typeof f.organization_id === 'number' ? orgs.get(f.organization_id) : undefined;
  const extra: Record<string, unknown> = {};
  if (person) {
    for (const k of ['name', 'first_name', 'last_name', 'emails', 'phones', 'job_title', 'postal_address']) if (person[k] !== undefined) extra[k] = person[k];
  }
  if (org) extra.org_name = org.name;
  return { ...lead, fields: { ...extra, ...f } };
}

// ---------------------------------------------------------------- stage and pipeline names

/**
 * The keys a deal's stage and pipeline names are added under, beside `stage_id` and `pipeline_id` (kept as the ids).
 * `<object>_name` is Pipedrive's own spelling for a referenced object's name (`org_name`, `person_name`, and
 * `pipeline_name` on a v1 stage); the field catalogue maps these to the canonical `stage` and `pipeline`.
 */
export const STAGE_NAME = 'stage_name';
export const PIPELINE_NAME = 'pipeline_name';

/** Stage and pipeline names by id, from `GET /v2/stages` and `GET /v2/pipelines`. */
export interface PipelineNames {
  stages: ReadonlyMap<number, string>;
  pipelines: ReadonlyMap<number, string>;
}

/**
 * A normalised deal with `stage_name` and `pipeline_name` added: the names a Pipedrive export shows as
 * "Deal - Stage" and "Deal - Pipeline". An id the lists do not know (a stage or pipeline deleted since, or created
 * after the lists were read) keeps its id in `stage_id`/`pipeline_id` and gets a null name: nothing is guessed, and
 * the record is not refused for it.
 */
export function nameStageAndPipeline(record: SourceRecord, names: PipelineNames): SourceRecord {
  const f = record.fields;
  const stage = typeof f.stage_id === 'number' ? (names.stages.get(f.stage_id) ?? null) : null;
  const pipeline = typeof f.pipeline_id === 'number' ? (names.pipelines.get(f.pipeline_id) ?? null) : null;
  return { ...record, fields: { ...f, [STAGE_NAME]: stage, [PIPELINE_NAME]: pipeline } };
}

const NamedItem = z.looseObject({ id: Id, name: z.string() });
const NamedList = z.object({ success: z.literal(true), data: z.array(NamedItem), additional_data: z.object({ next_cursor: z.string().min(1).nullable() }) });

export interface NamedPage {
  items: { id: number; name: string }[];
  nextCursor: string | null;
}

/** One page of `GET /v2/stages` or `/v2/pipelines` (v2 cursor list of `{ id, name, … }`). */
export function parseNamedPage(json: unknown, what: 'stages' | 'pipelines', cursor?: string): NamedPage {
  const env = check(NamedList, json, what);
  const next = env.additional_data.next_cursor;
  if (next !== null && next === cursor) throw new ParseError(`${what}: next_cursor repeats the cursor sent`);
  if (next !== null && env.data.length === 0) throw new ParseError(`${what}: an empty page that claims more follow`);
  return { items: env.data.map((d) => ({ id: d.id, name: d.name })), nextCursor: next };
}

// ---------------------------------------------------------------- metadata

const FieldSchema = z.looseObject({
  key: z.string().min(1),
  name: z.string(),
  field_type: z.string(),
  options: z.array(z.looseObject({ id: z.union([z.number(), z.string()]), label: z.string() })).nullable().optional(),
});
const FieldsEnvelope = z.object({ success: z.literal(true), data: z.array(FieldSchema).nullable(), additional_data: z.object({ pagination: Pagination }).optional() });

export interface FieldsPage {
  fields: z.infer<typeof FieldSchema>[];
  nextStart: number | null;
}

export function parseFieldsPage(json: unknown, start: number): FieldsPage {
  const env = check(FieldsEnvelope, json, 'fields');
  const fields = env.data ?? [];
  const p = env.additional_data?.pagination;
  if (p && p.start !== start) throw new ParseError(`fields: asked for start ${start}, got ${p.start}`);
  if (p?.more_items_in_collection && fields.length === 0) throw new ParseError('fields: an empty page that claims more follow');
  return { fields, nextStart: p?.more_items_in_collection ? start + fields.length : null };
}

export function toFieldDescriptor(spec: PdObjectSpec, f: FieldsPage['fields'][number]): FieldDescriptor {
  const custom = CUSTOM_KEY.test(f.key);
  const name = custom ? f.key : (V2_FIELD_KEYS[spec.object]?.[f.key] ?? f.key);
  const d: FieldDescriptor = { name, label: f.name, type: f.field_type, custom };
  if (f.options && f.options.length > 0 && (f.field_type === 'enum' || f.field_type === 'set')) d.values = f.options.map((o) => o.label);
  return d;
}

/** Option labels of custom enum/set fields, for reading v1 values. */
export function optionLabels(fields: FieldsPage['fields']): OptionLabels {
  const out = new Map<string, { type: string; options: Map<string, string> }>();
  for (const f of fields) {
    if (!CUSTOM_KEY.test(f.key) || !f.options || (f.field_type !== 'enum' && f.field_type !== 'set')) continue;
    out.set(f.key, { type: f.field_type, options: new Map(f.options.map((o) => [String(o.id), o.label])) });
  }
  return out;
}

const Summary = z.object({ success: z.literal(true), data: z.looseObject({ total_count: z.number().int().min(0) }) });
export function parseDealsSummary(json: unknown): number {
  return check(Summary, json, 'deals summary').data.total_count;
}

const Me = z.object({
  success: z.literal(true),
  data: z.looseObject({ id: Id, name: z.string(), email: z.string(), company_id: Id, company_domain: z.string().optional(), company_name: z.string().optional() }),
});
export function parseMe(json: unknown) {
  return check(Me, json, 'users/me').data;
}
