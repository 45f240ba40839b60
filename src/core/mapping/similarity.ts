/** String similarity for header matching: Jaro-Winkler on characters, Dice on trigrams, and token sets. */

/** Jaro-Winkler similarity in 0..1 (1 = equal). Strings are compared as given. */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  if (a === b) return 1;
  const la = a.length; const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const aMatch = new Uint8Array(la); const bMatch = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i += 1) {
    const lo = Math.max(0, i - window); const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j += 1) {
      if (!bMatch[j] && a.charCodeAt(i) === b.charCodeAt(j)) { aMatch[i] = 1; bMatch[j] = 1; matches += 1; break; }
    }
  }
  if (matches === 0) return 0;
  let t = 0; let k = 0;
  for (let i = 0; i < la; i += 1) {
    if (!aMatch[i]) continue;
    while (!bMatch[k]) k += 1;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t += 1;
    k += 1;
  }
  const jaro = (matches / la + matches / lb + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  return jaro + prefix * prefixScale * (1 - jaro);
}

/** Dice coefficient over character trigrams (with padding), in 0..1. */
export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ta = trigrams(a); const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const g of ta) if (tb.has(g)) shared += 1;
  return (2 * shared) / (ta.size + tb.size);
}

function trigrams(s: string): Set<string> {
  const padded = `  ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i += 1) out.add(padded.slice(i, i + 3));
  return out;
}

/** Token-set similarity: shared tokens over the larger set (so extra words cost), in 0..1. */
export function tokenSetSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const sa = new Set(a); const sb = new Set(b);
  let shared = 0;
  for (const t of sa) if (sb.has(t)) shared += 1;
  return shared / Math.max(sa.size, sb.size);
}
