/**
 * The registry of field catalogues, one per source system, and the lookup index built from them.
 * Every catalogue target is checked against the canonical model when this module loads: a typo in a
 * catalogue fails loudly at start-up instead of silently never matching.
 */
import { targetFields } from '../canonical-model.js';
import { ENTITY_TYPES, SOURCE_SYSTEMS, type EntityType, type SourceSystem } from '../ids.js';
import { csvFieldCatalogue } from '../../crm/csv-catalogue.js';
import { hubspotFieldCatalogue } from '../../crm/hubspot/field-catalogue.js';
import { mondayFieldCatalogue } from '../../crm/monday/field-catalogue.js';
import { pipedriveFieldCatalogue } from '../../crm/pipedrive/field-catalogue.js';
import { salesforceFieldCatalogue } from '../../crm/salesforce/field-catalogue.js';
import { zohoFieldCatalogue } from '../../crm/zoho/field-catalogue.js';
import type { CatalogueField, FieldCatalogue } from './catalogue.js';
import { normalizeName, rawTokens, registerVocabulary } from './normalize.js';
import { NO_TARGET_PHRASES, SYNONYM_RULES } from './synonyms.js';

/** Every source system's catalogue. The compiler reports a source system without one. */
export const FIELD_CATALOGUES = {
  salesforce: salesforceFieldCatalogue,
  hubspot: hubspotFieldCatalogue,
  pipedrive: pipedriveFieldCatalogue,
  zoho: zohoFieldCatalogue,
  monday: mondayFieldCatalogue,
  csv: csvFieldCatalogue,
} satisfies Record<SourceSystem, FieldCatalogue>;

export interface CatalogueHit {
  readonly source: SourceSystem;
  readonly field: CatalogueField;
  /** What matched: the API name exactly, or the normalised name, label or an export header. */
  readonly via: 'apiName' | 'name' | 'label' | 'header' | 'type';
  readonly text: string;
}

interface EntityIndex {
  readonly exact: Map<string, CatalogueHit[]>;
  readonly byKey: Map<string, CatalogueHit[]>;
  readonly byType: Map<string, CatalogueHit[]>;
}

// The compound splitter needs the vocabulary before anything is normalised.
registerVocabulary(
  [...SYNONYM_RULES.flatMap((r) => r.phrases), ...NO_TARGET_PHRASES, 'of', 'and', 'to', 'by', 'on', 'at', 'name', 'date', 'time', 'count']
    .flatMap((p) => rawTokens(p)),
);

const index = new Map<string, EntityIndex>();
for (const source of SOURCE_SYSTEMS) {
  const catalogue: FieldCatalogue = FIELD_CATALOGUES[source];
  for (const entity of ENTITY_TYPES) {
    const valid = new Set(targetFields(entity).map((t) => t.name));
    const entry: EntityIndex = { exact: new Map(), byKey: new Map(), byType: new Map() };
    for (const field of catalogue[entity] ?? []) {
      if (field.target !== null && !valid.has(field.target)) {
        throw new Error(`Field catalogue ${source}.${entity}: "${field.name}" points at "${field.target}", which ${entity} does not have.`);
      }
      if (field.confidence !== undefined && (field.confidence <= 0 || field.confidence > 1)) {
        throw new Error(`Field catalogue ${source}.${entity}: "${field.name}" has confidence ${field.confidence}; use (0, 1].`);
      }
      if (field.byType) {
        push(entry.byType, field.name.toLowerCase(), { source, field, via: 'type', text: field.name });
        continue;
      }
      push(entry.exact, field.name, { source, field, via: 'apiName', text: field.name });
      push(entry.byKey, normalizeName(field.name).key, { source, field, via: 'name', text: field.name });
      if (field.label) push(entry.byKey, normalizeName(field.label).key, { source, field, via: 'label', text: field.label });
      for (const header of field.headers ?? []) {
        push(entry.exact, header, { source, field, via: 'header', text: header });
        push(entry.byKey, normalizeName(header).key, { source, field, via: 'header', text: header });
      }
    }
    index.set(`${source}/${entity}`, entry);
  }
}

function push(map: Map<string, CatalogueHit[]>, key: string, hit: CatalogueHit): void {
  if (!key) return;
  const list = map.get(key);
  if (!list) map.set(key, [hit]);
  else if (!list.some((h) => h.field === hit.field)) list.push(hit);
}

/** Catalogue entries of one source and entity matching a field's exact name (API name or export header). */
export function catalogueExact(source: SourceSystem, entity: EntityType, name: string): readonly CatalogueHit[] {
  return index.get(`${source}/${entity}`)?.exact.get(name) ?? [];
}

/** Catalogue entries matching a normalised key (name, label or header). */
export function catalogueByKey(source: SourceSystem, entity: EntityType, key: string): readonly CatalogueHit[] {
  return index.get(`${source}/${entity}`)?.byKey.get(key) ?? [];
}

/** Catalogue entries that match a source type whatever the field is called (monday column types). */
export function catalogueByType(source: SourceSystem, entity: EntityType, type: string): readonly CatalogueHit[] {
  return index.get(`${source}/${entity}`)?.byType.get(type.toLowerCase()) ?? [];
}
