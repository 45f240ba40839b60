/**
 * Pure value transforms and the `Transform` data that names them. A mapping suggestion carries a
 * `Transform`; the importer applies it with `applyTransform` and reports `{ ok: false, reason }` per record.
 */
import { parseBoolean } from './boolean.js';
import { normaliseCountry } from './country.js';
import { normaliseCurrency } from './currency.js';
import { parseDate, type DateFormat } from './date.js';
import { lowercaseEmail } from './email.js';
import { splitFullName, type SplitName } from './name.js';
import { parseNumber } from './number.js';
import { phoneE164 } from './phone.js';
import { fail, isBlank, ok, type RawValue, type TransformResult } from './result.js';
import { extractDomain, normaliseUrl } from './url.js';
import { applyValueMap } from './value-map.js';

export * from './result.js';
export { splitFullName, type SplitName } from './name.js';
export { parseDate, detectDateFormat, DATE_FORMATS, type DateFormat, type DetectedDateFormat, type ParseDateOptions } from './date.js';
export { parseNumber, parseMoney, detectNumberFormat, isCurrencyCode, type Money, type ParseNumberOptions, type DetectedNumberFormat } from './number.js';
export { phoneE164, type PhoneOptions } from './phone.js';
export { lowercaseEmail, EMAIL_RE } from './email.js';
export { normaliseCountry, countryCode, countryKey } from './country.js';
export { normaliseCurrency } from './currency.js';
export { parseBoolean, looksBoolean } from './boolean.js';
export { normaliseUrl, extractDomain, looksDomain } from './url.js';
export { applyValueMap, valueKey } from './value-map.js';

/** How values change on their way into a target field; plain data so it can be stored and shown. */
export type Transform =
  | { readonly kind: 'splitFullName' }
  | { readonly kind: 'parseDate'; readonly format?: DateFormat; readonly output?: 'date' | 'timestamp' }
  | { readonly kind: 'parseNumber'; readonly decimal?: '.' | ','; readonly integer?: boolean }
  /** Percentages; `fraction` when the source stores 0..1 (HubSpot probabilities) so values are ×100. */
  | { readonly kind: 'percent'; readonly decimal?: '.' | ','; readonly fraction?: boolean }
  | { readonly kind: 'phoneE164'; readonly defaultCountry?: string }
  | { readonly kind: 'lowercaseEmail' }
  | { readonly kind: 'country' }
  | { readonly kind: 'currency' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'url' }
  | { readonly kind: 'domain' }
  | { readonly kind: 'valueMap'; readonly values: Readonly<Record<string, string | null>> };

export type TransformKind = Transform['kind'];
export type TransformValue = string | number | boolean | SplitName | null;

/** Apply one transform to one raw value. */
export function applyTransform(transform: Transform, raw: RawValue): TransformResult<TransformValue> {
  switch (transform.kind) {
    case 'splitFullName':
      return splitFullName(raw);
    case 'parseDate':
      return parseDate(raw, transform);
    case 'parseNumber':
      return parseNumber(raw, transform);
    case 'percent':
      return parsePercent(raw, transform);
    case 'phoneE164':
      return phoneE164(raw, transform);
    case 'lowercaseEmail':
      return lowercaseEmail(raw);
    case 'country':
      return normaliseCountry(raw);
    case 'currency':
      return normaliseCurrency(raw);
    case 'boolean':
      return parseBoolean(raw);
    case 'url':
      return normaliseUrl(raw);
    case 'domain':
      return extractDomain(raw);
    case 'valueMap':
      return applyValueMap(raw, transform.values);
  }
}

/** "45%", "45", or 0.45 with `fraction` → 45; outside 0..100 fails. */
export function parsePercent(raw: RawValue, options: { decimal?: '.' | ','; fraction?: boolean } = {}): TransformResult<number | null> {
  if (isBlank(raw)) return ok(null);
  const hadSign = typeof raw === 'string' && raw.includes('%');
  const n = parseNumber(raw, options.decimal ? { decimal: options.decimal } : {});
  if (!n.ok || n.value === null) return n.ok ? ok(null) : n;
  const value = options.fraction && !hadSign ? Math.round(n.value * 100 * 1e6) / 1e6 : n.value;
  if (value < 0 || value > 100) return fail(`${String(raw)} is not a percentage between 0 and 100.`);
  return ok(value);
}
