/**
 * Run options (`options` on an import request), with their defaults. Pure.
 *
 * Duplicate policies — what happens when an incoming record's key (organization, source, externalId) already
 * exists:
 *   - `overwrite` (default): the fields this mapping writes are replaced by the incoming values (blank values
 *     clear them); fields the mapping does not write are kept; custom fields are merged, incoming keys win.
 *   - `update_empty`: only fields that are empty in the stored record are filled; custom keys are added, never
 *     replaced. A match with nothing to fill counts as skipped.
 *   - `skip`: the stored record is left untouched (counted as skipped). Also skips a new key whose e-mail
 *     (contacts, leads) or domain (accounts) already belongs to a record of the organization from any source,
 *     so a CSV of people already imported from a CRM adds only the new ones.
 *   - `create`: only new keys are inserted; a stored record is never touched (counted as skipped). Unlike `skip`,
 *     no cross-source matching: the same person from another source becomes a record of that source.
 * Uniqueness makes a true duplicate (same source, same key) impossible under every policy.
 */
import { z } from 'zod';
import { findTargetField } from '../canonical-model.js';
import { ENTITY_TYPES, type EntityType } from '../ids.js';

export const DUPLICATE_POLICIES = ['overwrite', 'update_empty', 'skip', 'create'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

const dedupeFields = z.array(z.string().min(1).max(100)).min(1).max(5);

export const importOptionsSchema = z
  .object({
    duplicatePolicy: z.enum(DUPLICATE_POLICIES).optional(),
    /** Target fields whose values identify a CSV row without an id column; per entity for multi-entity runs. */
    dedupeKey: z.union([dedupeFields, z.partialRecord(z.enum(ENTITY_TYPES), dedupeFields)]).optional(),
    /** Records per committed batch (each batch is one transaction with its checkpoint). */
    batchSize: z.number().int().min(10).max(5000).optional(),
    /** ISO 3166-1 alpha-2 for phone numbers written without a country code. */
    defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'defaultCountry must be an ISO 3166-1 alpha-2 code such as US or DE.').optional(),
    /** E-mail on completion: `auto` for runs over 100,000 records (the seed's background threshold). */
    notify: z.enum(['auto', 'always', 'never']).optional(),
  })
  .strict();

export type ImportOptionsInput = z.infer<typeof importOptionsSchema>;

export interface ImportOptions {
  duplicatePolicy: DuplicatePolicy;
  dedupeKey?: Partial<Record<EntityType, string[]>>;
  batchSize: number;
  defaultCountry?: string;
  notify: 'auto' | 'always' | 'never';
}

/**
 * Records per batch when the run does not say. On PostgreSQL a 5,000-record statement costs far less per record than
 * five of 1,000 (bench/import.bench.ts: about 17,000 → 22,700 CSV rows/s); PGlite runs in the worker's own thread,
 * where a smaller batch keeps HTTP requests, heartbeats and cancellations answered between batches.
 */
export const DEFAULT_BATCH_SIZE = { postgres: 5000, pglite: 1000 } as const;

/** Apply defaults and spread a one-entity dedupe key onto that entity. */
export function resolveOptions(input: ImportOptionsInput | undefined, entities: readonly EntityType[], driver: keyof typeof DEFAULT_BATCH_SIZE = 'pglite'): ImportOptions {
  const o = input ?? {};
  let dedupeKey: Partial<Record<EntityType, string[]>> | undefined;
  if (Array.isArray(o.dedupeKey)) dedupeKey = Object.fromEntries(entities.map((e) => [e, o.dedupeKey as string[]]));
  else if (o.dedupeKey) dedupeKey = o.dedupeKey as Partial<Record<EntityType, string[]>>;
  return {
    duplicatePolicy: o.duplicatePolicy ?? 'overwrite',
    ...(dedupeKey ? { dedupeKey } : {}),
    batchSize: o.batchSize ?? DEFAULT_BATCH_SIZE[driver],
    ...(o.defaultCountry ? { defaultCountry: o.defaultCountry.toUpperCase() } : {}),
    notify: o.notify ?? 'auto',
  };
}

/** Problems with a dedupe key: fields that are not targets of the entity. */
export function dedupeKeyProblems(options: ImportOptions): string[] {
  const out: string[] = [];
  for (const [entity, fields] of Object.entries(options.dedupeKey ?? {})) {
    for (const f of fields ?? []) {
      if (!findTargetField(entity as EntityType, f) || f === 'externalId') out.push(`options.dedupeKey: "${f}" is not a field of ${entity} that can identify a record.`);
    }
  }
  return out;
}
