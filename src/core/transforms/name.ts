/**
 * Split a full name into first and last name. Handles "Last, First", honorifics and suffixes,
 * surname particles (van, de, von, da, …), single names, and family-name-first scripts (CJK, Hangul).
 */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

export interface SplitName {
  readonly firstName: string | null;
  readonly lastName: string;
}

const HONORIFICS = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'herr', 'frau', 'm', 'mme', 'mlle', 'sr', 'sra', 'srta', 'sig', 'sigra', 'dhr', 'mevr',
]);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'mba', 'dds', 'jun', 'sen']);
// Lower-case particles that belong to the surname ("Ludwig van Beethoven", "Maria de la Cruz").
const PARTICLES = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'das', 'dos', 'du', 'la', 'le', 'ter', 'ten', 'zu', 'bin', 'ibn', 'al', 'el', 'st', "d'", 'vom', 'zum', 'y',
]);
// Scripts written family name first, usually without a separating space.
const FAMILY_FIRST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const bare = (t: string): string => t.toLowerCase().replace(/[.,]/g, '');

/** Split "Jane Q. Doe", "Doe, Jane", "Ludwig van Beethoven", "Madonna", "山田 太郎". */
export function splitFullName(raw: RawValue): TransformResult<SplitName | null> {
  if (isBlank(raw)) return ok(null);
  const text = String(raw).replace(/\s+/g, ' ').trim();
  if (text.length > 300) return fail(`A name of ${text.length} characters is not a person's name.`);
  if (/@/.test(text)) return fail(`${show(text)} looks like an e-mail address, not a name.`);

  // "Last, First" (but not "First Last, Jr.")
  const comma = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (comma.length === 2 && !SUFFIXES.has(bare(comma[1]!))) {
    const first = stripHonorifics(comma[1]!.split(' ')).join(' ');
    return ok({ firstName: first || null, lastName: comma[0]! });
  }

  let tokens = text.replace(/,/g, ' ').split(' ').filter(Boolean);
  tokens = stripHonorifics(tokens);
  while (tokens.length > 1 && SUFFIXES.has(bare(tokens[tokens.length - 1]!))) tokens.pop();
  if (tokens.length === 0) return fail(`${show(text)} holds no name.`);

  if (FAMILY_FIRST.test(text)) {
    if (tokens.length === 1) {
      const t = tokens[0]!;
      // Hangul names are almost always a one-syllable family name followed by the given name.
      if (/^\p{Script=Hangul}{3}$/u.test(t)) return ok({ firstName: t.slice(1), lastName: t.slice(0, 1) });
      return ok({ firstName: null, lastName: t }, `${show(t)} could not be split; it was kept whole as the last name.`);
    }
    return ok({ lastName: tokens[0]!, firstName: tokens.slice(1).join(' ') });
  }
  if (tokens.length === 1) return ok({ firstName: null, lastName: tokens[0]! });

  // The surname is the last token plus any particles right before it (never the first token).
  let start = tokens.length - 1;
  while (start > 1 && PARTICLES.has(tokens[start - 1]!.toLowerCase())) start -= 1;
  return ok({ firstName: tokens.slice(0, start).join(' '), lastName: tokens.slice(start).join(' ') });
}

function stripHonorifics(tokens: string[]): string[] {
  let i = 0;
  while (i < tokens.length - 1 && HONORIFICS.has(bare(tokens[i]!))) i += 1;
  return tokens.slice(i);
}
