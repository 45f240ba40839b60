/**
 * Field mappings as the import accepts them, and their validation at submit time. A mapping is
 * `{ sourceField, targetField | null, transform?, keepAsCustom? }`; the suggestions `suggestMappings` returns
 * (with confidence, reason, alternatives) are accepted as they are — the extra keys are ignored.
 * `validateMappings` names every problem (unknown target, two fields onto one target, a required target
 * unmapped …) so the API can answer 400 before a run starts. Pure.
 */
import { z } from 'zod';
import { findTargetField, requiredTargets } from '../canonical-model.js';
import { ENTITY_TYPES, type EntityType } from '../ids.js';
import { transformSchema } from '../mapping/schema.js';
import type { Transform } from '../transforms/index.js';

/** One field mapping (unknown keys, e.g. a suggestion's `confidence`, are dropped). */
export const fieldMappingSchema = z.object({
  sourceField: z.string({ error: 'sourceField must be a string.' }).trim().min(1, 'sourceField is empty.').max(500),
  targetField: z.string().trim().min(1).max(100).nullable().optional(),
  transform: transformSchema.nullable().optional(),
  keepAsCustom: z.boolean().optional(),
});

export const fieldMappingListSchema = z.array(fieldMappingSchema).max(2000, 'At most 2,000 field mappings per entity.');

/** Either one list (one entity) or a list per entity (`entityType: 'all'`). */
export const fieldMappingsSchema = z.union([fieldMappingListSchema, z.partialRecord(z.enum(ENTITY_TYPES), fieldMappingListSchema)]);

export type FieldMappingInput = z.input<typeof fieldMappingSchema>;

/** A mapping after validation. */
export interface FieldMapping {
  readonly sourceField: string;
  readonly targetField: string | null;
  readonly transform?: Transform;
  readonly keepAsCustom: boolean;
}

export type MappingProblemCode =
  | 'UNKNOWN_TARGET'
  | 'DUPLICATE_TARGET'
  | 'DUPLICATE_SOURCE'
  | 'REQUIRED_UNMAPPED'
  | 'UNKNOWN_SOURCE_FIELD'
  | 'TRANSFORM_NOT_APPLICABLE'
  | 'NO_MAPPINGS'
  | 'ENTITY_NOT_MAPPED'
  | 'UNEXPECTED_ENTITY';

export interface MappingProblem {
  readonly entityType: EntityType;
  readonly code: MappingProblemCode;
  readonly message: string;
  readonly sourceField?: string;
  readonly targetField?: string;
}

export interface ValidateOptions {
  /** The source's field names (CSV headers) when known: a mapping naming another field is refused. */
  readonly sourceFields?: readonly string[];
  /**
   * Targets the source fills by itself, so they need no mapping (an API run takes the activity type, owner,
   * dates, links and id from the CRM record).
   */
  readonly implicitTargets?: ReadonlySet<string>;
}

/** Targets an API run fills from the CRM record itself (SourceRecord), unless the user maps them. */
export const API_IMPLICIT_TARGETS: ReadonlySet<string> = new Set([
  'externalId', 'owner', 'sourceCreatedAt', 'sourceUpdatedAt', 'accountExternalId', 'contactExternalId', 'dealExternalId', 'type',
]);

const NAME_TARGETS = new Set(['fullName', 'firstName', 'lastName']);

/** Validate and normalise one entity's mappings; problems are returned, never thrown. */
export function validateMappings(
  entity: EntityType,
  input: readonly FieldMappingInput[],
  options: ValidateOptions = {},
): { mappings: FieldMapping[]; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const mappings: FieldMapping[] = [];
  const bySource = new Set<string>();
  const byTarget = new Map<string, string>();
  const known = options.sourceFields ? new Set(options.sourceFields) : undefined;
  const add = (p: Omit<MappingProblem, 'entityType'>) => problems.push({ entityType: entity, ...p });

  for (const raw of input) {
    const m = fieldMappingSchema.parse(raw);
    const target = m.targetField ?? null;
    if (bySource.has(m.sourceField)) {
      add({ code: 'DUPLICATE_SOURCE', sourceField: m.sourceField, message: `${entity}: the source field "${m.sourceField}" is mapped more than once.` });
      continue;
    }
    bySource.add(m.sourceField);
    if (known && !known.has(m.sourceField)) {
      add({ code: 'UNKNOWN_SOURCE_FIELD', sourceField: m.sourceField, message: `${entity}: the file has no column "${m.sourceField}".` });
      continue;
    }
    if (target !== null) {
      const field = findTargetField(entity, target);
      if (!field) {
        add({ code: 'UNKNOWN_TARGET', sourceField: m.sourceField, targetField: target, message: `${entity}: "${target}" (for "${m.sourceField}") is not a field of ${entity}.` });
        continue;
      }
      const holder = byTarget.get(target);
      if (holder !== undefined) {
        add({
          code: 'DUPLICATE_TARGET',
          sourceField: m.sourceField,
          targetField: target,
          message: `${entity}: "${holder}" and "${m.sourceField}" are both mapped onto ${target}; map one field onto each target.`,
        });
        continue;
      }
      byTarget.set(target, m.sourceField);
      if (m.transform?.kind === 'splitFullName' && !NAME_TARGETS.has(target)) {
        add({ code: 'TRANSFORM_NOT_APPLICABLE', sourceField: m.sourceField, targetField: target, message: `${entity}: splitting a full name only applies to fullName, firstName or lastName, not ${target}.` });
        continue;
      }
    }
    mappings.push({
      sourceField: m.sourceField,
      targetField: target,
      ...(m.transform ? { transform: m.transform } : {}),
      keepAsCustom: target === null ? (m.keepAsCustom ?? false) : false,
    });
  }

  const mapped = new Set(byTarget.keys());
  // A full name split fills first and last name.
  const splits = mappings.some((m) => m.transform?.kind === 'splitFullName' || m.targetField === 'fullName');
  for (const field of requiredTargets(entity)) {
    if (mapped.has(field.name) || options.implicitTargets?.has(field.name)) continue;
    if (field.requiredUnless && (mapped.has(field.requiredUnless) || (field.name === 'lastName' && splits))) continue;
    add({
      code: 'REQUIRED_UNMAPPED',
      targetField: field.name,
      message: `${entity}: ${field.name} is required; map a source field onto it${field.requiredUnless ? ` (or onto ${field.requiredUnless})` : ''}.`,
    });
  }
  if (mappings.length === 0 && problems.length === 0) add({ code: 'NO_MAPPINGS', message: `${entity}: no field is mapped.` });
  return { mappings, problems };
}

/** The entities a request imports, each with its validated mappings, in dependency order. */
export function validateRunMappings(
  entityType: EntityType | 'all',
  fieldMappings: z.infer<typeof fieldMappingsSchema>,
  options: ValidateOptions = {},
): { entities: Array<{ entity: EntityType; mappings: FieldMapping[] }>; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const entities: Array<{ entity: EntityType; mappings: FieldMapping[] }> = [];
  if (Array.isArray(fieldMappings)) {
    if (entityType === 'all') {
      problems.push({
        entityType: 'accounts',
        code: 'ENTITY_NOT_MAPPED',
        message: 'entityType "all" needs fieldMappings per entity: { "accounts": [...], "contacts": [...], ... }.',
      });
      return { entities, problems };
    }
    const r = validateMappings(entityType, fieldMappings, options);
    return { entities: [{ entity: entityType, mappings: r.mappings }], problems: r.problems };
  }
  const wanted = entityType === 'all' ? ENTITY_TYPES : [entityType];
  for (const key of Object.keys(fieldMappings)) {
    if (!(wanted as readonly string[]).includes(key)) {
      problems.push({ entityType: key as EntityType, code: 'UNEXPECTED_ENTITY', message: `fieldMappings has "${key}", but this import is of ${entityType}.` });
    }
  }
  for (const entity of wanted) {
    const list = fieldMappings[entity];
    if (!list) continue;
    const r = validateMappings(entity, list, options);
    problems.push(...r.problems);
    entities.push({ entity, mappings: r.mappings });
  }
  if (entities.length === 0) {
    problems.push({ entityType: entityType === 'all' ? 'accounts' : entityType, code: 'ENTITY_NOT_MAPPED', message: `fieldMappings maps no entity of ${entityType}.` });
  }
  return { entities, problems };
}
