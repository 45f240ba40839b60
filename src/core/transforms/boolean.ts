/** Yes/no values in the languages our customers' files use. */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

const TRUE = new Set(['true', 'yes', 'y', '1', 'ja', 'j', 'oui', 'si', 'sí', 'sim', 'wahr', 'vrai', 'verdadero', 'vero', 'waar', 'checked', 'x', '✓', '✔', 'on', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'nein', 'non', 'nao', 'não', 'nee', 'falsch', 'faux', 'falso', 'onwaar', 'unchecked', 'off', 'f', '-']);

export function parseBoolean(raw: RawValue): TransformResult<boolean | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw === 'boolean') return ok(raw);
  if (typeof raw === 'number') return raw === 1 ? ok(true) : raw === 0 ? ok(false) : fail(`${show(raw)} is not yes or no.`);
  const t = raw.trim().toLowerCase();
  if (TRUE.has(t)) return ok(true);
  if (FALSE.has(t)) return ok(false);
  return fail(`${show(raw)} is not yes or no.`);
}

/** Whether a value reads as a boolean (used by the value detectors). */
export function looksBoolean(raw: string): boolean {
  const t = raw.trim().toLowerCase();
  return TRUE.has(t) || FALSE.has(t);
}
