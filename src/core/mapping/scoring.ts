/**
 * Scores every canonical target for one source field by combining the signals: catalogues (same CRM,
 * then other CRMs' export headers), synonyms and fuzzy similarity of the name and label, what the values
 * look like, and the source's declared type. Each target gets one score and a reason that says which
 * signal carried it; incompatible values or types lower it.
 */
import { findTargetField, targetFields, type CanonicalField, type FieldKind } from '../canonical-model.js';
import { CRM_NAMES, SOURCE_SYSTEMS, type EntityType, type SourceSystem } from '../ids.js';
import { catalogueByKey, catalogueByType, catalogueExact, type CatalogueHit } from './catalogues.js';
import { profileValues, type ValueKind, type ValueProfile } from './detectors.js';
import { normalizeName, stripAccents, type NormalizedName } from './normalize.js';
import { phraseIndex, type Phrase } from './phrases.js';
import { jaroWinkler, tokenSetSimilarity, trigramSimilarity } from './similarity.js';
import { GENERIC_WORDS, NEUTRAL_WORDS, SELF_NOUNS, WEAKENING_WORDS } from './synonyms.js';
import type { SourceField } from './types.js';

export interface Candidate {
  /** null = no standard target. */
  readonly target: string | null;
  readonly score: number;
  readonly reason: string;
}

export interface FieldAnalysis {
  readonly field: SourceField;
  readonly profile: ValueProfile;
  /** Sorted best first; one entry per target, plus the "no target" candidate. */
  readonly candidates: readonly Candidate[];
}

interface Signal { score: number; reason: string; authoritative?: boolean }
interface Acc { name?: Signal; value?: Signal; type?: Signal; penalties: { amount: number; note: string }[]; notes: string[] }

/** How much a catalogue's label matches are trusted: monday titles and spreadsheet headers are user-chosen. */
const CATALOGUE_TRUST: Record<SourceSystem, number> = { salesforce: 1, hubspot: 1, pipedrive: 1, zoho: 1, monday: 0.94, csv: 0.94 };
/** Sources whose field names are generated ids (monday: `phone_1`, `text4`): the label carries the meaning. */
const NAME_IS_GENERATED: Record<SourceSystem, boolean> = { salesforce: false, hubspot: false, pipedrive: false, zoho: false, monday: true, csv: false };
const sourceName = (s: SourceSystem): string => (s === 'csv' ? 'spreadsheet' : CRM_NAMES[s]);
const q = (s: string): string => `\`${s}\``;

/** Score all targets of `entity` for one source field. */
export function analyseField(entity: EntityType, source: SourceSystem, field: SourceField): FieldAnalysis {
  const profile = profileValues(field.samples);
  const accs = new Map<string | null, Acc>();
  const acc = (t: string | null): Acc => {
    let a = accs.get(t);
    if (!a) { a = { penalties: [], notes: [] }; accs.set(t, a); }
    return a;
  };
  const setName = (t: string | null, s: Signal) => { const a = acc(t); if (!a.name || s.score > a.name.score) a.name = s; };
  const setValue = (t: string, s: Signal) => { const a = acc(t); if (!a.value || s.score > a.value.score) a.value = s; };
  const setType = (t: string | null, s: Signal) => { const a = acc(t); if (!a.type || s.score > a.type.score) a.type = s; };

  const nm = normalizeName(field.name);
  const nl = field.label && field.label !== field.name ? normalizeName(field.label) : undefined;

  catalogueSignals(entity, source, field, nm, nl, setName, setType);
  synonymSignals(entity, field, nm, nl, NAME_IS_GENERATED[source] && nl ? 0.1 : 0, setName);
  markerSignals(field, nm, source, setName);
  valueSignals(entity, profile, setValue);
  typeSignals(entity, field.type, setType);

  // Combine per target.
  const candidates: Candidate[] = [];
  let nullCandidate: Candidate | undefined;
  for (const [target, a] of accs) {
    if (target === null) {
      const best = [a.name, a.type].filter((s): s is Signal => !!s).sort((x, y) => y.score - x.score)[0];
      if (best) nullCandidate = { target: null, score: best.score, reason: best.reason };
      continue;
    }
    const def = findTargetField(entity, target);
    if (!def) continue;
    compatibility(entity, def, profile, field.type, a);
    const signals = [a.name, a.value, a.type].filter((s): s is Signal => !!s);
    const main = signals.sort((x, y) => y.score - x.score)[0]!;
    let score = main.score;
    const notes: string[] = [];
    if (a.name && a.name.score >= 0.5 && a.value && a.value.score >= 0.4) {
      score += 0.06;
      if (main !== a.value) notes.push(a.value.reason);
    }
    if (a.name && a.name.score >= 0.5 && a.type && a.type.score > 0 && main !== a.type) score += 0.03;
    const authoritative = main.authoritative === true;
    let penalty = 0;
    for (const p of a.penalties) { penalty += authoritative ? p.amount / 2 : p.amount; notes.push(p.note); }
    score = Math.max(0, Math.min(0.99, score - penalty));
    candidates.push({ target, score, reason: [main.reason, ...notes].join(' ') });
  }
  referenceFlip(entity, profile, candidates);
  candidates.sort((x, y) => y.score - x.score);
  if (nullCandidate) candidates.push(nullCandidate);
  candidates.sort((x, y) => y.score - x.score);
  return { field, profile, candidates };
}

// ---------- catalogues ----------

function catalogueSignals(
  entity: EntityType, source: SourceSystem, field: SourceField, nm: NormalizedName, nl: NormalizedName | undefined,
  setName: (t: string | null, s: Signal) => void, setType: (t: string | null, s: Signal) => void,
): void {
  const describe = (hit: CatalogueHit, same: boolean): string => {
    const crm = sourceName(hit.source);
    const label = hit.field.label && hit.field.label !== hit.field.name ? ` (${hit.field.label})` : '';
    const what = hit.field.target === null ? 'which has no standard target' : `which maps to ${hit.field.target}`;
    if (hit.via === 'header') return `${q(field.name)} is ${same ? 'a' : `a ${crm}`} standard export header for ${crm}'s ${q(hit.field.name)}${label}, ${what}.`;
    return `${q(field.name)} matches ${crm}'s standard field ${q(hit.field.name)}${label}, ${what}.`;
  };
  const keys = [nm.key, nl?.key].filter((k): k is string => !!k);
  const trust = CATALOGUE_TRUST[source];
  for (const hit of catalogueExact(source, entity, field.name)) {
    const base = hit.via === 'apiName' ? 0.98 : 0.96;
    setName(hit.field.target, { score: base * trust * (hit.field.confidence ?? 1), reason: describe(hit, true), authoritative: trust === 1 });
  }
  for (const key of keys) {
    for (const hit of catalogueByKey(source, entity, key)) {
      setName(hit.field.target, { score: 0.94 * trust * (hit.field.confidence ?? 1), reason: describe(hit, true), authoritative: trust === 1 });
    }
  }
  if (field.type) {
    for (const hit of catalogueByType(source, entity, field.type)) {
      setType(hit.field.target, {
        score: hit.field.confidence ?? 0.9,
        reason: `${q(field.name)} is a ${sourceName(source)} ${q(field.type)} column${hit.field.target ? `, which holds ${hit.field.target}` : ', which has no standard target'}.`,
      });
    }
  }
  // Other sources' catalogues: a CSV is often another CRM's export, and API names travel.
  for (const other of SOURCE_SYSTEMS) {
    if (other === source) continue;
    const base = source === 'csv' ? 0.88 : 0.85;
    for (const hit of catalogueExact(other, entity, field.name)) {
      const generic = nm.tokens.length === 1 && GENERIC_WORDS.has(nm.tokens[0]!);
      setName(hit.field.target, { score: (generic ? base - 0.08 : base) * (hit.field.confidence ?? 1), reason: describe(hit, false) });
    }
    for (const key of keys) {
      const generic = key.split(' ').length === 1;
      for (const hit of catalogueByKey(other, entity, key)) {
        setName(hit.field.target, { score: (generic ? base - 0.1 : base - 0.03) * (hit.field.confidence ?? 1) * CATALOGUE_TRUST[other], reason: describe(hit, false) });
      }
    }
  }
}

// ---------- synonyms and fuzzy similarity ----------

interface Variant { readonly tokens: readonly string[]; readonly key: string; readonly compact: string; readonly cost: number; readonly text: string }

function variantsOf(entity: EntityType, field: SourceField, nm: NormalizedName, nl: NormalizedName | undefined): Variant[] {
  const self = new Set(SELF_NOUNS[entity]);
  const out: Variant[] = [];
  const add = (n: NormalizedName, cost: number, text: string) => {
    out.push({ tokens: n.tokens, key: n.key, compact: n.compact, cost, text });
    const stripped = n.tokens.filter((t) => !self.has(t));
    if (stripped.length > 0 && stripped.length < n.tokens.length) {
      out.push({ tokens: stripped, key: stripped.join(' '), compact: stripped.join(''), cost: cost + 0.01, text });
    }
  };
  add(nm, 0, field.name);
  if (nl) add(nl, 0.01, field.label!);
  return out;
}

function synonymSignals(
  entity: EntityType, field: SourceField, nm: NormalizedName, nl: NormalizedName | undefined, nameCost: number,
  setName: (t: string | null, s: Signal) => void,
): void {
  const index = phraseIndex(entity);
  const label = (p: Phrase) => (p.target === null ? 'a field with no standard target' : p.target);
  // A custom field (Salesforce __c) is by definition not the standard one, unless its name says so exactly.
  const customCost = nm.custom ? 0.1 : 0;
  for (const variant of variantsOf(entity, field, nm, nl)) {
    const v = { ...variant, cost: variant.cost + customCost + (variant.text === field.name ? nameCost : 0) };
    if (v.tokens.length === 0) continue;
    const seen = new Set<Phrase>();
    for (const p of index.byKey.get(v.key) ?? []) {
      seen.add(p);
      const plain = stripAccents(v.text).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
      const shown = plain === v.key ? q(v.text) : `${q(v.text)} (read as "${v.key}")`;
      setName(p.target, { score: p.weight - v.cost, reason: `${shown} is a common header for ${label(p)}.` });
    }
    const fieldTokens = new Set(v.tokens);
    const related = new Set<Phrase>();
    for (const t of fieldTokens) for (const p of index.byToken.get(t) ?? []) if (!seen.has(p)) related.add(p);
    for (const p of related) {
      const score = containmentScore(p, fieldTokens);
      if (score === null) continue;
      if (p.target === null && p.tokens.length < 2) continue;
      setName(p.target, { score: score - v.cost, reason: `${q(v.text)} contains "${p.text}", a header for ${label(p)}.` });
    }
    // Typos and spelling variants ("Adress", "Telphone", "Emial addres"): word by word, same number of words,
    // each word equal or within Jaro-Winkler 0.9, so a different word ("Customer Tier" vs "Customer Stage") never passes.
    if (v.compact.length >= 6) {
      for (const p of index.byFirst.get(v.compact[0]!) ?? []) {
        if (p.target === null || seen.has(p) || p.tokens.length !== v.tokens.length || Math.abs(p.compact.length - v.compact.length) > 3) continue;
        const sim = wordwiseSimilarity(v.tokens, p.tokens);
        if (sim < 0.9 || sim === 1) continue;
        setName(p.target, { score: p.weight * sim - 0.1 - v.cost, reason: `${q(v.text)} is close to "${p.text}" (similarity ${sim.toFixed(2)}), a header for ${p.target}.` });
      }
    }
  }
}

function wordwiseSimilarity(a: readonly string[], b: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!; const y = b[i]!;
    if (x === y) { total += 1; continue; }
    if (x.length < 4 || y.length < 4) return 0;
    const jw = jaroWinkler(x, y);
    if (jw < 0.9 || trigramSimilarity(x, y) < 0.3) return 0;
    total += jw;
  }
  return total / a.length;
}

/** Score of a phrase whose tokens overlap the field's: full containment costs per extra word. */
function containmentScore(p: Phrase, fieldTokens: ReadonlySet<string>): number | null {
  const P = new Set(p.tokens);
  let inField = 0;
  for (const t of P) if (fieldTokens.has(t)) inField += 1;
  if (inField === 0) return null;
  if (inField === P.size) {
    let penalty = 0; let meaningfulExtra = false;
    for (const t of fieldTokens) {
      if (P.has(t)) continue;
      if (WEAKENING_WORDS.has(t)) { penalty += 0.25; meaningfulExtra = true; }
      else if (NEUTRAL_WORDS.has(t)) penalty += 0.03;
      else if (/^\d+$/.test(t)) penalty += 0.1;
      else { penalty += 0.12; meaningfulExtra = true; }
    }
    // One word inside a longer header often changes meaning ("Customer Tier", "Company Size").
    if (P.size === 1 && meaningfulExtra) penalty += GENERIC_WORDS.has(p.tokens[0]!) ? 0.25 : 0.1;
    return p.weight - Math.min(penalty, 0.6);
  }
  const fieldInPhrase = [...fieldTokens].every((t) => P.has(t));
  if (fieldInPhrase) {
    const meaningful = [...fieldTokens].some((t) => !GENERIC_WORDS.has(t) && !NEUTRAL_WORDS.has(t));
    if (!meaningful) return null;
    return p.weight - 0.1 * (P.size - inField) - 0.06;
  }
  const shared = [...fieldTokens].filter((t) => P.has(t) && !GENERIC_WORDS.has(t) && !NEUTRAL_WORDS.has(t));
  if (shared.length === 0) return null;
  return p.weight * tokenSetSimilarity([...fieldTokens], p.tokens) - 0.12;
}

function markerSignals(field: SourceField, nm: NormalizedName, source: SourceSystem, setName: (t: string | null, s: Signal) => void): void {
  if (nm.custom) setName(null, { score: 0.6, reason: `${q(field.name)} is a custom field (the __c suffix), so no standard field is implied.` });
  if (/^hs_/.test(field.name) && (source === 'hubspot' || source === 'csv')) {
    setName(null, { score: 0.62, reason: `${q(field.name)} looks like an internal HubSpot property with no standard target.` });
  }
}

// ---------- values ----------

interface ValueRule { kind: ValueKind; min: number; targets: readonly (readonly [string, number])[]; what: string; entities?: readonly EntityType[] }
const VALUE_RULES: readonly ValueRule[] = [
  { kind: 'email', min: 0.7, targets: [['email', 0.8]], what: 'e-mail addresses' },
  { kind: 'linkedin', min: 0.7, targets: [['linkedinUrl', 0.85]], what: 'LinkedIn URLs' },
  { kind: 'phone', min: 0.7, targets: [['phone', 0.66], ['mobilePhone', 0.56]], what: 'phone numbers' },
  { kind: 'currency', min: 0.8, targets: [['currency', 0.8]], what: 'ISO currency codes' },
  { kind: 'money', min: 0.7, targets: [['amount', 0.66], ['annualRevenue', 0.56]], what: 'currency amounts' },
  { kind: 'percent', min: 0.7, targets: [['probability', 0.64]], what: 'percentages' },
  { kind: 'dealStatus', min: 0.8, targets: [['status', 0.78]], what: 'deal statuses (open, won, lost)', entities: ['deals'] },
  { kind: 'dealStage', min: 0.6, targets: [['stage', 0.72]], what: 'known deal stages', entities: ['deals'] },
  { kind: 'activityType', min: 0.7, targets: [['type', 0.76]], what: 'activity types', entities: ['activities'] },
  { kind: 'taskStatus', min: 0.6, targets: [['status', 0.7]], what: 'task statuses', entities: ['activities'] },
  { kind: 'lifecycle', min: 0.7, targets: [['lifecycleStage', 0.76]], what: 'lifecycle stages' },
  { kind: 'leadStatus', min: 0.6, targets: [['status', 0.7]], what: 'lead statuses', entities: ['leads'] },
  { kind: 'priority', min: 0.7, targets: [['priority', 0.74]], what: 'priorities' },
  { kind: 'personName', min: 0.7, targets: [['fullName', 0.6], ['owner', 0.35]], what: 'person names' },
  { kind: 'longText', min: 0.6, targets: [['description', 0.55], ['body', 0.6]], what: 'long text' },
];

function valueSignals(entity: EntityType, profile: ValueProfile, setValue: (t: string, s: Signal) => void): void {
  if (profile.count === 0) return;
  const has = new Set(targetFields(entity).map((t) => t.name));
  const s = profile.share;
  const few = profile.count < 3 ? 0.1 : 0;
  const say = (share: number, what: string) => `${Math.round(share * profile.count)} of ${profile.count} samples are ${what}.`;
  const give = (target: string, score: number, reason: string) => { if (has.has(target)) setValue(target, { score: score - few, reason }); };
  for (const rule of VALUE_RULES) {
    if (rule.entities && !rule.entities.includes(entity)) continue;
    if (s[rule.kind] < rule.min) continue;
    for (const [target, score] of rule.targets) give(target, score, say(s[rule.kind], rule.what));
  }
  // Web addresses: LinkedIn ones are not websites.
  if (s.url + s.domain >= 0.7 && s.linkedin < 0.5) {
    if (s.domain >= 0.7) { give('domain', 0.72, say(s.domain, 'domains')); give('website', 0.6, say(s.domain, 'domains')); }
    else give('website', 0.7, say(s.url, 'web addresses'));
  }
  // Countries and regions overlap on two-letter codes (CA, DE, IN): the larger share decides.
  if (s.country >= 0.8 && s.country > s.state) give('country', s.state >= 0.5 ? 0.55 : 0.75, say(s.country, 'countries'));
  if (s.state >= 0.8 && s.state >= s.country) give('state', 0.62, say(s.state, 'states or regions'));
  if (s.postalCode >= 0.8 && s.phone < 0.5) give('postalCode', s.postalCode >= 0.95 && s.integer < 0.5 ? 0.64 : 0.45, say(s.postalCode, 'postal codes'));
  if (s.date >= 0.8) {
    const timed = s.datetime >= 0.5;
    const reason = say(s.date, timed ? 'timestamps' : 'dates');
    const years = profile.values.map((v) => Number(/\b(19|20)\d{2}\b/.exec(v)?.[0] ?? NaN)).filter((y) => !Number.isNaN(y));
    const old = years.length > 0 && years.filter((y) => y < new Date().getUTCFullYear() - 15).length / years.length >= 0.8;
    if (old) give('birthdate', 0.62, `${reason} Most are more than 15 years ago, as birthdates are.`);
    else {
      give('closeDate', timed ? 0.42 : 0.5, reason);
      give('dueAt', 0.45, reason);
      give('sourceCreatedAt', timed ? 0.44 : 0.38, reason);
      give('sourceUpdatedAt', timed ? 0.4 : 0.34, reason);
    }
  }
  if (s.id >= 0.9 && profile.distinct >= 0.9 && s.phone < 0.5 && s.date < 0.5) give('externalId', 0.5, say(s.id, 'unique record ids'));
}

// ---------- declared types ----------

/** Source types (all five CRMs' vocabularies) → the target kinds they can fill. */
const TYPE_KINDS: Readonly<Record<string, readonly FieldKind[]>> = (() => {
  const out: Record<string, readonly FieldKind[]> = {};
  const set = (kinds: FieldKind[], ...types: string[]) => { for (const t of types) out[t] = kinds; };
  set(['email'], 'email');
  set(['phone'], 'phone', 'phonenumber', 'tel');
  set(['url'], 'url', 'website', 'link');
  set(['date', 'timestamp'], 'date', 'datetime', 'date_time', 'timestamp', 'creation_log', 'last_updated');
  set(['number', 'integer', 'percent'], 'currency', 'monetary', 'money', 'double', 'int', 'integer', 'number', 'numbers', 'bigint', 'decimal', 'percent', 'long', 'float');
  set(['enum', 'string'], 'boolean', 'bool', 'checkbox');
  set(['country'], 'country');
  return out;
})();

/** Types that name a target on their own, in every CRM that uses them. */
const TYPE_TARGETS: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  email: [['email', 0.7]], phone: [['phone', 0.6], ['mobilePhone', 0.5]], phonenumber: [['phone', 0.6]], country: [['country', 0.7]],
  user: [['owner', 0.7]], ownerlookup: [['owner', 0.72]], id: [['externalId', 0.7]], url: [['website', 0.5]], website: [['website', 0.55]],
};

function typeSignals(entity: EntityType, type: string | undefined, setType: (t: string | null, s: Signal) => void): void {
  if (!type) return;
  const has = new Set(targetFields(entity).map((t) => t.name));
  for (const [target, score] of TYPE_TARGETS[type.toLowerCase()] ?? []) {
    if (has.has(target)) setType(target, { score, reason: `The source declares it as ${q(type)}.` });
  }
}

// ---------- compatibility of values and types with a target ----------

function compatibility(entity: EntityType, def: CanonicalField, p: ValueProfile, type: string | undefined, a: Acc): void {
  const s = p.share;
  const pen = (amount: number, note: string) => a.penalties.push({ amount: p.count < 2 ? amount / 2 : amount, note });
  const kinds = type ? TYPE_KINDS[type.toLowerCase()] : undefined;
  if (kinds && !kinds.includes(def.kind) && !(def.kind === 'reference' || def.name === 'owner' || def.name === 'externalId')) {
    const strong = kinds.includes('email') || kinds.includes('phone') || kinds.includes('date') || kinds.includes('number') || kinds.includes('url');
    if (strong || def.kind === 'email' || def.kind === 'phone' || def.kind === 'date' || def.kind === 'timestamp') {
      a.penalties.push({ amount: 0.3, note: `But its declared type ${q(type!)} does not fit ${def.name}.` });
    }
  }
  if (p.count === 0) return;
  const numeric = s.number + s.range * (def.name === 'employees' ? 1 : 0);
  switch (def.kind) {
    case 'email':
      if (s.email < 0.5) pen(0.35, 'But the samples are not e-mail addresses.');
      break;
    case 'phone':
      if (s.phoneish < 0.5) pen(0.3, 'But the samples do not look like phone numbers.');
      break;
    case 'url':
      if (s.url + s.domain < 0.5) pen(0.3, 'But the samples are not web addresses.');
      else if (def.name === 'linkedinUrl' && s.linkedin < 0.5) pen(0.25, 'But the samples are not LinkedIn URLs.');
      else if (def.name === 'website' && s.linkedin >= 0.7) pen(0.2, 'But the samples are LinkedIn URLs.');
      break;
    case 'date':
    case 'timestamp':
      if (s.date < 0.5) pen(0.3, 'But the samples are not dates.');
      break;
    case 'integer':
    case 'number':
    case 'percent':
      if (numeric < 0.5) pen(0.3, 'But the samples are not numbers.');
      break;
    case 'currency':
      if (s.currency < 0.5) pen(0.3, 'But the samples are not currency codes.');
      break;
    case 'country':
      if (s.country < 0.3) pen(0.15, 'But few samples are countries we know.');
      break;
    case 'enum':
      if (def.name === 'status' && entity === 'deals' && s.dealStatus + s.dealStage < 0.3 && s.boolean < 0.8) pen(0.15, 'But the samples are not deal statuses or stages we know.');
      if (def.name === 'type' && entity === 'activities' && s.activityType < 0.3) pen(0.2, 'But the samples are not activity types we know.');
      break;
    case 'reference':
      break;
    default: {
      const personish = def.name === 'firstName' || def.name === 'lastName' || def.name === 'fullName';
      if (s.email >= 0.5 && def.name !== 'owner') pen(0.3, 'But the samples are e-mail addresses.');
      else if (personish && s.number + s.phoneish >= 0.5) pen(0.3, 'But the samples are numbers, not names.');
      else if (s.number >= 0.8 && s.range < 0.5 && !['postalCode', 'externalId', 'owner', 'stage', 'pipeline', 'employees', 'rating', 'street'].includes(def.name)) {
        pen(0.2, 'But the samples are numbers.');
      }
      if (def.name === 'domain' && s.domain + s.url + s.email < 0.5) pen(0.3, 'But the samples are not domains.');
      if (def.name === 'stage' && s.dealStatus >= 0.8) pen(0.1, 'The samples are only open/won/lost, which is a status.');
    }
  }
}

/** Account links by id or by name: the samples decide which. Other links need ids. */
function referenceFlip(entity: EntityType, p: ValueProfile, candidates: Candidate[]): void {
  if (p.count === 0) return;
  const s = p.share;
  const idLike = s.id >= 0.8 || (s.integer >= 0.9 && p.distinct >= 0.5);
  const nameLike = s.id < 0.2 && s.number < 0.2 && s.email < 0.2;
  const hasName = findTargetField(entity, 'accountName') !== undefined;
  for (let i = 0; i < candidates.length; i += 1) {
    const c = candidates[i]!;
    if (c.target === 'accountExternalId' && nameLike && hasName) {
      candidates[i] = { target: 'accountName', score: c.score - 0.03, reason: `${c.reason} The samples are names, not ids, so it links by account name.` };
    } else if (c.target === 'accountName' && idLike) {
      candidates[i] = { target: 'accountExternalId', score: c.score - 0.03, reason: `${c.reason} The samples are ids, so it links by the account's source id.` };
    } else if ((c.target === 'contactExternalId' || c.target === 'dealExternalId' || c.target === 'accountExternalId' || c.target === 'externalId') && nameLike) {
      candidates[i] = { ...c, score: Math.max(0, c.score - 0.35), reason: `${c.reason} But the samples look like names, and this link needs the source's record id.` };
    }
  }
  // A flip can create two entries for one target: keep the better.
  const best = new Map<string | null, Candidate>();
  for (const c of candidates) { const b = best.get(c.target); if (!b || c.score > b.score) best.set(c.target, c); }
  candidates.splice(0, candidates.length, ...best.values());
}
