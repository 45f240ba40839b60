/**
 * Turning one source value into the value a canonical field stores, by the field's kind, and checking it.
 * Transforms (src/core/transforms) do the parsing; this file picks the default transform for a kind when the
 * mapping names none, and checks what a user-chosen transform produced still fits the field. Pure.
 */
import { ACTIVITY_TYPES, DEAL_STATUSES, type CanonicalField, type FieldKind } from '../canonical-model.js';
import {
  applyTransform, lowercaseEmail, normaliseCountry, normaliseCurrency, normaliseUrl, parseDate, parseNumber, parsePercent, phoneE164,
  splitFullName, valueKey, type RawValue, type Transform, type TransformResult, type TransformValue,
} from '../transforms/index.js';

/** A stored value: text, a number, or null. Dates are `YYYY-MM-DD`, timestamps ISO-8601 UTC strings. */
export type StoredValue = string | number | null;

/**
 * Limits that keep one bad value from failing a whole batch in the database: btree index entries must stay under
 * ~2.7 kB (names, e-mails and ids are indexed), and a "short text" field over 2 kB is not a short text.
 */
export const VALUE_LIMITS = { shortTextBytes: 2_000, longTextBytes: 1_000_000, externalIdChars: 255 } as const;

/** Values outside Postgres `integer` cannot be stored in integer columns (employees). */
const INT4_MAX = 2_147_483_647;

/** Keys under which CRMs put the one value of a small object (Pipedrive `{ value, primary }`, monday `{ text }`, Zoho lookups `{ name, id }`). */
const VALUE_KEYS = ['value', 'text', 'name', 'label', 'email', 'id'] as const;

function objectValue(o: Record<string, unknown>): unknown {
  for (const k of VALUE_KEYS) {
    const v = o[k];
    if (v !== undefined && v !== null && typeof v !== 'object') return v;
  }
  return undefined;
}

/**
 * Flatten what a CRM's JSON may hold into a scalar the transforms read: a multi-value field (Pipedrive's
 * `phones: [{ value, primary }]`) gives its primary (else first) value, other arrays are joined with "; ", a small
 * object gives its value/text/name, anything else its JSON.
 */
export function toRaw(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  // Postgres text cannot hold NUL characters.
  if (typeof value === 'string') return value.includes('\u0000') ? value.split('\u0000').join('') : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && objectValue(v as Record<string, unknown>) !== undefined)) {
      const items = value as Array<Record<string, unknown>>;
      const primary = items.find((v) => v.primary === true) ?? items[0]!;
      return toRaw(objectValue(primary));
    }
    const parts = value.map((v) => toRaw(v)).filter((v) => v !== null && v !== '');
    return parts.length === 0 ? null : parts.join('; ');
  }
  if (typeof value === 'object') {
    const v = objectValue(value as Record<string, unknown>);
    if (v !== undefined) return toRaw(v);
  }
  return JSON.stringify(value);
}

/** Deal statuses and activity types as CRMs and spreadsheets write them. */
const ENUM_SYNONYMS: Record<string, Record<string, string>> = {
  status: {
    open: 'open', inprogress: 'open', active: 'open', pending: 'open',
    won: 'won', closedwon: 'won', win: 'won',
    lost: 'lost', closedlost: 'lost', lose: 'lost', closed: 'lost',
  },
  type: {
    note: 'note', notes: 'note', comment: 'note',
    task: 'task', tasks: 'task', todo: 'task',
    call: 'call', calls: 'call', phonecall: 'call', phone: 'call',
    meeting: 'meeting', meetings: 'meeting', event: 'meeting', appointment: 'meeting',
    email: 'email', emails: 'email', mail: 'email',
  },
};

function enumValue(field: CanonicalField, raw: RawValue): TransformResult<string | null> {
  if (raw === null || raw === undefined || String(raw).trim() === '') return { ok: true, value: null };
  const values = field.values ?? (field.name === 'type' ? ACTIVITY_TYPES : DEAL_STATUSES);
  const key = valueKey(String(raw));
  const direct = values.find((v) => valueKey(v) === key);
  if (direct) return { ok: true, value: direct };
  const synonym = ENUM_SYNONYMS[field.name]?.[key];
  if (synonym && values.includes(synonym)) return { ok: true, value: synonym };
  return { ok: false, reason: `${JSON.stringify(String(raw).slice(0, 60))} is not one of ${values.join(', ')}.` };
}

function byteLength(s: string): number {
  // Fast path: ASCII-only strings are one byte per character.
  return s.length * 3 <= VALUE_LIMITS.shortTextBytes ? s.length : Buffer.byteLength(s, 'utf8');
}

/** The default transform of a kind, when the mapping names none. */
export function defaultValue(field: CanonicalField, raw: RawValue, context: { defaultCountry?: string }): TransformResult<StoredValue> {
  switch (field.kind as FieldKind) {
    case 'email':
      return lowercaseEmail(raw);
    case 'phone':
      return phoneE164(raw, context.defaultCountry ? { defaultCountry: context.defaultCountry } : {});
    case 'url':
      return normaliseUrl(raw);
    case 'integer': {
      const n = parseNumber(raw, { integer: true });
      return n;
    }
    case 'number':
      return parseNumber(raw);
    case 'percent':
      return parsePercent(raw);
    case 'currency':
      return normaliseCurrency(raw);
    case 'date':
      return parseDate(raw, { output: 'date' });
    case 'timestamp':
      return parseDate(raw, { output: 'timestamp' });
    case 'country': {
      const c = normaliseCountry(raw);
      // A country we do not recognise (a region, a typo) is kept as written rather than failing the record.
      return c.ok ? c : { ok: false, reason: c.reason, fallback: String(raw).trim() };
    }
    case 'enum':
      return enumValue(field, raw);
    default: {
      if (raw === null || raw === undefined) return { ok: true, value: null };
      const s = typeof raw === 'string' ? raw.trim() : String(raw);
      return { ok: true, value: s === '' ? null : s };
    }
  }
}

/** Apply the user's transform, then make sure the result fits the field's kind (re-parsing a string if needed). */
export function transformedValue(field: CanonicalField, transform: Transform, raw: RawValue, context: { defaultCountry?: string }): TransformResult<StoredValue> {
  const t: Transform = transform.kind === 'phoneE164' && !transform.defaultCountry && context.defaultCountry ? { ...transform, defaultCountry: context.defaultCountry } : transform;
  const result = applyTransform(t, raw);
  if (!result.ok) return result;
  const value = result.value as TransformValue;
  if (value === null) return result as TransformResult<null>;
  if (typeof value === 'object') return { ok: false, reason: `The ${transform.kind} transform does not produce a value for ${field.name}.` };
  // A value map onto a number or enum field yields text: read it as that kind.
  const scalar: RawValue = value;
  return fitKind(field, scalar, context);
}

/** Check (and where harmless, convert) a value already transformed so it fits the field. */
function fitKind(field: CanonicalField, value: RawValue, context: { defaultCountry?: string }): TransformResult<StoredValue> {
  switch (field.kind) {
    case 'integer':
    case 'number':
    case 'percent':
      if (typeof value === 'number') return { ok: true, value };
      return defaultValue(field, value, context);
    case 'enum':
    case 'date':
    case 'timestamp':
    case 'currency':
    case 'email':
      return defaultValue(field, value, context);
    default:
      return { ok: true, value: typeof value === 'string' ? value : String(value) };
  }
}

/** Final checks every stored value passes, whatever produced it: sizes and numeric ranges. */
export function checkStored(field: CanonicalField, value: StoredValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${field.label} is not a finite number.`;
    if (field.kind === 'integer') {
      if (!Number.isInteger(value)) return `${field.label} must be a whole number (got ${value}).`;
      if (Math.abs(value) > INT4_MAX) return `${field.label} ${value} is too large.`;
    }
    if (field.kind === 'percent' && (value < 0 || value > 100)) return `${field.label} must be between 0 and 100 (got ${value}).`;
    return null;
  }
  const limit = field.kind === 'text' ? VALUE_LIMITS.longTextBytes : VALUE_LIMITS.shortTextBytes;
  if (field.kind === 'text' ? value.length > limit : byteLength(value) > limit) {
    return `${field.label} is ${value.length.toLocaleString('en-US')} characters long; at most ${limit === VALUE_LIMITS.shortTextBytes ? '2,000 bytes' : '1 MB'} fits this field.`;
  }
  return null;
}

export { splitFullName };
