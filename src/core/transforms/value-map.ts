/** Picklist values mapped to the target's values (e.g. HubSpot `closedwon` → deal status `won`). */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

/** Key used to look values up: case, accents, spaces and punctuation do not matter. */
export function valueKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Map one value with a `{ sourceValue: targetValue | null }` table; `null` targets clear the field. */
export function applyValueMap(raw: RawValue, values: Readonly<Record<string, string | null>>): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  const text = String(raw).trim();
  if (Object.hasOwn(values, text)) return ok(values[text] ?? null);
  const key = valueKey(text);
  for (const [from, to] of Object.entries(values)) if (valueKey(from) === key) return ok(to);
  return fail(`${show(text)} has no mapping; add it to the value map.`);
}
