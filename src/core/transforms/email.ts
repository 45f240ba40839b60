/** E-mail addresses: trimmed, lower-cased, `mailto:` and display names removed, then validated. */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

// Pragmatic shape check (not RFC 5322): one @, no spaces, a dotted domain with a 2+ letter TLD.
export const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z\u00a1-\uffff]{2,}$/i;

export function lowercaseEmail(raw: RawValue): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  let text = String(raw).trim();
  if (text.length > 320) return fail(`${show(text)} is too long to be an e-mail address.`);
  const angle = /<([^>]+)>/.exec(text);
  if (angle) text = angle[1]!;
  text = text.replace(/^mailto:/i, '').trim();
  let warning: string | undefined;
  const several = text.split(/[;,\s]+/).filter(Boolean);
  if (several.length > 1) {
    text = several[0]!;
    warning = `${several.length} addresses were given; the first was kept.`;
  }
  const lower = text.toLowerCase();
  if (!EMAIL_RE.test(lower)) return fail(`${show(raw)} is not a valid e-mail address.`);
  return ok(lower, warning);
}
