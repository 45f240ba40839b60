/**
 * Custom-field values in Pipedrive's wire formats. v2: enum → option id (number), set → option id array, or
 * `{ id, label }` objects with `include_option_labels=true` (openapi-v2 `getPersons` parameter); v1: enum → the
 * option id as a string, set → comma-separated ids (openapi-v1 custom-fields concept; leads like deals).
 */
import { isoDate } from '../common/index.js';
import { optionId, type PdField } from './catalog.js';

type Raw = string | number | boolean | null | readonly string[] | undefined;

function options(field: PdField, raw: Raw): number[] | null {
  if (raw === null || raw === undefined) return null;
  if (field.source?.def.type === 'boolean') return [optionId(field, raw ? 'Yes' : 'No') as number];
  const labels = Array.isArray(raw) ? (raw as readonly string[]) : [String(raw)];
  const ids = labels.map((l) => optionId(field, l)).filter((x): x is number => x !== null);
  return ids.length === 0 && field.field_type === 'enum' ? null : ids;
}

function scalar(field: PdField, raw: Raw): string | number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (field.field_type === 'date') return isoDate(raw as number);
  if (field.field_type === 'double') return raw as number;
  return String(raw);
}

export type LabelMode = 'ids' | 'labels';

/** A custom value as API v2 renders it. */
export function v2CustomValue(field: PdField, raw: Raw, mode: LabelMode): unknown {
  if (field.field_type !== 'enum' && field.field_type !== 'set') return scalar(field, raw);
  const ids = options(field, raw);
  if (ids === null) return null;
  const out = mode === 'labels' ? ids.map((id) => ({ id, label: field.options?.find((o) => o.id === id)?.label ?? '' })) : ids;
  return field.field_type === 'enum' ? (out[0] ?? null) : out;
}

/** A custom value as API v1 renders it. */
export function v1CustomValue(field: PdField, raw: Raw): string | number | null {
  if (field.field_type !== 'enum' && field.field_type !== 'set') return scalar(field, raw);
  const ids = options(field, raw);
  return ids === null || ids.length === 0 ? null : ids.join(',');
}

/** Reads `record.custom[def.key]` for a custom field. */
export function rawCustom(field: PdField, custom: object): Raw {
  const key = field.source?.def.key;
  return key === undefined ? undefined : ((custom as Record<string, Raw>)[key] ?? null);
}
