/** Which transform a target needs, decided from its kind and the column's samples. */
import { findTargetField } from '../canonical-model.js';
import type { EntityType } from '../ids.js';
import { countryCode } from '../transforms/country.js';
import type { Transform } from '../transforms/index.js';
import type { ValueProfile } from './detectors.js';
import { suggestValueMapping } from './value-mapping.js';

export interface TransformSuggestion {
  readonly transform?: Transform;
  /** Something the user should check (an ambiguous date order, phone numbers without a country). */
  readonly note?: string;
}

export function suggestTransform(entity: EntityType, target: string, profile: ValueProfile, defaultCountry?: string): TransformSuggestion {
  const def = findTargetField(entity, target);
  if (!def) return {};
  if (target === 'fullName') return { transform: { kind: 'splitFullName' } };
  if ((entity === 'deals' && (target === 'status' || target === 'stage')) || (entity === 'activities' && (target === 'type' || target === 'status'))) {
    return valueMap(entity, target, profile);
  }
  switch (def.kind) {
    case 'email':
      return { transform: { kind: 'lowercaseEmail' } };
    case 'phone': {
      const national = profile.values.some((v) => !/^\s*(\+|00)/.test(v));
      if (!national) return { transform: { kind: 'phoneE164' } };
      if (defaultCountry) return { transform: { kind: 'phoneE164', defaultCountry } };
      return {
        transform: { kind: 'phoneE164' },
        note: 'Some numbers have no country code; set a default country, or they are kept as written and reported.',
      };
    }
    case 'url':
      return { transform: { kind: 'url' } };
    case 'date':
    case 'timestamp': {
      const output = def.kind === 'date' ? 'date' : 'timestamp';
      const df = profile.dateFormat;
      if (!df) return { transform: { kind: 'parseDate', output } };
      const transform: Transform = { kind: 'parseDate', format: df.format, output };
      if (df.ambiguous) {
        return { transform, note: `Dates such as ${profile.values[0]} read both ways; ${df.format} was assumed because no sample has a day above 12. Check a few records.` };
      }
      return { transform };
    }
    case 'integer':
    case 'number': {
      const nf = profile.numberFormat;
      const transform: Transform = { kind: 'parseNumber', ...(nf ? { decimal: nf.decimal } : {}), ...(def.kind === 'integer' ? { integer: true } : {}) };
      if (def.name === 'employees' && profile.share.range >= 0.5) {
        return { transform, note: 'Some values are ranges (e.g. 11-50); those records are reported, not guessed.' };
      }
      return nf?.ambiguous && profile.values.some((v) => /\d[.,]\d{3}\b/.test(v))
        ? { transform, note: `Values like ${profile.values.find((v) => /\d[.,]\d{3}\b/.test(v))} read both ways; "${nf.decimal}" was assumed to be the decimal separator.` }
        : { transform };
    }
    case 'percent': {
      const nf = profile.numberFormat;
      const fraction = profile.count > 0 && profile.share.fraction >= 0.8 && profile.share.percent === 0;
      return { transform: { kind: 'percent', ...(nf && nf.decimal === ',' ? { decimal: ',' } : {}), ...(fraction ? { fraction: true } : {}) } };
    }
    case 'currency':
      return { transform: { kind: 'currency' } };
    case 'country':
      return { transform: { kind: 'country' } };
    default:
      return target === 'domain' ? { transform: { kind: 'domain' } } : {};
  }
}

function valueMap(entity: EntityType, target: string, profile: ValueProfile): TransformSuggestion {
  if (profile.count === 0) return {};
  const { mappings } = suggestValueMapping({ entityType: entity, targetField: target, values: profile.values });
  if (mappings.every((m) => m.targetValue === m.sourceValue)) return {};
  const values: Record<string, string | null> = {};
  for (const m of mappings) values[m.sourceValue] = m.targetValue;
  const unsure = mappings.filter((m) => m.confidence < 0.6).map((m) => `"${m.sourceValue}"`);
  return {
    transform: { kind: 'valueMap', values },
    ...(unsure.length ? { note: `Check the value map for ${unsure.slice(0, 5).join(', ')}${unsure.length > 5 ? ', …' : ''}.` } : {}),
  };
}

/** The most common country in a column's samples (≥ 60%), for phone numbers without a country code. */
export function dominantCountry(profile: ValueProfile): string | undefined {
  const counts = new Map<string, number>();
  for (const v of profile.values) { const c = countryCode(v); if (c) counts.set(c, (counts.get(c) ?? 0) + 1); }
  let best: string | undefined; let n = 0;
  for (const [c, k] of counts) if (k > n) { best = c; n = k; }
  return best && profile.count > 0 && n / profile.count >= 0.6 ? best : undefined;
}
