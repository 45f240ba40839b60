/** Phone numbers to E.164 with libphonenumber-js; an unparseable number is kept as written and reported. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

export interface PhoneOptions {
  /** ISO 3166-1 alpha-2 country for numbers written without a country code. */
  readonly defaultCountry?: string;
}

/** `(415) 555-2671` + US → `+14155552671`. Failure keeps the original in `fallback`. */
export function phoneE164(raw: RawValue, options: PhoneOptions = {}): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  const original = String(raw).trim();
  if (original.length > 64) return fail(`${show(original)} is too long to be a phone number.`, original);
  // "00" is the international prefix in most of the world; "tel:" comes from links.
  const text = original.replace(/^tel:/i, '').replace(/^00(?=[1-9])/, '+');
  const country = options.defaultCountry?.toUpperCase() as CountryCode | undefined;
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : undefined);
  } catch {
    parsed = undefined;
  }
  if (!parsed) {
    const why = !text.startsWith('+') && !country ? ' (no country code, and no default country was set)' : '';
    return fail(`${show(original)} could not be read as a phone number${why}; it was kept as written.`, original);
  }
  const ext = parsed.ext ? ` The extension ${parsed.ext} was dropped.` : '';
  if (parsed.isValid()) return ok(parsed.number, ext ? ext.trim() : undefined);
  // Explicit international numbers of the right length are kept even when the range is unassigned
  // (e.g. fictional 555 numbers in test data); a guessed country is not trusted that far.
  if (text.startsWith('+') && parsed.isPossible()) {
    return ok(parsed.number, `${show(original)} has the right length but is not an assigned number range.${ext}`);
  }
  return fail(`${show(original)} is not a valid phone number${country ? ` for ${country}` : ''}; it was kept as written.`, original);
}
