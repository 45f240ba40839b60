/**
 * Value detectors: what a column's samples look like (e-mails, phone numbers, URLs, dates, numbers,
 * money, currency codes, countries, postal codes, booleans, ids, person names, long text, and known
 * picklist values). A column called `Column 3` full of e-mail addresses is an e-mail column.
 */
import { looksBoolean } from '../transforms/boolean.js';
import { countryCode } from '../transforms/country.js';
import { detectDateFormat, parseDate, type DetectedDateFormat } from '../transforms/date.js';
import { EMAIL_RE } from '../transforms/email.js';
import { detectNumberFormat, isCurrencyCode, parseMoney, type DetectedNumberFormat } from '../transforms/number.js';
import { looksDomain } from '../transforms/url.js';
import { valueKey } from '../transforms/value-map.js';
import { normaliseCurrency } from '../transforms/currency.js';
import { ACTIVITY_TYPE_VALUES, DEAL_STAGES, LEAD_STATUSES, LIFECYCLE_STAGES, PRIORITIES, TASK_STATUSES } from './vocab.js';

export const VALUE_KINDS = [
  'email', 'url', 'linkedin', 'domain', 'phone', 'phoneish', 'date', 'datetime', 'number', 'integer', 'money', 'percent', 'fraction', 'range',
  'currency', 'country', 'state', 'postalCode', 'boolean', 'id', 'personName', 'singleWord', 'company', 'longText',
  'dealStage', 'dealStatus', 'activityType', 'lifecycle', 'leadStatus', 'taskStatus', 'priority',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export interface ValueProfile {
  /** Non-blank samples looked at. */
  readonly count: number;
  /** Share (0..1) of those samples of each kind. */
  readonly share: Readonly<Record<ValueKind, number>>;
  /** Distinct values over count. */
  readonly distinct: number;
  readonly avgLength: number;
  readonly dateFormat: DetectedDateFormat | null;
  readonly numberFormat: DetectedNumberFormat | null;
  /** The samples as trimmed strings (each cut to 256 characters). */
  readonly values: readonly string[];
}

const PHONE_RE = /^(\+|00)?[\d\s().\-/]{6,24}(\s*(x|ext\.?|#)\s*\d{1,6})?$/i;
const SF_ID_RE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIXED_ID_RE = /^[A-Z]{1,6}[-_#]?\d{3,}$/i;
const COMPANY_RE = /\b(inc|llc|l\.l\.c|ltd|limited|gmbh|ag|kg|ohg|ug|sa|sas|sarl|srl|spa|s\.p\.a|bv|b\.v|nv|plc|corp|corporation|co|company|group|holding|oy|ab|as|aps|pty|pte|lp|llp|s\.a|s\.l|sl|ltda|kft|sro|s\.r\.o)\.?$/i;
const PERSON_RE = /^[\p{Lu}][\p{L}'’.-]*(\s+[\p{L}][\p{L}'’.-]*){1,3}$/u;
const LAST_FIRST_RE = /^[\p{Lu}][\p{L}'’-]+,\s*[\p{Lu}][\p{L}'’ .-]+$/u;
const WORD_RE = /^[\p{L}][\p{L}'’-]{1,30}$/u;
const POSTAL_STRONG = [
  /^\d{5}-\d{4}$/, /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, /^\d{4} ?[A-Z]{2}$/i, /^\d{4}-\d{3}$/, /^\d{5}-\d{3}$/, /^\d{2}-\d{3}$/, /^\d{3} ?\d{2}$/,
];
const POSTAL_WEAK = /^\d{4,5}$/;
const RANGE_RE = /^\d[\d,.]*\s*[-–]\s*\d[\d,.]*$|^\d[\d,.]*\s*\+$/;
// US states, Canadian provinces, Australian states, German Länder (codes and names) — common in CRM address columns.
const STATES = new Set(
  ('AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC ' +
    'ON QC BC AB MB SK NS NB NL PE NT YT NU NSW VIC QLD WA SA TAS ACT NT').split(' ').map((s) => s.toLowerCase()).concat(
    ['alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida', 'georgia', 'hawaii', 'idaho', 'illinois', 'indiana', 'iowa',
      'kansas', 'kentucky', 'louisiana', 'maine', 'maryland', 'massachusetts', 'michigan', 'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska', 'nevada',
      'new hampshire', 'new jersey', 'new mexico', 'new york', 'north carolina', 'north dakota', 'ohio', 'oklahoma', 'oregon', 'pennsylvania', 'rhode island',
      'south carolina', 'south dakota', 'tennessee', 'texas', 'utah', 'vermont', 'virginia', 'washington', 'west virginia', 'wisconsin', 'wyoming', 'ontario', 'quebec',
      'british columbia', 'alberta', 'new south wales', 'victoria', 'queensland', 'bayern', 'bavaria', 'baden-wurttemberg', 'berlin', 'hamburg', 'hessen', 'sachsen',
      'nordrhein-westfalen', 'niedersachsen', 'ile-de-france', 'catalonia', 'cataluna', 'madrid', 'lombardia', 'lazio', 'noord-holland', 'zuid-holland', 'utrecht']),
);

const MAX_SAMPLE_CHARS = 256;

/** Profile a column from its samples (at most the first 100 are read). */
export function profileValues(samples: readonly unknown[] | undefined): ValueProfile {
  const values: string[] = [];
  for (const s of samples ?? []) {
    if (values.length >= 100) break;
    if (s === null || s === undefined) continue;
    const t = (typeof s === 'string' ? s : typeof s === 'number' || typeof s === 'boolean' ? String(s) : JSON.stringify(s) ?? '').trim();
    if (t !== '') values.push(t.slice(0, MAX_SAMPLE_CHARS));
  }
  const counts = Object.fromEntries(VALUE_KINDS.map((k) => [k, 0])) as Record<ValueKind, number>;
  const n = values.length;
  const numberFormat = n ? detectNumberFormat(values) : null;
  const dateFormat = n ? detectDateFormat(values) : null;
  const decimal = numberFormat?.decimal ?? '.';
  const allZeroOne = n > 0 && values.every((v) => v === '0' || v === '1');
  let totalLength = 0;
  const multiplicity = new Map<string, number>();
  for (const v of values) { totalLength += v.length; multiplicity.set(v, (multiplicity.get(v) ?? 0) + 1); }
  for (const [v, times] of multiplicity) {
    const kinds = detectOne(v, dateFormat, decimal, allZeroOne);
    for (const k of kinds) counts[k] += k === 'postalCode' && !POSTAL_STRONG.some((re) => re.test(v)) ? times / 2 : times;
  }
  const share = Object.fromEntries(VALUE_KINDS.map((k) => [k, n ? Math.min(1, counts[k] / n) : 0])) as Record<ValueKind, number>;
  return {
    count: n,
    share,
    distinct: n ? multiplicity.size / n : 0,
    avgLength: n ? totalLength / n : 0,
    dateFormat,
    numberFormat,
    values,
  };
}

// Cheap shape tests that rule parsers out before they run (they are the expensive part of profiling).
const NUMBERISH_RE = /^[^@\s]{0,4}\s?[(+\-−–]?\s?[$€£¥₹₩₽₺₪]?\s?\d[\d\s.,'’]*\s?(%|[A-Za-z$€£.]{0,4})\)?-?$/;
const COUNTRYISH_RE = /^[\p{L}][\p{L} .'’()&-]{1,59}$/u;

/** The kinds one distinct value belongs to. */
function detectOne(v: string, dateFormat: DetectedDateFormat | null, decimal: '.' | ',', allZeroOne: boolean): ValueKind[] {
  const out: ValueKind[] = [];
  const add = (k: ValueKind) => { out.push(k); };
  {
    const lower = v.toLowerCase();
    const digits = v.replace(/\D/g, '').length;
    const isEmail = v.includes('@') && EMAIL_RE.test(v);
    if (isEmail) add('email');
    if (/linkedin\.com\//i.test(v)) add('linkedin');
    if (/^(https?:\/\/|www\.)\S+$/i.test(v)) add('url');
    else if (!isEmail && v.includes('.') && looksDomain(v) && !/^\d+([.,]\d+)*$/.test(v)) add('domain');
    const dateLike = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}/.test(v);
    const phoneShape = PHONE_RE.test(v) && digits >= 7 && digits <= 15 && !dateLike;
    if (phoneShape && (/^(\+|00)/.test(v) || /[\s().\-/]/.test(v))) add('phone');
    if (phoneShape) add('phoneish');
    const hasDigit = digits > 0;
    const epoch = /^\d{10}$|^\d{13}$/.test(v) && withinEpochRange(v);
    if (epoch || (hasDigit && v.length <= 40 && !isEmail && isDate(v, dateFormat))) {
      add('date');
      if (epoch || /\d{1,2}:\d{2}/.test(v)) add('datetime');
    }
    const money = !hasDigit || dateLike || (phoneShape && /^(\+|00)/.test(v)) || !NUMBERISH_RE.test(v) ? null : parseMoney(v, { decimal });
    if (money?.ok && money.value) {
      add('number');
      if (Number.isInteger(money.value.amount)) add('integer');
      if (money.value.currency) add('money');
      if (/%\s*$/.test(v)) add('percent');
      if (money.value.amount >= 0 && money.value.amount <= 1 && /[.,]/.test(v)) add('fraction');
    }
    if (hasDigit && RANGE_RE.test(v)) add('range');
    if (v.length <= 12 && ((/^[A-Z]{3}$/.test(v) && isCurrencyCode(v)) || (!/^[A-Z]{3}$/i.test(v) && normaliseCurrency(v).ok))) add('currency');
    if (!hasDigit && !isEmail && COUNTRYISH_RE.test(v) && countryCode(v)) add('country');
    if (STATES.has(lower)) add('state');
    if (hasDigit && (POSTAL_STRONG.some((re) => re.test(v)) || POSTAL_WEAK.test(v))) add('postalCode');
    if ((looksBoolean(v) && !/^[01]$/.test(v)) || allZeroOne) add('boolean');
    if (isId(v)) add('id');
    const company = COMPANY_RE.test(v);
    if (company) add('company');
    if (!company && !hasDigit && v.length <= 60 && (PERSON_RE.test(v) || LAST_FIRST_RE.test(v))) add('personName');
    if (WORD_RE.test(v)) add('singleWord');
    if (v.length >= 50 && (v.match(/\s/g) ?? []).length >= 5) add('longText');
    if (v.length <= 60) {
      const key = valueKey(v);
      if (DEAL_STAGES[key]) add('dealStage');
      if (key === 'open' || key === 'won' || key === 'lost' || key === 'deleted') add('dealStatus');
      if (ACTIVITY_TYPE_VALUES[key]) add('activityType');
      if (LIFECYCLE_STAGES.has(key)) add('lifecycle');
      if (LEAD_STATUSES.has(key)) add('leadStatus');
      if (TASK_STATUSES.has(key)) add('taskStatus');
      if (PRIORITIES.has(key)) add('priority');
    }
  }
  return out;
}

function withinEpochRange(v: string): boolean {
  const ms = v.length === 13 ? Number(v) : Number(v) * 1000;
  return ms >= Date.UTC(1995, 0, 1) && ms <= Date.UTC(2045, 0, 1);
}

function isDate(v: string, format: DetectedDateFormat | null): boolean {
  if (parseDate(v).ok) return true;
  return format !== null && parseDate(v, { format: format.format }).ok;
}

/** Record ids: Salesforce 15/18-character ids, UUIDs, hex object ids, long numbers, prefixed codes. */
export function isId(v: string): boolean {
  if (UUID_RE.test(v)) return true;
  if (/^[0-9a-f]{24}$/i.test(v)) return true;
  if (SF_ID_RE.test(v) && /\d/.test(v) && /[a-zA-Z]/.test(v) && /^[0-9a-zA-Z]{3}/.test(v) && /^0|^a[0-9]/.test(v)) return true;
  if (/^\d{5,20}$/.test(v)) return true;
  if (PREFIXED_ID_RE.test(v)) return true;
  return false;
}
