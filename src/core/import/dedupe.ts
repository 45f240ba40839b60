/**
 * Record keys. Every stored record is unique by (organization, source, externalId). A CRM record's key is its id;
 * a CSV row's is its id column when it has one, else a key built from a dedupe rule — e-mail for contacts and
 * leads, domain (else name) for accounts, or the fields named in `options.dedupeKey` — so importing the same
 * file twice updates the records instead of duplicating them. A row whose dedupe fields are all empty gets a
 * key from a hash of its whole content: the identical row imported again still finds its record. Pure.
 */
import { createHash } from 'node:crypto';
import type { EntityType } from '../ids.js';
import type { CanonicalRecord } from './mapper.js';
import type { StoredValue } from './values.js';

/** The default dedupe rules, tried in order: the first rule whose fields are all present gives the key. */
export const DEFAULT_DEDUPE_RULES: Record<EntityType, readonly (readonly string[])[]> = {
  accounts: [['domain'], ['name']],
  contacts: [['email']],
  leads: [['email']],
  deals: [],
  activities: [],
};

const MAX_KEY_CHARS = 200;

function normalise(value: StoredValue): string {
  return String(value).normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** Stable JSON: object keys sorted, so the same content always hashes the same. */
function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`).join(',')}}`;
}

/**
 * The key of a CSV row without an id: `email:jane@acme.com`, `domain:acme.com`, `name:acme inc`,
 * `firstName+lastName:jane|doe`, or `row:<hash of the content>` when every dedupe field is empty.
 */
export function dedupeKey(entity: EntityType, record: CanonicalRecord, rules?: readonly string[]): string {
  const candidates = rules ? [rules] : DEFAULT_DEDUPE_RULES[entity];
  for (const fields of candidates) {
    const parts = fields.map((f) => record.values[f]);
    if (parts.some((p) => p === undefined || p === null || p === '')) continue;
    const text = parts.map((p) => normalise(p!)).join('|');
    const key = `${fields.join('+')}:${text}`;
    return key.length <= MAX_KEY_CHARS ? key : `${fields.join('+')}#${digest(text)}`;
  }
  const content = { ...record.values, customFields: record.customFields };
  delete (content as Record<string, unknown>).externalId;
  return `row:${digest(stable(content))}`;
}
