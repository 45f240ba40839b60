/**
 * Input validation shared by the CLI (`crm-migrate suggest-mapping`) and the HTTP routes
 * `POST /api/import-export/suggest-mapping` and `POST /api/import-export/suggest-value-mapping`.
 * Bad input becomes `AppError('VALIDATION_FAILED', message, { issues })` with a message that names the field.
 * Caps (documented in docs/mapping.md) keep the work bounded whatever a client sends.
 */
import { z } from 'zod';
import { findTargetField } from '../canonical-model.js';
import { ENTITY_TYPES, SOURCE_SYSTEMS } from '../ids.js';
import { DATE_FORMATS } from '../transforms/date.js';
import { AppError } from '../../errors.js';
import type { SuggestMappingsInput } from './types.js';
import type { ValueMappingInput } from './value-mapping.js';

/** Hard limits on a request; beyond them the request is rejected with a message saying which. */
export const MAPPING_LIMITS = {
  maxFields: 2000,
  maxSamplesPerField: 100,
  maxSampleChars: 10_000,
  maxNameChars: 500,
  maxTypeChars: 100,
  maxMemoryEntries: 5000,
  maxValues: 1000,
  maxValueChars: 1000,
} as const;

const L = MAPPING_LIMITS;
const entityType = z.enum(ENTITY_TYPES, { error: (i) => `entityType must be one of ${ENTITY_TYPES.join(', ')}${i.input !== undefined ? ` (got ${JSON.stringify(i.input)})` : ''}.` });
const crmType = z.enum(SOURCE_SYSTEMS, { error: (i) => `crmType must be one of ${SOURCE_SYSTEMS.join(', ')}${i.input !== undefined ? ` (got ${JSON.stringify(i.input)})` : ''}.` });

const sample = z.union([z.string().max(L.maxSampleChars, `A sample is longer than ${L.maxSampleChars} characters.`), z.number(), z.boolean(), z.null()], {
  error: 'A sample must be a string, number, boolean or null.',
});

export const sourceFieldSchema = z.object({
  name: z.string({ error: 'Each source field needs a name (a string).' }).trim().min(1, 'A source field name is empty.').max(L.maxNameChars, `A source field name is longer than ${L.maxNameChars} characters.`),
  label: z.string().max(L.maxNameChars, `A label is longer than ${L.maxNameChars} characters.`).optional(),
  type: z.string().max(L.maxTypeChars, `A type is longer than ${L.maxTypeChars} characters.`).optional(),
  samples: z.array(sample).max(L.maxSamplesPerField, `At most ${L.maxSamplesPerField} samples per field.`).optional(),
});

const decimal = z.enum(['.', ',']);
export const transformSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('splitFullName') }),
  z.object({ kind: z.literal('parseDate'), format: z.enum(DATE_FORMATS).optional(), output: z.enum(['date', 'timestamp']).optional() }),
  z.object({ kind: z.literal('parseNumber'), decimal: decimal.optional(), integer: z.boolean().optional() }),
  z.object({ kind: z.literal('percent'), decimal: decimal.optional(), fraction: z.boolean().optional() }),
  z.object({ kind: z.literal('phoneE164'), defaultCountry: z.string().regex(/^[A-Za-z]{2}$/).optional() }),
  z.object({ kind: z.literal('lowercaseEmail') }),
  z.object({ kind: z.literal('country') }),
  z.object({ kind: z.literal('currency') }),
  z.object({ kind: z.literal('boolean') }),
  z.object({ kind: z.literal('url') }),
  z.object({ kind: z.literal('domain') }),
  z.object({ kind: z.literal('valueMap'), values: z.record(z.string().max(L.maxValueChars), z.string().max(L.maxValueChars).nullable()) }),
]);

const memoryEntry = z.object({ targetField: z.string().max(100).nullable(), transform: transformSchema.optional() });

export const suggestMappingRequestSchema = z
  .object({
    entityType,
    crmType,
    sourceFields: z
      .array(sourceFieldSchema, { error: 'sourceFields must be an array of { name, label?, type?, samples? }.' })
      .min(1, 'sourceFields is empty: send at least one source field.')
      .max(L.maxFields, `Too many source fields: at most ${L.maxFields} per request.`),
    memory: z.record(z.string().max(L.maxNameChars), memoryEntry).optional(),
    defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'defaultCountry must be an ISO 3166-1 alpha-2 code such as US or DE.').optional(),
  })
  .superRefine((req, ctx) => {
    const seen = new Map<string, number>();
    req.sourceFields.forEach((f, i) => {
      const first = seen.get(f.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['sourceFields', i, 'name'], message: `Duplicate source field name "${f.name}" (fields ${first + 1} and ${i + 1}); names must be unique.` });
      } else seen.set(f.name, i);
    });
    if (req.memory && Object.keys(req.memory).length > L.maxMemoryEntries) {
      ctx.addIssue({ code: 'custom', path: ['memory'], message: `memory holds more than ${L.maxMemoryEntries} entries.` });
    }
  });

export type SuggestMappingRequest = z.infer<typeof suggestMappingRequestSchema>;

export const suggestValueMappingRequestSchema = z
  .object({
    entityType,
    targetField: z.string({ error: 'targetField must be a string.' }).min(1).max(100),
    values: z
      .array(z.string().max(L.maxValueChars, `A value is longer than ${L.maxValueChars} characters.`), { error: 'values must be an array of strings.' })
      .max(L.maxValues, `Too many values: at most ${L.maxValues} per request.`),
  })
  .superRefine((req, ctx) => {
    if (!findTargetField(req.entityType, req.targetField)) {
      ctx.addIssue({ code: 'custom', path: ['targetField'], message: `${req.targetField} is not a field of ${req.entityType}.` });
    }
  });

/** Turn zod issues into one AppError whose message names the first problem. */
function validationError(error: z.ZodError): AppError {
  const issues = error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0]!;
  const message = first.path && !first.message.includes(first.path.split('.')[0]!) ? `${first.path}: ${first.message}` : first.message;
  return new AppError('VALIDATION_FAILED', message, { issues });
}

/** Validate a suggest-mapping request (HTTP body or CLI input) into the engine's input. */
export function parseSuggestMappingRequest(body: unknown): SuggestMappingsInput {
  const parsed = suggestMappingRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { entityType: entity, crmType: source, sourceFields, memory, defaultCountry } = parsed.data;
  return {
    entityType: entity,
    source,
    sourceFields,
    ...(memory ? { memory } : {}),
    ...(defaultCountry ? { defaultCountry: defaultCountry.toUpperCase() } : {}),
  };
}

/** Validate a suggest-value-mapping request. */
export function parseSuggestValueMappingRequest(body: unknown): ValueMappingInput {
  const parsed = suggestValueMappingRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
