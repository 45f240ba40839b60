/**
 * The synchronous mapping engine: scores every source field (scoring.ts), applies remembered mappings,
 * then assigns targets one-to-one, greedily by score over all (field, target) candidates — O(P log P)
 * for P candidate pairs, so 2,000 fields stay fast — and explains each result, including the fields
 * that lost a target to a better match.
 */
import { findTargetField } from '../canonical-model.js';
import { normalizeName } from './normalize.js';
import { analyseField, type Candidate, type FieldAnalysis } from './scoring.js';
import { dominantCountry, suggestTransform } from './transform-suggest.js';
import type { Alternative, MappingSuggestion, MemoryEntry, SuggestMappingsInput, SuggestMappingsResult } from './types.js';

/** Below this a target is not suggested at all: the field is offered as a custom field instead. */
export const MIN_SUGGEST_SCORE = 0.5;

interface Assignment {
  readonly target: string | null;
  readonly confidence: number;
  readonly reason: string;
  readonly fromMemory?: MemoryEntry;
}

const q = (s: string): string => `\`${s}\``;
const round = (n: number): number => Math.round(Math.max(0, Math.min(1, n)) * 100) / 100;

/** Suggest a target, confidence, reason and transform for each source field, in input order. */
export function suggestMappingsSync(input: SuggestMappingsInput): SuggestMappingsResult {
  const { entityType: entity, source, sourceFields } = input;
  const analyses = sourceFields.map((field) => analyseField(entity, source, field));
  const assigned: (Assignment | undefined)[] = new Array(analyses.length).fill(undefined);
  const owner = new Map<string, number>(); // target → field index

  // 1. Memory first: the organization's own earlier choices.
  analyses.forEach((a, i) => {
    const mem = recall(input.memory, a.field.name);
    if (!mem) return;
    if (mem.targetField !== null && !findTargetField(entity, mem.targetField)) return; // stale memory: ignore
    if (mem.targetField !== null && owner.has(mem.targetField)) return;
    if (mem.targetField !== null) owner.set(mem.targetField, i);
    assigned[i] = { target: mem.targetField, confidence: 0.99, reason: 'You mapped this before.', fromMemory: mem };
  });

  // 2. One-to-one, greedy by score. "No target" competes too and has no capacity limit.
  const pairs: { i: number; c: Candidate }[] = [];
  analyses.forEach((a, i) => {
    if (assigned[i]) return;
    for (const c of a.candidates) if (c.target === null || c.score >= MIN_SUGGEST_SCORE) pairs.push({ i, c });
  });
  pairs.sort((x, y) => y.c.score - x.c.score || (x.c.target === null ? -1 : 0) - (y.c.target === null ? -1 : 0) || x.i - y.i);
  const bumped = new Map<number, { target: string; by: number; score: number }>();
  for (const { i, c } of pairs) {
    if (assigned[i]) continue;
    if (c.target === null) { assigned[i] = { target: null, confidence: c.score, reason: `${c.reason} Keep it as a custom field or skip it.` }; continue; }
    const holder = owner.get(c.target);
    if (holder !== undefined) {
      if (!bumped.has(i)) bumped.set(i, { target: c.target, by: holder, score: c.score });
      continue;
    }
    owner.set(c.target, i);
    assigned[i] = { target: c.target, confidence: c.score, reason: c.reason };
  }

  // 3. Explain, adjust confidence for near-ties, and suggest transforms.
  const countryField = owner.get('country');
  const defaultCountry = input.defaultCountry ?? (countryField !== undefined ? dominantCountry(analyses[countryField]!.profile) : undefined);
  const mappings: MappingSuggestion[] = analyses.map((a, i) => {
    let result = assigned[i] ?? unmatched(a);
    const lost = bumped.get(i) ?? heldElsewhere(a, i, result, owner);
    if (lost) result = explainLoss(a, result, lost, analyses);
    if (result.target !== null && !result.fromMemory) result = nearTie(a, i, result, analyses);
    const suggestion: { -readonly [K in keyof MappingSuggestion]: MappingSuggestion[K] } = {
      sourceField: a.field.name,
      targetField: result.target,
      confidence: round(result.confidence),
      reason: result.reason,
    };
    if (result.target !== null) {
      const t = result.fromMemory?.transform ? { transform: result.fromMemory.transform } : suggestTransform(entity, result.target, a.profile, defaultCountry);
      if (t.transform) suggestion.transform = t.transform;
      if ('note' in t && t.note) suggestion.reason = `${suggestion.reason} ${t.note}`;
    }
    const alternatives = alternativesOf(a, result.target);
    if (alternatives.length) suggestion.alternatives = alternatives;
    return suggestion;
  });
  return { mappings };
}

function recall(memory: SuggestMappingsInput['memory'], name: string): MemoryEntry | undefined {
  if (!memory) return undefined;
  if (Object.hasOwn(memory, name)) return memory[name];
  const key = normalizeName(name).key;
  for (const [k, v] of Object.entries(memory)) if (normalizeName(k).key === key) return v;
  return undefined;
}

/** A field left without a target whose best target candidate went to another field. */
function heldElsewhere(a: FieldAnalysis, i: number, result: Assignment, owner: ReadonlyMap<string, number>): { target: string; by: number } | undefined {
  if (result.target !== null || result.fromMemory) return undefined;
  const best = a.candidates.find((c) => c.target !== null);
  if (!best || best.score < MIN_SUGGEST_SCORE) return undefined;
  const holder = owner.get(best.target!);
  return holder !== undefined && holder !== i ? { target: best.target!, by: holder } : undefined;
}

function unmatched(a: FieldAnalysis): Assignment {
  const best = a.candidates.find((c) => c.target !== null);
  if (best && best.score >= 0.3) {
    return {
      target: null,
      confidence: Math.max(0.3, Math.min(0.85, 0.9 - best.score)),
      reason: `No standard field matches ${q(a.field.name)} well (the closest, ${best.target}, scores ${best.score.toFixed(2)}). Keep it as a custom field or skip it.`,
    };
  }
  return { target: null, confidence: 0.85, reason: `No standard field matches ${q(a.field.name)}. Keep it as a custom field or skip it.` };
}

function explainLoss(a: FieldAnalysis, result: Assignment, lost: { target: string; by: number }, all: readonly FieldAnalysis[]): Assignment {
  const winner = all[lost.by]!.field.name;
  if (result.target === null) {
    return {
      target: null,
      confidence: Math.min(result.confidence, 0.7),
      reason: `${q(a.field.name)} also looks like ${lost.target}, but ${q(winner)} matched better; keep it as a custom field.`,
    };
  }
  return { ...result, reason: `${result.reason} Its best match, ${lost.target}, went to ${q(winner)}, which matched better.` };
}

/** A winner with a close rival for the same target is less sure. */
function nearTie(a: FieldAnalysis, i: number, result: Assignment, all: readonly FieldAnalysis[]): Assignment {
  let rival: { name: string; score: number } | undefined;
  all.forEach((other, j) => {
    if (j === i) return;
    const c = other.candidates.find((x) => x.target === result.target);
    if (c && c.score >= result.confidence - 0.05 && (!rival || c.score > rival.score)) rival = { name: other.field.name, score: c.score };
  });
  if (!rival) return result;
  return { ...result, confidence: result.confidence - 0.1, reason: `${result.reason} ${q(rival.name)} matches ${result.target} almost as well; check which one you want.` };
}

function alternativesOf(a: FieldAnalysis, chosen: string | null): Alternative[] {
  return a.candidates
    .filter((c) => c.target !== chosen && c.target !== null && c.score >= 0.3)
    .slice(0, 2)
    .map((c) => ({ targetField: c.target, confidence: round(c.score) }));
}
