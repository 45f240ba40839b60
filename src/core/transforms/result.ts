/**
 * The result every transform returns, so validation can report per-record errors instead of throwing.
 * `fallback` is set when the original value should be kept as it is (e.g. a phone number that
 * cannot be parsed): the loader stores it unchanged and reports `reason`.
 */
export type TransformResult<T> =
  | { readonly ok: true; readonly value: T; readonly warning?: string }
  | { readonly ok: false; readonly reason: string; readonly fallback?: string };

export function ok<T>(value: T, warning?: string): TransformResult<T> {
  return warning === undefined ? { ok: true, value } : { ok: true, value, warning };
}

export function fail(reason: string, fallback?: string): TransformResult<never> {
  return fallback === undefined ? { ok: false, reason } : { ok: false, reason, fallback };
}

/** A raw cell value as it comes out of a CSV parser or a CRM's JSON. */
export type RawValue = string | number | boolean | null | undefined;

/** Blank cells become `null` (nothing to set): requiredness is checked by validation, not by transforms. */
export function isBlank(value: RawValue): value is null | undefined | '' {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Quote a value for a message, shortened so a megabyte cell cannot flood a report. */
export function show(value: RawValue): string {
  const s = String(value);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
