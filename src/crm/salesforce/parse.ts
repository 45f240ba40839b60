/**
 * Pure parsing of Salesforce responses: REST query pages, COUNT() results, describe, Bulk API 2.0 job info and
 * CSV rows → SourceRecord. Every shape is checked with zod and a response that does not add up (a page that is
 * not done but has no next URL or no records, a CSV row that does not fit its header) throws: a silently short
 * read is the worst failure this product can have.
 */
import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { FieldDescriptor, SourceRecord } from '../types.js';
import { KEY_PREFIXES } from './definition.js';

/** A response that does not match what Salesforce sends: retried by the HTTP layer or the import, never swallowed. */
export function malformed(detail: string): CrmError {
  return new CrmError('salesforce', { kind: 'temporary', code: 'MALFORMED_RESPONSE', detail });
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw malformed(`${what}: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return r.data;
}

const SF_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const rawRecord = z.looseObject({ attributes: z.object({ type: z.string() }), Id: z.string().regex(SF_ID) });
const queryPage = z.object({
  totalSize: z.number().int().nonnegative(),
  done: z.boolean(),
  nextRecordsUrl: z.string().startsWith('/').optional(),
  records: z.array(z.unknown()),
});

/** `2013-05-20T20:49:32.000+0000` (REST) or `…000Z` (Bulk CSV) → ISO-8601 UTC. */
export function toIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  // Fast path for Salesforce's own UTC forms (every record carries two of them).
  if (value.length === 28 && value.endsWith('+0000') && value[10] === 'T') return `${value.slice(0, 23)}Z`;
  if (value.length === 24 && value.endsWith('Z') && value[10] === 'T') return value;
  const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

const objectOfId = (id: unknown): string | undefined => (typeof id === 'string' ? KEY_PREFIXES[id.slice(0, 3)] : undefined);

function activityType(object: string, fields: Record<string, unknown>): SourceRecord['activityType'] {
  if (object === 'Event') return 'meeting';
  if (object === 'Note') return 'note';
  const kind = fields.TaskSubtype ?? fields.Type;
  return kind === 'Call' ? 'call' : kind === 'Email' || kind === 'ListEmail' ? 'email' : 'task';
}

/** A flat record (REST parent objects already flattened to `Account.Name`) → SourceRecord with normalised links. */
export function toSourceRecord(object: string, fields: Record<string, unknown>): SourceRecord {
  const id = fields.Id;
  if (typeof id !== 'string' || !SF_ID.test(id)) throw malformed(`${object} record without a valid Id`);
  const links: SourceRecord['links'] = {};
  const link = (value: unknown) => {
    const target = objectOfId(value);
    if (target === 'Account') links.account ??= value as string;
    else if (target === 'Contact') links.contact ??= value as string;
    else if (target === 'Opportunity') links.deal ??= value as string;
  };
  // Order matters: the direct AccountId wins over a WhatId that names an account.
  if (object !== 'Account') link(fields.AccountId);
  link(fields.ContactId);
  link(fields.WhoId);
  link(fields.WhatId);
  link(fields.ParentId);
  const record: SourceRecord = { id, fields, links };
  if (typeof fields.OwnerId === 'string') record.owner = fields.OwnerId;
  const created = toIso(fields.CreatedDate);
  const updated = toIso(fields.LastModifiedDate ?? fields.SystemModstamp);
  if (created) record.createdAt = created;
  if (updated) record.updatedAt = updated;
  if (object === 'Task' || object === 'Event' || object === 'Note') record.activityType = activityType(object, fields);
  return record;
}

/** REST record → flat fields: `attributes` dropped, parent objects flattened (`Account: {Name}` → `Account.Name`). */
export function flattenRecord(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'attributes') continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'attributes' in v) {
      for (const [pk, pv] of Object.entries(v as Record<string, unknown>)) if (pk !== 'attributes') out[`${k}.${pk}`] = pv;
    } else {
      out[k] = v;
    }
  }
  return out;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  /** Path of the next batch (null when done). */
  next: string | null;
  records: SourceRecord[];
}

/** One REST query/queryMore response for `object`. */
export function parseQueryPage(object: string, json: unknown): QueryPage {
  const page = check(queryPage, json, 'query response');
  if (!page.done && !page.nextRecordsUrl) throw malformed('query page is not done but has no nextRecordsUrl');
  if (!page.done && page.records.length === 0) throw malformed('query page is not done but holds no records');
  if (page.records.length > page.totalSize) throw malformed(`query page holds ${page.records.length} records of a total of ${page.totalSize}`);
  const records = page.records.map((r) => {
    const raw = check(rawRecord, r, `${object} record`);
    if (raw.attributes.type !== object) throw malformed(`expected ${object} records, got ${raw.attributes.type}`);
    return toSourceRecord(object, flattenRecord(raw));
  });
  return { totalSize: page.totalSize, done: page.done, next: page.done ? null : (page.nextRecordsUrl as string), records };
}

/** `SELECT COUNT() FROM X` → the count (in totalSize, with no records). */
export function parseCount(json: unknown): number {
  const page = check(queryPage, json, 'COUNT() response');
  if (!page.done || page.records.length !== 0) throw malformed('COUNT() response carries records');
  return page.totalSize;
}

const describeField = z.looseObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  custom: z.boolean(),
  relationshipName: z.string().nullable().optional(),
  referenceTo: z.array(z.string()).optional(),
  picklistValues: z.array(z.looseObject({ value: z.string(), active: z.boolean().optional() })).optional(),
});
const describeSchema = z.looseObject({ name: z.string(), fields: z.array(describeField).min(1) });

export interface DescribedObject {
  name: string;
  fields: FieldDescriptor[];
  /** What the client selects: every readable field, plus `Account.Name` where the object has an AccountId. */
  select: string[];
  /** Field (or `Rel.Field`) → Salesforce type, to type Bulk CSV values like REST ones. */
  types: Map<string, string>;
}

/** Compound and binary fields Bulk API 2.0 cannot return. */
const NOT_SELECTED = new Set(['address', 'location', 'base64', 'anyType', 'complexvalue', 'json']);

export function parseDescribe(json: unknown): DescribedObject {
  const d = check(describeSchema, json, 'describe response');
  const fields: FieldDescriptor[] = d.fields.map((f) => ({
    name: f.name, label: f.label, type: f.type, custom: f.custom,
    ...(f.picklistValues && f.picklistValues.length > 0 ? { values: f.picklistValues.filter((p) => p.active !== false).map((p) => p.value) } : {}),
  }));
  const select = d.fields.filter((f) => !NOT_SELECTED.has(f.type)).map((f) => f.name);
  const types = new Map(d.fields.map((f) => [f.name, f.type]));
  const account = d.fields.find((f) => f.name === 'AccountId' && f.relationshipName === 'Account');
  if (account) {
    select.push('Account.Name');
    types.set('Account.Name', 'string');
  }
  if (!select.includes('Id')) throw malformed(`describe of ${d.name} lists no Id field`);
  return { name: d.name, fields, select, types };
}

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);

/** A Bulk API 2.0 CSV value typed like REST: '' → null, booleans, numbers, datetimes in REST form. */
export function typedCsvValue(type: string | undefined, raw: string): unknown {
  if (raw === '') return null;
  if (type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw malformed(`boolean CSV value "${raw.slice(0, 20)}"`);
    return raw === 'true';
  }
  if (type && NUMERIC.has(type)) {
    const n = Number(raw);
    if (Number.isNaN(n)) throw malformed(`numeric CSV value "${raw.slice(0, 20)}"`);
    return n;
  }
  if (type === 'datetime') return raw.replace(/Z$/, '+0000');
  return raw;
}

/** A converter for the rows of one CSV chunk: column types resolved once from the header, not per value. */
export function csvRecordBuilder(object: string, header: readonly string[], types: ReadonlyMap<string, string>): (row: readonly string[]) => SourceRecord {
  const columnTypes = header.map((name) => types.get(name));
  return (row) => {
    if (row.length !== header.length) throw malformed(`CSV row has ${row.length} columns, header has ${header.length}`);
    const fields: Record<string, unknown> = {};
    for (let k = 0; k < header.length; k++) fields[header[k] as string] = typedCsvValue(columnTypes[k], row[k] as string);
    const rec = toSourceRecord(object, fields);
    const target = objectOfId(rec.id);
    if (target !== undefined && target !== object) throw malformed(`expected ${object} ids, got ${rec.id}`);
    return rec;
  };
}

/** One CSV row under its header → SourceRecord. */
export function csvRowToRecord(object: string, header: readonly string[], row: readonly string[], types: ReadonlyMap<string, string>): SourceRecord {
  return csvRecordBuilder(object, header, types)(row);
}

export const JOB_STATES = ['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted'] as const;
const jobInfo = z.looseObject({
  id: z.string().min(1),
  state: z.enum(JOB_STATES),
  object: z.string().optional(),
  numberRecordsProcessed: z.number().int().nonnegative().optional(),
  errorMessage: z.string().nullable().optional(),
});
export type JobInfo = z.infer<typeof jobInfo>;

export function parseJobInfo(json: unknown): JobInfo {
  return check(jobInfo, json, 'Bulk API 2.0 job info');
}

/** Results chunk headers: Sforce-Locator ("null" on the last chunk) and Sforce-NumberOfRecords. */
export function parseResultHeaders(headers: Headers): { next: string | null; count: number } {
  const locator = headers.get('sforce-locator');
  const raw = headers.get('sforce-numberofrecords');
  const count = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  if (locator === null || locator === '') throw malformed('results chunk without Sforce-Locator');
  if (!Number.isInteger(count) || count < 0) throw malformed('results chunk without a valid Sforce-NumberOfRecords');
  return { next: locator === 'null' ? null : locator, count };
}
