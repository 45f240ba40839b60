/**
 * Which CRM exported a file, from its headers (and a few values). Every header the field catalogues list for a
 * CRM's exports (src/crm/<id>/field-catalogue.ts: export headers, labels, and API names of the shape Data Loader
 * and API tools write) is a vote for that CRM, weighted by how many CRMs share it: `Record ID` alone says
 * HubSpot or Zoho, `Contact owner` says HubSpot, `Person - Name` says Pipedrive. A few patterns add votes
 * (`<Object> - <Field>` for Pipedrive, `Account.Name` and `__c` for Salesforce, `.id` lookups for Zoho,
 * `Associated …` for HubSpot, `Subitems` and group structure for monday.com, Salesforce record ids in values and
 * Salesforce's report footer).
 * The winner needs a score of at least 2, a header no other CRM claims, and a clear margin (1.5× and +1) over
 * the runner-up. Otherwise the file is a generic spreadsheet (`csv`) when some headers are familiar CRM fields
 * in any language the mapping engine knows, and unrecognised (null) when none is.
 */
import { FIELD_CATALOGUES } from '../../core/mapping/catalogues.js';
import { normalizeName } from '../../core/mapping/normalize.js';
import { NO_TARGET_PHRASES, SYNONYM_RULES } from '../../core/mapping/synonyms.js';
import { CRM_IDS, CRM_NAMES, ENTITY_TYPES, SOURCE_SYSTEMS, type CrmId, type SourceSystem } from '../../core/ids.js';

export interface SourceDetection {
  readonly source: SourceSystem | null;
  readonly reason: string;
}

/** What the reader saw besides headers: sample rows and the file's shape. */
export interface DetectionContext {
  readonly sample: ReadonlyArray<Record<string, string>>;
  /** Title lines above the header, header repetitions and group titles (monday.com's group layout). */
  readonly titleLines: number;
  readonly repeatedHeaders: number;
  /** Lines of a Salesforce report footer skipped at the end. */
  readonly footerLines?: number;
}

// Headers of each CRM's exports that no catalogue lists (they name no field).
const EXTRA_HEADERS: Partial<Record<CrmId, readonly string[]>> = {
  monday: ['Subitems', 'Item ID', 'Person', 'Status', 'Timeline', 'Date', 'Text', 'Numbers', 'Files', 'Tags', 'Board', 'Group'],
  hubspot: ['Associated Company', 'Associated Deal', 'Associated Contact', 'Associated Note', 'Associated Ticket'],
};

/** An API name is export evidence only when it cannot be an ordinary word (`FirstName`, `First_Name`, `hs_object_id`, `Account.Name`). */
function apiNameCounts(name: string): boolean {
  return /[_.]/.test(name) || /^[A-Za-z][a-z0-9]*[A-Z]/.test(name) || (/^[a-z]+$/.test(name) && name.length >= 8);
}

interface Vocab {
  readonly exact: Map<string, Set<CrmId>>;
  readonly lower: Map<string, Set<CrmId>>;
}

let vocabCache: Vocab | undefined;
let familiarCache: Set<string> | undefined;

function vocab(): Vocab {
  if (vocabCache) return vocabCache;
  const exact = new Map<string, Set<CrmId>>();
  const lower = new Map<string, Set<CrmId>>();
  const add = (text: string, crm: CrmId): void => {
    const t = text.trim();
    if (!t) return;
    for (const [map, key] of [[exact, t], [lower, t.toLowerCase()]] as const) {
      const set = map.get(key);
      if (set) set.add(crm);
      else map.set(key, new Set([crm]));
    }
  };
  for (const crm of CRM_IDS) {
    for (const entity of ENTITY_TYPES) {
      for (const field of FIELD_CATALOGUES[crm][entity] ?? []) {
        if (field.byType) continue;
        for (const h of field.headers ?? []) add(h, crm);
        if (field.label) add(field.label, crm);
        if (crm !== 'monday' && crm !== 'pipedrive' && apiNameCounts(field.name)) add(field.name, crm);
      }
    }
    for (const h of EXTRA_HEADERS[crm] ?? []) add(h, crm);
  }
  vocabCache = { exact, lower };
  return vocabCache;
}

/** Normalised names of every field anyone might have in a CRM-ish sheet, in the languages the mapping engine reads. */
function familiar(): Set<string> {
  if (familiarCache) return familiarCache;
  const keys = new Set<string>();
  const add = (t: string): void => {
    const key = normalizeName(t).key;
    if (key) keys.add(key);
  };
  for (const rule of SYNONYM_RULES) for (const p of rule.phrases) add(p);
  for (const p of NO_TARGET_PHRASES) add(p);
  for (const source of SOURCE_SYSTEMS) {
    for (const entity of ENTITY_TYPES) {
      for (const field of FIELD_CATALOGUES[source][entity] ?? []) {
        if (field.byType) continue;
        if (field.label) add(field.label);
        for (const h of field.headers ?? []) add(h);
      }
    }
  }
  familiarCache = keys;
  return keys;
}

const PATTERNS: ReadonlyArray<{ crm: CrmId; re: RegExp; what: string }> = [
  { crm: 'pipedrive', re: /^(Person|Organization|Deal|Activity|Lead|Note|Product|Project) - \S/, what: '"<Object> - <Field>" columns' },
  { crm: 'salesforce', re: /^[A-Z][A-Za-z0-9]*(__r)?\.[A-Z][A-Za-z0-9_]*$/, what: 'relationship columns like Account.Name' },
  { crm: 'salesforce', re: /__c$/, what: 'custom-field columns ending in __c' },
  { crm: 'zoho', re: /^[A-Z][\w ]*\.id$/, what: 'lookup id columns like "Account Name.id"' },
  { crm: 'hubspot', re: /^Associated (Company|Contact|Deal|Note|Ticket|Call|Email|Meeting|Task)( IDs?)?$/, what: '"Associated …" columns' },
];

// Salesforce ids: 15 or 18 characters starting with a key prefix of the objects we import.
const SF_ID = /^(001|003|005|006|00Q|00T|00U|00D|00G|00k|701)[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

interface Tally {
  score: number;
  distinct: string[];
  shared: string[];
  notes: string[];
}

/** Decide which CRM's export this is (see the module comment). */
export function detectSource(headers: readonly string[], context: DetectionContext): SourceDetection {
  const { exact, lower } = vocab();
  const tally = new Map<CrmId, Tally>(CRM_IDS.map((c) => [c, { score: 0, distinct: [], shared: [], notes: [] }]));
  const t = (crm: CrmId): Tally => tally.get(crm)!;

  for (const header of headers) {
    const owners = exact.get(header) ?? lower.get(header.toLowerCase());
    const patternOwners = new Set(PATTERNS.filter((p) => p.re.test(header)).map((p) => p.crm));
    const all = new Set<CrmId>([...(owners ?? []), ...patternOwners]);
    if (all.size === 0) continue;
    for (const crm of all) {
      t(crm).score += 1 / all.size;
      (all.size === 1 ? t(crm).distinct : t(crm).shared).push(header);
    }
  }
  for (const p of PATTERNS) {
    const n = headers.filter((h) => p.re.test(h)).length;
    if (n > 0) t(p.crm).notes.push(`${n} ${p.what}`);
  }
  // Values: Salesforce record ids in a column.
  const sfIdColumns = headers.filter((h) => {
    const values = context.sample.map((r) => r[h] ?? '').filter((v) => v !== '');
    return values.length > 0 && values.filter((v) => SF_ID.test(v)).length / values.length >= 0.5;
  });
  if (sfIdColumns.length > 0) {
    t('salesforce').score += 2;
    t('salesforce').notes.push(`Salesforce record ids in ${sfIdColumns.slice(0, 3).map((h) => `"${h}"`).join(', ')}`);
  }
  if ((context.footerLines ?? 0) > 0) {
    t('salesforce').score += 2;
    t('salesforce').notes.push('a Salesforce report footer');
  }
  // monday.com: `Name` first, and a board's layout (title line, one header per group).
  if (headers[0] === 'Name' && (context.titleLines > 0 || context.repeatedHeaders > 0 || headers.includes('Subitems'))) {
    t('monday').score += 2;
    t('monday').notes.push('a board layout ("Name" first' + (context.titleLines > 0 ? ', a title line' : '') + (context.repeatedHeaders > 0 ? ', a header per group' : '') + ')');
  }

  const ranked = [...tally.entries()].sort((a, b) => b[1].score - a[1].score);
  const [bestId, best] = ranked[0]!;
  const [secondId, second] = ranked[1]!;
  const clear = best.score >= 2 && best.score >= second.score * 1.5 && best.score - second.score >= 1;
  if (clear && (best.distinct.length > 0 || best.notes.length > 0)) {
    const matched = best.distinct.length + best.shared.length;
    const examples = [...best.distinct, ...best.shared].slice(0, 4).map((h) => `"${h}"`).join(', ');
    const notes = best.notes.length > 0 ? `; ${best.notes.join('; ')}` : '';
    return {
      source: bestId,
      reason: `${CRM_NAMES[bestId]} export: ${matched} of ${headers.length} headers are ${CRM_NAMES[bestId]}'s export columns (${examples}${matched > 4 ? ', …' : ''})${notes}.`,
    };
  }

  const keys = familiar();
  const known = headers.filter((h) => keys.has(normalizeName(h).key));
  const near = best.score >= 2 ? ` (it resembles ${CRM_NAMES[bestId]}${second.score >= 1 ? ` and ${CRM_NAMES[secondId]}` : ''} exports, without a clear winner)` : '';
  if (known.length >= 2 || (known.length >= 1 && headers.length <= 2)) {
    const examples = known.slice(0, 4).map((h) => `"${h}"`).join(', ');
    return {
      source: 'csv',
      reason: `A spreadsheet not exported by a known CRM${near}: ${known.length} of ${headers.length} headers are familiar CRM fields (${examples}${known.length > 4 ? ', …' : ''}).`,
    };
  }
  return {
    source: null,
    reason: `No header is a known CRM export column or a familiar CRM field (${headers.slice(0, 4).map((h) => `"${h}"`).join(', ')}${headers.length > 4 ? ', …' : ''}); the columns can still be mapped by hand.`,
  };
}
