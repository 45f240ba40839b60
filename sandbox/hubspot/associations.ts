/**
 * Associations as HubSpot represents them: not fields but links, read with `associations=` on object reads (v3 shape
 * `{companies: {results: [{id, type: "contact_to_company"}]}}`) or the v4 batch API (`toObjectId` + typeIds).
 * A primary company shows up twice in v3 (`contact_to_company` and `contact_to_company_unlabeled`), as it does in
 * the real API, so clients must de-duplicate. Served directions: child → parent (contact → company, deal → company
 * and contact, engagement → company/contact/deal). Parent → children (company → contacts …) is not simulated.
 * Default association type ids: https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4
 */
import type { WorldActivity, WorldContact, WorldDeal, WorldRecordBase } from '../common/index.js';
import { recordId, type ObjectType } from './objects.js';

type Target = 'companies' | 'contacts' | 'deals';

/** v4 typeIds: [primary, unlabeled] for company links, [default] otherwise. */
const TYPE_IDS: Record<string, Partial<Record<Target, readonly number[]>>> = {
  contacts: { companies: [1, 279] },
  deals: { companies: [5, 341], contacts: [3] },
  notes: { contacts: [202], companies: [190], deals: [214] },
  calls: { contacts: [194], companies: [182], deals: [206] },
  emails: { contacts: [198], companies: [186], deals: [210] },
  meetings: { contacts: [200], companies: [188], deals: [212] },
  tasks: { contacts: [204], companies: [192], deals: [216] },
};

/** The parent record ids a record links to, per target object. */
export function linksOf(t: ObjectType, r: WorldRecordBase): Partial<Record<Target, string>> {
  const out: Partial<Record<Target, string>> = {};
  const set = (k: Target, index: number | null) => {
    if (index !== null) out[k] = recordId(index);
  };
  if (t.name === 'contacts') set('companies', (r as WorldContact).accountIndex);
  else if (t.name === 'deals') {
    set('companies', (r as WorldDeal).accountIndex);
    set('contacts', (r as WorldDeal).contactIndex);
  } else if (t.activityType) {
    const a = r as WorldActivity;
    set('contacts', a.contactIndex);
    set('companies', a.accountIndex);
    set('deals', a.dealIndex);
  }
  return out;
}

const singularOf: Record<Target, string> = { companies: 'company', contacts: 'contact', deals: 'deal' };

/** The v3 `associations` object of a record for the requested targets (absent keys when there is no link). */
export function v3Associations(t: ObjectType, r: WorldRecordBase, targets: readonly string[]): Record<string, { results: { id: string; type: string }[] }> | undefined {
  if (targets.length === 0) return undefined;
  const links = linksOf(t, r);
  let out: Record<string, { results: { id: string; type: string }[] }> | undefined;
  for (const target of targets as Target[]) {
    const id = links[target];
    if (id === undefined) continue;
    const name = `${t.singular}_to_${singularOf[target]}`;
    const results = [{ id, type: name }];
    if ((TYPE_IDS[t.name]?.[target]?.length ?? 0) > 1) results.push({ id, type: `${name}_unlabeled` });
    (out ??= {})[target] = { results };
  }
  return out;
}

/** The v4 batch-read `to` list of one record towards `target`. */
export function v4Associations(t: ObjectType, r: WorldRecordBase, target: string): { toObjectId: number; associationTypes: { category: string; typeId: number; label: string | null }[] }[] {
  const id = linksOf(t, r)[target as Target];
  const typeIds = TYPE_IDS[t.name]?.[target as Target];
  if (id === undefined || !typeIds) return [];
  return [{
    toObjectId: Number(id),
    associationTypes: typeIds.map((typeId, k) => ({ category: 'HUBSPOT_DEFINED', typeId, label: typeIds.length > 1 && k === 0 ? 'Primary' : null })),
  }];
}
