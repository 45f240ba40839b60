/**
 * Scores the mapping engine on the labelled cases in this folder: dev.json (used while tuning) and
 * heldout.json (only scored, never tuned on). Each case is one source field run through the engine alone.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENTITY_TYPES, SOURCE_SYSTEMS, type EntityType, type SourceSystem } from '../../src/core/ids.js';
import { suggestMappingsSync } from '../../src/core/mapping/engine.js';
import type { SourceField } from '../../src/core/mapping/types.js';

export const SPLITS = ['dev', 'heldout'] as const;
export type Split = (typeof SPLITS)[number];

export interface EvalCase {
  readonly entityType: EntityType;
  readonly source: SourceSystem;
  readonly field: SourceField;
  readonly expected: string | null;
}

export interface EvalFailure {
  readonly case: EvalCase;
  readonly got: string | null;
  readonly confidence: number;
  readonly reason: string;
}

export interface EvalReport {
  readonly total: number;
  readonly correct: number;
  readonly accuracy: number;
  readonly bySource: Record<string, { total: number; correct: number; accuracy: number }>;
  readonly failures: EvalFailure[];
  /** Wrong suggestions made with confidence ≥ 0.9: the ones that would corrupt data silently. */
  readonly confidentWrong: EvalFailure[];
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadCases(split: Split): EvalCase[] {
  const cases = JSON.parse(readFileSync(join(here, `${split}.json`), 'utf8')) as EvalCase[];
  cases.forEach((c, i) => {
    if (!ENTITY_TYPES.includes(c.entityType) || !SOURCE_SYSTEMS.includes(c.source) || typeof c.field?.name !== 'string' || c.expected === undefined) {
      throw new Error(`${split}.json case ${i} is malformed: ${JSON.stringify(c)}`);
    }
  });
  return cases;
}

export function evaluate(cases: readonly EvalCase[]): EvalReport {
  const bySource: Record<string, { total: number; correct: number; accuracy: number }> = {};
  const failures: EvalFailure[] = [];
  let correct = 0;
  for (const c of cases) {
    const [m] = suggestMappingsSync({ entityType: c.entityType, source: c.source, sourceFields: [c.field] }).mappings;
    const s = (bySource[c.source] ??= { total: 0, correct: 0, accuracy: 0 });
    s.total += 1;
    if (m!.targetField === c.expected) { correct += 1; s.correct += 1; }
    else failures.push({ case: c, got: m!.targetField, confidence: m!.confidence, reason: m!.reason });
  }
  for (const s of Object.values(bySource)) s.accuracy = s.correct / s.total;
  return {
    total: cases.length,
    correct,
    accuracy: cases.length ? correct / cases.length : 0,
    bySource,
    failures,
    confidentWrong: failures.filter((f) => f.confidence >= 0.9),
  };
}
