/**
 * Picklist value mapping: source values → the target field's values. Deal stages map to the canonical
 * deal `status` (open/won/lost) and to a readable `stage`; activity types (Salesforce subtypes, HubSpot
 * object types, Pipedrive types, Zoho modules) to note/task/call/meeting/email; currencies and
 * countries to their ISO codes. Every suggestion says how sure it is and why.
 */
import { ACTIVITY_TYPES, DEAL_STATUSES, findTargetField } from '../canonical-model.js';
import type { EntityType } from '../ids.js';
import { parseBoolean } from '../transforms/boolean.js';
import { countryCode } from '../transforms/country.js';
import { normaliseCurrency } from '../transforms/currency.js';
import { valueKey } from '../transforms/value-map.js';
import { ACTIVITY_TYPE_VALUES, DEAL_STAGES } from './vocab.js';
import { AppError } from '../../errors.js';

export interface ValueMappingInput {
  readonly entityType: EntityType;
  readonly targetField: string;
  readonly values: readonly string[];
}

export interface ValueMappingSuggestion {
  readonly sourceValue: string;
  /** null = no value to set (the record keeps the field empty, or the user picks one). */
  readonly targetValue: string | null;
  readonly confidence: number;
  readonly reason: string;
}

export interface ValueMappingResult {
  readonly mappings: ValueMappingSuggestion[];
}

/** Suggest how each distinct source value maps to the target field's values. */
export function suggestValueMapping(input: ValueMappingInput): ValueMappingResult {
  const def = findTargetField(input.entityType, input.targetField);
  if (!def) {
    throw new AppError('VALIDATION_FAILED', `${input.targetField} is not a field of ${input.entityType}.`, { field: 'targetField' });
  }
  const distinct = [...new Set(input.values.map((v) => String(v).trim()).filter((v) => v !== ''))];
  const one = pick(input.entityType, input.targetField);
  return { mappings: distinct.map((v) => ({ sourceValue: v, ...one(v) })) };
}

type Suggest = (value: string) => Omit<ValueMappingSuggestion, 'sourceValue'>;

function pick(entity: EntityType, target: string): Suggest {
  if (entity === 'deals' && target === 'status') return dealStatus;
  if (entity === 'deals' && target === 'stage') return dealStage;
  if (entity === 'activities' && target === 'type') return activityType;
  if (entity === 'activities' && target === 'status') return activityStatus;
  if (target === 'currency') return currency;
  if (target === 'country') return country;
  return (v) => ({ targetValue: v, confidence: 0.9, reason: `${target} takes free text; kept as it is.` });
}

const WON_WORDS = /\b(won|win|gewonnen|gagne|ganado|ganho|vinto|gewonnen|signed)\b/;
const LOST_WORDS = /\b(lost|loss|verloren|perdu|perdido|perso|dead|cancel+ed)\b/;

function dealStatus(v: string): Omit<ValueMappingSuggestion, 'sourceValue'> {
  const key = valueKey(v);
  if ((DEAL_STATUSES as readonly string[]).includes(key)) return { targetValue: key, confidence: 1, reason: `"${v}" is already a deal status.` };
  if (key === 'deleted') return { targetValue: null, confidence: 0.8, reason: 'Deleted deals have no status; skip them or choose one.' };
  const stage = DEAL_STAGES[key];
  if (stage) {
    return stage.status === 'open'
      ? { targetValue: 'open', confidence: 0.85, reason: `"${v}" is an open stage (${stage.label}), so the deal is open.` }
      : { targetValue: stage.status, confidence: 0.95, reason: `"${v}" is the ${stage.label} stage, so the deal is ${stage.status}.` };
  }
  const words = v.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/[_-]+/g, ' ');
  const bool = parseBoolean(v);
  if (WON_WORDS.test(words) && !LOST_WORDS.test(words)) return { targetValue: 'won', confidence: 0.75, reason: `"${v}" names a won outcome.` };
  if (LOST_WORDS.test(words) && !WON_WORDS.test(words)) return { targetValue: 'lost', confidence: 0.75, reason: `"${v}" names a lost outcome.` };
  if (bool.ok && bool.value !== null) {
    return { targetValue: null, confidence: 0.3, reason: `"${v}" is yes/no; whether that means won or closed is not clear. Choose a status.` };
  }
  if (/\bclosed?\b/.test(words)) return { targetValue: null, confidence: 0.3, reason: `"${v}" is closed, but not said to be won or lost. Choose a status.` };
  return { targetValue: 'open', confidence: 0.55, reason: `"${v}" is not a known closed stage, so the deal is assumed open.` };
}

function dealStage(v: string): Omit<ValueMappingSuggestion, 'sourceValue'> {
  const stage = DEAL_STAGES[valueKey(v)];
  if (stage) return { targetValue: stage.label, confidence: 0.95, reason: `"${v}" is the standard stage ${stage.label}.` };
  if (/^\d+$/.test(v)) return { targetValue: v, confidence: 0.4, reason: `"${v}" is a stage id; the stage's name comes from the source pipeline.` };
  const readable = humanize(v);
  return readable === v
    ? { targetValue: v, confidence: 0.9, reason: `"${v}" is kept as the stage name.` }
    : { targetValue: readable, confidence: 0.7, reason: `"${v}" written as a readable stage name.` };
}

function activityType(v: string): Omit<ValueMappingSuggestion, 'sourceValue'> {
  const key = valueKey(v);
  const exact = ACTIVITY_TYPE_VALUES[key];
  if (exact) return { targetValue: exact, confidence: (ACTIVITY_TYPES as readonly string[]).includes(key) ? 1 : 0.92, reason: `"${v}" is a ${exact}.` };
  const words = v.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').split(/[^a-z]+/).filter(Boolean);
  for (const w of words) {
    const t = ACTIVITY_TYPE_VALUES[valueKey(w)];
    if (t) return { targetValue: t, confidence: 0.75, reason: `"${v}" mentions ${w}, so it is a ${t}.` };
  }
  return { targetValue: null, confidence: 0.3, reason: `"${v}" is not a known activity type; choose note, task, call, meeting or email.` };
}

function activityStatus(v: string): Omit<ValueMappingSuggestion, 'sourceValue'> {
  const b = parseBoolean(v);
  if (b.ok && b.value !== null) return { targetValue: b.value ? 'completed' : 'open', confidence: 0.85, reason: `"${v}" says whether the activity is done.` };
  return { targetValue: v, confidence: 0.9, reason: 'Activity status takes free text; kept as it is.' };
}

function currency(v: string): Omit<ValueMappingSuggestion, 'sourceValue'> {
  const r = normaliseCurrency(v);
  return r.ok && r.value
    ? { targetValue: r.value, confidence: r.value === v ? 1 : 0.9, reason: `"${v}" is ${r.value}.` }
    : { targetValue: null, confidence: 0.3, reason: `"${v}" is not a currency we know; choose an ISO 4217 code.` };
}

function country(v: string): Omit<ValueMappingSuggestion, 'sourceValue'> {
  const code = countryCode(v);
  return code
    ? { targetValue: code, confidence: code === v ? 1 : 0.92, reason: `"${v}" is ${code}.` }
    : { targetValue: null, confidence: 0.3, reason: `"${v}" is not a country we know; choose one.` };
}

/** "appointment_scheduled" / "qualifiedToBuy" → "Appointment scheduled" / "Qualified to buy". */
function humanize(v: string): string {
  if (/\s/.test(v) && /[A-Z]/.test(v)) return v;
  const words = v.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
