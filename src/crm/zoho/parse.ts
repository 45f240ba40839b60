/**
 * Pure parsing of Zoho responses (no I/O): list pages, counts, field metadata, Bulk Read job bodies, CSV rows,
 * and the normalisation of a Zoho record into a SourceRecord. Every response is validated with zod and a page
 * that does not add up (count ≠ rows, a short page claiming more records, duplicate ids) is a loud failure
 * (CrmError 'temporary', so the HTTP layer or the import retries) — never fewer records in silence.
 */
import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { FieldDescriptor, SourceRecord } from '../types.js';
import type { ModuleSpec } from './definition.js';

/** A failed validation: the response is not what Zoho sends, so retry rather than trust it. */
export function malformed(what: string, detail: string): CrmError {
  return new CrmError('zoho', { kind: 'temporary', code: 'MALFORMED_RESPONSE', detail: `${what}: ${detail}`.slice(0, 500) });
}

function validate<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed(what, `not JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 80))})`);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw malformed(what, z.prettifyError(r.error));
  return r.data;
}

// ---------------------------------------------------------------- list pages

const RawRecord = z.looseObject({ id: z.string().regex(/^\d+$/) });
export type RawRecord = z.infer<typeof RawRecord>;

const ListBody = z.object({
  data: z.array(RawRecord),
  info: z.looseObject({
    per_page: z.number().int().positive(),
    count: z.number().int().nonnegative(),
    page: z.number().int().positive(),
    more_records: z.boolean(),
    next_page_token: z.string().min(1).nullish(),
  }),
});

export interface ListPage {
  readonly records: RawRecord[];
  readonly moreRecords: boolean;
  readonly nextPageToken: string | null;
}

/** A `GET /crm/v8/{module}` response; 204 No Content is an empty last page. */
export function parseListPage(status: number, text: string, perPage: number, what: string): ListPage {
  if (status === 204 || text.trim() === '') return { records: [], moreRecords: false, nextPageToken: null };
  const body = validate(ListBody, text, what);
  const { data, info } = body;
  if (info.count !== data.length) throw malformed(what, `info.count is ${info.count} but ${data.length} records came`);
  if (data.length > perPage) throw malformed(what, `${data.length} records on a page of ${perPage}`);
  if (data.length === 0 && info.more_records) throw malformed(what, 'an empty page that claims more records');
  if (info.more_records && data.length < perPage) throw malformed(what, `a short page (${data.length} of ${perPage}) that claims more records`);
  if (new Set(data.map((r) => r.id)).size !== data.length) throw malformed(what, 'duplicate ids on one page');
  return { records: data, moreRecords: info.more_records, nextPageToken: info.next_page_token ?? null };
}

const CountBody = z.object({ count: z.number().int().nonnegative() });

export function parseCount(text: string, what: string): number {
  return validate(CountBody, text, what).count;
}

// ---------------------------------------------------------------- field metadata

const FieldsBody = z.object({
  fields: z.array(
    z.looseObject({
      api_name: z.string().min(1),
      field_label: z.string().optional(),
      display_label: z.string().optional(),
      data_type: z.string().min(1),
      custom_field: z.boolean().optional(),
      pick_list_values: z.array(z.looseObject({ display_value: z.string().optional(), actual_value: z.string().optional() })).nullish(),
      lookup: z.looseObject({ module: z.looseObject({ api_name: z.string() }).nullish() }).nullish(),
    }),
  ),
});

/** One field as the client needs it (FieldDescriptor plus the lookup's target module). */
export interface ZohoField extends FieldDescriptor {
  lookupModule?: string;
}

export function parseFields(text: string, what: string): ZohoField[] {
  return validate(FieldsBody, text, what).fields.map((f) => {
    const values = (f.pick_list_values ?? []).map((v) => v.actual_value ?? v.display_value).filter((v): v is string => typeof v === 'string');
    const target = f.lookup?.module?.api_name;
    return {
      name: f.api_name,
      label: f.field_label ?? f.display_label ?? f.api_name,
      type: f.data_type,
      custom: f.custom_field === true,
      ...(values.length > 0 ? { values } : {}),
      ...(target ? { lookupModule: target } : {}),
    };
  });
}

// ---------------------------------------------------------------- Bulk Read

const CreatedBody = z.object({
  data: z.array(z.looseObject({ status: z.literal('success'), details: z.looseObject({ id: z.string().min(1) }) })).length(1),
});

export function parseBulkCreated(text: string): string {
  return validate(CreatedBody, text, 'Bulk Read create').data[0]!.details.id;
}

export const JOB_STATES = ['ADDED', 'QUEUED', 'IN PROGRESS', 'COMPLETED', 'FAILURE'] as const;
export type JobState = (typeof JOB_STATES)[number];

const JobBody = z.object({
  data: z
    .array(
      z.looseObject({
        id: z.string(),
        state: z.enum(JOB_STATES),
        result: z
          .looseObject({
            page: z.number().int().positive(),
            count: z.number().int().nonnegative(),
            download_url: z.string().min(1),
            more_records: z.boolean(),
            next_page_token: z.string().min(1).nullish(),
          })
          .nullish(),
      }),
    )
    .length(1),
});

export interface JobStatus {
  readonly state: JobState;
  readonly result?: { count: number; downloadUrl: string; moreRecords: boolean; nextPageToken: string | null };
}

export function parseBulkStatus(text: string): JobStatus {
  const job = validate(JobBody, text, 'Bulk Read job').data[0]!;
  if (job.state !== 'COMPLETED') return { state: job.state };
  const r = job.result;
  if (!r) throw malformed('Bulk Read job', 'COMPLETED without a result');
  if (r.more_records && !r.next_page_token) throw malformed('Bulk Read job', 'more_records without a next_page_token');
  return { state: 'COMPLETED', result: { count: r.count, downloadUrl: r.download_url, moreRecords: r.more_records, nextPageToken: r.next_page_token ?? null } };
}

// ---------------------------------------------------------------- normalisation

interface LookupValue {
  id: string;
  name?: string | null;
  module?: { api_name?: unknown } | null;
}

/** A lookup value `{ id, name }` (checked by hand: this runs for every field of every row). */
function lookup(v: unknown): LookupValue | null {
  return v !== null && typeof v === 'object' && typeof (v as LookupValue).id === 'string' && (v as LookupValue).id !== '' ? (v as LookupValue) : null;
}

/** Zoho's timestamp with the org's offset → ISO-8601 UTC. */
function iso(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const LINK_OF_MODULE: Record<string, keyof SourceRecord['links']> = { Accounts: 'account', Contacts: 'contact', Deals: 'deal' };

const ID = /^\d+$/;

/** A Zoho record (list JSON, or a CSV row turned into the same shape) → SourceRecord. */
export function normalizeRecord(spec: ModuleSpec, raw: Record<string, unknown>): SourceRecord {
  const id = raw.id;
  if (typeof id !== 'string' || !ID.test(id)) throw malformed(spec.module, `a record without a valid id (${JSON.stringify(id)})`);
  const fields: Record<string, unknown> = {};
  for (const k in raw) if (k !== 'id') fields[k] = raw[k];
  return normalizeFields(spec, id, fields);
}

/** The same, for a record already split into its id and its fields (the Bulk Read path builds them so). */
export function normalizeFields(spec: ModuleSpec, id: string, raw: Record<string, unknown>): SourceRecord {
  if (!ID.test(id)) throw malformed(spec.module, `a record without a valid id (${JSON.stringify(id)})`);
  const fields = raw;
  const links: SourceRecord['links'] = {};
  const set = (module: unknown, v: unknown) => {
    const key = typeof module === 'string' ? LINK_OF_MODULE[module] : undefined;
    const ref = key ? lookup(v) : null;
    if (ref && key) links[key] = ref.id;
  };
  switch (spec.module) {
    case 'Contacts':
      set('Accounts', raw.Account_Name);
      break;
    case 'Deals':
      set('Accounts', raw.Account_Name);
      set('Contacts', raw.Contact_Name);
      break;
    case 'Tasks':
    case 'Events':
    case 'Calls':
      set(raw.$se_module, raw.What_Id);
      set('Contacts', raw.Who_Id);
      break;
    case 'Notes': {
      const parent = lookup(raw.Parent_Id);
      set(parent?.module?.api_name ?? raw.$se_module, raw.Parent_Id);
      break;
    }
    default:
      break;
  }
  const owner = lookup(raw.Owner)?.id;
  const createdAt = iso(raw.Created_Time);
  const updatedAt = iso(raw.Modified_Time);
  return {
    id,
    fields,
    links,
    ...(owner ? { owner } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    ...(spec.activityType ? { activityType: spec.activityType } : {}),
  };
}

// ---------------------------------------------------------------- Bulk Read CSV rows

/** How one CSV column becomes part of a record: a field (typed by its metadata) or a lookup's sub-field. */
export interface CsvColumnPlan {
  readonly column: string;
  readonly field: string;
  /** For `Lookup.sub` columns: which key of the lookup object it fills. */
  readonly sub?: 'name' | 'email' | 'first_name' | 'last_name';
  readonly type: string;
}

const NUMERIC = new Set(['integer', 'double', 'currency', 'percent', 'decimal']);

function typed(type: string, v: string): unknown {
  if (v === '') return type === 'multiselectpicklist' ? [] : type === 'boolean' ? false : null;
  if (NUMERIC.has(type)) {
    const n = Number(v);
    if (!Number.isFinite(n)) throw malformed('Bulk Read CSV', `"${v.slice(0, 40)}" is not a number`);
    return n;
  }
  if (type === 'boolean') return v === 'true';
  if (type === 'multiselectpicklist') return v.split(';');
  return v;
}

/** Builds a record object shaped like the list API's from one CSV row (lookups as { id, name }). */
export function csvRowToRaw(plan: readonly CsvColumnPlan[], row: readonly string[]): Record<string, unknown> {
  const { id, fields } = csvRowToFields(plan, row);
  return { id, ...fields };
}

/** One CSV row → the record's id and its fields shaped like the list API's (lookups as { id, name }). */
export function csvRowToFields(plan: readonly CsvColumnPlan[], row: readonly string[]): { id: string; fields: Record<string, unknown> } {
  if (row.length !== plan.length) throw malformed('Bulk Read CSV', `a row of ${row.length} columns under a header of ${plan.length}`);
  const out: Record<string, unknown> = {};
  let id = '';
  for (let k = 0; k < plan.length; k++) {
    const p = plan[k]!;
    const v = row[k]!;
    if (p.type === 'lookup' || p.type === 'ownerlookup') {
      // A lookup's id column and its sub-field columns, in whatever order the CSV has them.
      const cur = out[p.field] as Record<string, string> | null | undefined;
      if (p.sub === undefined) {
        if (v === '') out[p.field] = null;
        else if (cur) cur.id = v;
        else out[p.field] = { id: v };
      } else if (v !== '' && cur !== null) {
        if (cur) cur[p.sub] = v;
        else out[p.field] = { [p.sub]: v };
      }
      continue;
    }
    if (p.type === 'id') id = v;
    else out[p.field] = typed(p.type, v);
  }
  for (const p of plan) {
    const v = out[p.field] as { id?: string } | null | undefined;
    if (p.sub !== undefined && v && v.id === undefined) out[p.field] = null; // sub-fields of an empty lookup
  }
  // Owner: first + last name → name, as the list API gives it.
  const owner = out.Owner as Record<string, string> | null | undefined;
  if (owner && (owner.first_name !== undefined || owner.last_name !== undefined)) {
    owner.name = [owner.first_name, owner.last_name].filter(Boolean).join(' ');
    delete owner.first_name;
    delete owner.last_name;
  }
  return { id, fields: out };
}

// ---------------------------------------------------------------- cursors

/** An opaque, resumable cursor: base64url JSON, validated on the way back in. */
export function encodeCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(raw: string, schema: z.ZodType<T>, what: string): T {
  try {
    const r = schema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (r.success) return r.data;
  } catch {
    /* fall through */
  }
  throw new CrmError('zoho', { kind: 'invalid_request', code: 'BAD_CURSOR', detail: `not a ${what} this client issued` });
}
