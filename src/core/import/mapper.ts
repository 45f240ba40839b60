/**
 * The record mapper: validated field mappings compiled once into a function from one source record (a CSV row's
 * cells, or a CRM record's fields plus its owner, dates, links and activity type) to one canonical record, or
 * to the reasons it cannot be stored. Values kept as written (a phone number that could not be normalised) are
 * stored and reported as warnings. Pure.
 */
import { findTargetField, requiredTargets, targetFields, type CanonicalField } from '../canonical-model.js';
import type { EntityType } from '../ids.js';
import type { RawValue } from '../transforms/index.js';
import type { FieldMapping } from './mapping.js';
import { checkStored, defaultValue, splitFullName, toRaw, transformedValue, VALUE_LIMITS, type StoredValue } from './values.js';

/** What a CRM record brings besides its fields (SourceRecord without the fields). */
export interface SourceMeta {
  readonly id: string;
  readonly owner?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly links?: { readonly account?: string; readonly contact?: string; readonly deal?: string };
  readonly activityType?: 'note' | 'task' | 'call' | 'meeting' | 'email';
}

export interface MapInput {
  /** Cells by column name, or a CRM record's fields by API name. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Set for API runs. */
  readonly meta?: SourceMeta;
}

export type IssueCode = 'REQUIRED_MISSING' | 'INVALID_VALUE' | 'VALUE_KEPT';

export interface FieldIssue {
  readonly code: IssueCode;
  /** The target field. */
  readonly field: string;
  readonly sourceField?: string;
  readonly reason: string;
}

/** A record ready to store: canonical field → value (camelCase), `customFields`, and `externalId` when known. */
export interface CanonicalRecord {
  readonly values: Record<string, StoredValue>;
  readonly customFields: Record<string, unknown>;
}

export type MapResult =
  | { readonly ok: true; readonly record: CanonicalRecord; readonly warnings: readonly FieldIssue[] }
  | { readonly ok: false; readonly issues: readonly FieldIssue[]; readonly warnings: readonly FieldIssue[] };

export interface MapperOptions {
  /** ISO 3166-1 alpha-2 for phone numbers without a country code (else the record's own country). */
  readonly defaultCountry?: string;
  /** An API run: links come from the CRM record; owner, source dates and activity type too where the mapping gives none. */
  readonly api?: boolean;
}

export interface RecordMapper {
  readonly entity: EntityType;
  /** Target fields the mapping writes (incl. those filled from a CRM record): what a duplicate policy may update. */
  readonly writtenFields: readonly string[];
  map(input: MapInput): MapResult;
}

interface Step {
  readonly mapping: FieldMapping;
  readonly field: CanonicalField | undefined;
  readonly path: readonly string[] | undefined;
}

/** Read `a.b` from nested CRM JSON when there is no field literally named `a.b`. */
function lookup(values: Readonly<Record<string, unknown>>, name: string, path: readonly string[] | undefined): unknown {
  if (Object.hasOwn(values, name)) return values[name];
  if (!path) return undefined;
  let v: unknown = values;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const LINK_TARGETS = [
  ['account', 'accountExternalId'],
  ['contact', 'contactExternalId'],
  ['deal', 'dealExternalId'],
] as const;

/** Compile an entity's validated mappings into a record mapper. */
export function compileMapper(entity: EntityType, mappings: readonly FieldMapping[], options: MapperOptions = {}): RecordMapper {
  const steps: Step[] = mappings
    .filter((m) => m.targetField !== null || m.keepAsCustom)
    .map((m) => ({
      mapping: m,
      field: m.targetField ? findTargetField(entity, m.targetField) : undefined,
      path: m.sourceField.includes('.') ? m.sourceField.split('.') : undefined,
    }));
  // Country first, so phone numbers can take the record's own country as their default.
  steps.sort((a, b) => (a.field?.kind === 'country' ? -1 : 0) - (b.field?.kind === 'country' ? -1 : 0));
  const fields = new Map(targetFields(entity).map((f) => [f.name, f]));
  const required = requiredTargets(entity);
  // On API runs the CRM record's own owner, dates, links and activity type fill these fields when the mapping
  // leaves them empty (a mapped value wins when there is one).
  const linkTargets = LINK_TARGETS.filter(([, target]) => fields.has(target));
  const hasType = entity === 'activities';
  const written = new Set<string>();
  for (const m of mappings) {
    if (!m.targetField) continue;
    if (m.targetField === 'fullName' || m.transform?.kind === 'splitFullName') {
      written.add('firstName');
      written.add('lastName');
    } else written.add(m.targetField);
  }
  written.delete('externalId');
  written.delete('fullName');

  function map(input: MapInput): MapResult {
    const values: Record<string, StoredValue> = {};
    const customFields: Record<string, unknown> = {};
    const issues: FieldIssue[] = [];
    const warnings: FieldIssue[] = [];
    let split: { firstName: string | null; lastName: string } | null = null;

    for (const { mapping, field, path } of steps) {
      const original = lookup(input.values, mapping.sourceField, path);
      if (!field) {
        if (original !== undefined && original !== null && original !== '') customFields[mapping.sourceField] = original;
        continue;
      }
      const raw: RawValue = toRaw(original);
      if (mapping.transform?.kind === 'splitFullName' || field.name === 'fullName') {
        const r = splitFullName(raw);
        if (!r.ok) issues.push({ code: 'INVALID_VALUE', field: field.name, sourceField: mapping.sourceField, reason: r.reason });
        else if (r.value) split = { firstName: r.value.firstName, lastName: r.value.lastName };
        continue;
      }
      const country = typeof values.country === 'string' && /^[A-Z]{2}$/.test(values.country) ? values.country : undefined;
      const context = { defaultCountry: options.defaultCountry ?? country };
      const r = mapping.transform ? transformedValue(field, mapping.transform, raw, context) : defaultValue(field, raw, context);
      if (r.ok) {
        values[field.name] = r.value;
      } else if (r.fallback !== undefined) {
        values[field.name] = r.fallback;
        warnings.push({ code: 'VALUE_KEPT', field: field.name, sourceField: mapping.sourceField, reason: r.reason });
      } else {
        issues.push({ code: 'INVALID_VALUE', field: field.name, sourceField: mapping.sourceField, reason: r.reason });
      }
    }
    if (split) {
      // Explicitly mapped first and last names win over the split.
      if (values.lastName === undefined || values.lastName === null) values.lastName = split.lastName;
      if (values.firstName === undefined || values.firstName === null) values.firstName = split.firstName;
    }

    const m = input.meta;
    if (m) {
      values.externalId = m.id;
      const empty = (name: string) => values[name] === undefined || values[name] === null || values[name] === '';
      if (empty('owner') && m.owner !== undefined && m.owner !== null && m.owner !== '') values.owner = String(m.owner);
      if (empty('sourceCreatedAt') && m.createdAt) setTimestamp(values, 'sourceCreatedAt', m.createdAt, warnings);
      if (empty('sourceUpdatedAt') && m.updatedAt) setTimestamp(values, 'sourceUpdatedAt', m.updatedAt, warnings);
      // Relationships come from the client's normalised links, never from a mapped raw field: CRM link fields
      // are polymorphic (a Salesforce Task's WhatId names an account or an opportunity) and only the client
      // knows which is which.
      for (const [link, target] of linkTargets) {
        const id = m.links?.[link];
        values[target] = id !== undefined && id !== null && id !== '' ? String(id) : null;
      }
      if (hasType && empty('type') && m.activityType) values.type = m.activityType;
    }

    for (const [name, value] of Object.entries(values)) {
      const field = fields.get(name);
      if (!field) continue;
      const problem = name.endsWith('xternalId') && typeof value === 'string' && value.length > VALUE_LIMITS.externalIdChars
        ? `${field.label} is longer than ${VALUE_LIMITS.externalIdChars} characters.`
        : checkStored(field, value);
      if (problem) issues.push({ code: 'INVALID_VALUE', field: name, sourceField: sourceOf(mappings, name), reason: problem });
    }
    for (const field of required) {
      const v = values[field.name];
      if (v === undefined || v === null || v === '') {
        issues.push({
          code: 'REQUIRED_MISSING',
          field: field.name,
          sourceField: sourceOf(mappings, field.name),
          reason: `${field.label} is required and is empty${field.requiredUnless ? ` (no ${field.requiredUnless} either)` : ''}.`,
        });
      }
    }
    if (issues.length > 0) return { ok: false, issues, warnings };
    return { ok: true, record: { values, customFields }, warnings };
  }

  if (options.api) {
    for (const f of ['owner', 'sourceCreatedAt', 'sourceUpdatedAt']) written.add(f);
    for (const [, target] of linkTargets) written.add(target);
    if (hasType) written.add('type');
  }
  return { entity, writtenFields: [...written], map };
}

function sourceOf(mappings: readonly FieldMapping[], target: string): string | undefined {
  return mappings.find((m) => m.targetField === target || (target !== 'firstName' && m.targetField === 'fullName'))?.sourceField;
}

function setTimestamp(values: Record<string, StoredValue>, name: string, raw: string, warnings: FieldIssue[]): void {
  const r = defaultValue({ name, kind: 'timestamp', label: name }, raw, {});
  if (r.ok) values[name] = r.value;
  else warnings.push({ code: 'VALUE_KEPT', field: name, reason: `${r.reason} It was left empty.` });
}
