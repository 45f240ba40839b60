/** The synonym tables compiled per entity: phrases by key, by token, and by first letter (for fuzzy matching). */
import { targetFields } from '../canonical-model.js';
import type { EntityType } from '../ids.js';
import { normalizeName } from './normalize.js';
import { NO_TARGET_PHRASES, SYNONYM_RULES } from './synonyms.js';
import './catalogues.js'; // registers the vocabulary the normaliser's compound splitter uses

export interface Phrase {
  /** null = a known header with no canonical target. */
  readonly target: string | null;
  readonly text: string;
  readonly tokens: readonly string[];
  readonly key: string;
  readonly compact: string;
  readonly weight: number;
}

export interface PhraseIndex {
  readonly byKey: ReadonlyMap<string, readonly Phrase[]>;
  readonly byToken: ReadonlyMap<string, readonly Phrase[]>;
  readonly byFirst: ReadonlyMap<string, readonly Phrase[]>;
}

const NO_TARGET_WEIGHT = 0.8;
const cache = new Map<EntityType, PhraseIndex>();

export function phraseIndex(entity: EntityType): PhraseIndex {
  const hit = cache.get(entity);
  if (hit) return hit;
  const valid = new Set(targetFields(entity).map((t) => t.name));
  const byKey = new Map<string, Phrase[]>(); const byToken = new Map<string, Phrase[]>(); const byFirst = new Map<string, Phrase[]>();
  const add = (target: string | null, text: string, weight: number) => {
    const n = normalizeName(text);
    if (!n.key) return;
    const existing = byKey.get(n.key);
    // One phrase per (key, target): keep the highest weight.
    if (existing?.some((p) => p.target === target && p.weight >= weight)) return;
    const phrase: Phrase = { target, text, tokens: n.tokens, key: n.key, compact: n.compact, weight };
    append(byKey, n.key, phrase);
    for (const t of new Set(n.tokens)) append(byToken, t, phrase);
    append(byFirst, n.compact[0] ?? '', phrase);
  };
  for (const rule of SYNONYM_RULES) {
    if (!valid.has(rule.target)) continue;
    if (rule.entities && !rule.entities.includes(entity)) continue;
    for (const p of rule.phrases) add(rule.target, p, rule.weight ?? 0.88);
  }
  for (const p of NO_TARGET_PHRASES) add(null, p, NO_TARGET_WEIGHT);
  const index: PhraseIndex = { byKey, byToken, byFirst };
  cache.set(entity, index);
  return index;
}

function append(map: Map<string, Phrase[]>, key: string, phrase: Phrase): void {
  const list = map.get(key);
  if (list) list.push(phrase); else map.set(key, [phrase]);
}
