/**
 * Dates and timestamps from every source: ISO 8601, Salesforce (`2013-05-20T20:49:32.000+0000`),
 * Zoho (`2024-03-01T10:00:00+05:30`), Pipedrive v1 (`2024-01-09 09:31:15`, UTC), HubSpot (ISO or epoch
 * milliseconds as a string), monday (`YYYY-MM-DD`), and spreadsheet day/month orders decided from samples.
 */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

export const DATE_FORMATS = [
  'ISO', // YYYY-MM-DD, optionally with time and offset (Salesforce, Zoho, HubSpot, monday)
  'YYYY-MM-DD HH:mm:ss', // Pipedrive v1, UTC
  'epochMs',
  'epochS',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'YYYY/MM/DD',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
  'textual', // "5 March 2024", "Mar 5, 2024", "05-Mar-24"
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export interface ParseDateOptions {
  /** How the values are written; detected per value when omitted (only unambiguous forms then). */
  readonly format?: DateFormat;
  /** `date` gives `YYYY-MM-DD`; `timestamp` gives an ISO string in UTC. */
  readonly output?: 'date' | 'timestamp';
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$/i;
const NUMERIC_RE = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const MONTHS: Record<string, number> = {
  jan: 1, january: 1, janvier: 1, januar: 1, enero: 1, gennaio: 1, janeiro: 1, januari: 1, jänner: 1,
  feb: 2, february: 2, fevrier: 2, février: 2, februar: 2, febrero: 2, febbraio: 2, fevereiro: 2, februari: 2,
  mar: 3, march: 3, mars: 3, marz: 3, märz: 3, marzo: 3, marco: 3, março: 3, maart: 3, mrz: 3, mär: 3,
  apr: 4, april: 4, avril: 4, abril: 4, aprile: 4,
  may: 5, mai: 5, mayo: 5, maggio: 5, maio: 5, mei: 5,
  jun: 6, june: 6, juin: 6, juni: 6, junio: 6, giugno: 6, junho: 6,
  jul: 7, july: 7, juillet: 7, juli: 7, julio: 7, luglio: 7, julho: 7,
  aug: 8, august: 8, aout: 8, août: 8, agosto: 8, augustus: 8,
  sep: 9, sept: 9, september: 9, septembre: 9, septiembre: 9, settembre: 9, setembro: 9,
  oct: 10, october: 10, octobre: 10, oktober: 10, octubre: 10, ottobre: 10, outubro: 10, okt: 10,
  nov: 11, november: 11, novembre: 11, noviembre: 11, novembro: 11,
  dec: 12, december: 12, decembre: 12, décembre: 12, dezember: 12, diciembre: 12, dicembre: 12, dezembro: 12, dez: 12,
};

const MONTH_WORD_RE = new RegExp(`(^|[^a-z])(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})([^a-z]|$)`, 'i');

interface Parts {
  y: number; m: number; d: number; hh: number; mm: number; ss: number; ms: number;
  /** Offset east of UTC in minutes; null = none given (treated as UTC). */
  offset: number | null;
}

/** Parse one value. Returns `YYYY-MM-DD` (output `date`, the default) or an ISO UTC timestamp. */
export function parseDate(raw: RawValue, options: ParseDateOptions = {}): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  const output = options.output ?? 'date';
  const text = String(raw).trim();
  if (text.length > 64) return fail(`${show(text)} is too long to be a date.`);
  const parts = parseParts(text, options.format);
  if (typeof parts === 'string') return fail(parts);
  if (!validCalendar(parts)) return fail(`${show(text)} is not a real calendar date.`);
  if (output === 'date') return ok(`${pad(parts.y, 4)}-${pad(parts.m)}-${pad(parts.d)}`);
  const utc = Date.UTC(parts.y, parts.m - 1, parts.d, parts.hh, parts.mm, parts.ss, parts.ms) - (parts.offset ?? 0) * 60_000;
  return ok(new Date(utc).toISOString());
}

function parseParts(text: string, format: DateFormat | undefined): Parts | string {
  if (format === 'epochMs' || format === 'epochS' || (!format && /^\d{10}(\d{3})?$/.test(text))) {
    if (!/^-?\d{1,16}(\.\d+)?$/.test(text)) return `${show(text)} is not an epoch timestamp.`;
    const n = Number(text);
    const ms = format === 'epochS' || (!format && text.length === 10) ? n * 1000 : n;
    const d = new Date(ms);
    if (Number.isNaN(d.getTime())) return `${show(text)} is out of range.`;
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), ss: d.getUTCSeconds(), ms: d.getUTCMilliseconds(), offset: 0 };
  }
  const iso = ISO_RE.exec(text);
  // ISO is unambiguous, so it is accepted whatever format the column was given.
  if (iso) {
    const [, y, m, d, hh, mi, ss, frac, zone] = iso;
    return {
      y: Number(y), m: Number(m), d: Number(d), hh: Number(hh ?? 0), mm: Number(mi ?? 0), ss: Number(ss ?? 0),
      ms: frac ? Math.round(Number(`0.${frac}`) * 1000) : 0,
      offset: parseOffset(zone),
    };
  }
  if (format === 'textual' || (!format && /[a-z]{3}/i.test(text))) return MONTH_WORD_RE.test(text) ? parseTextual(text) : 'not a date';
  const num = NUMERIC_RE.exec(text);
  if (!num) return `${show(text)} is not a date${format ? ` in the ${format} format` : ''}.`;
  const [, a, b, c, hh, mi, ss, ampm] = num;
  let y: number; let m: number; let d: number;
  // Without a format only unambiguous values parse: a first part above 12 is a day, a second part above 12 is too.
  const order = format ?? (a!.length === 4 ? 'YYYY/MM/DD' : Number(a) > 12 && Number(b) <= 12 ? 'DD/MM/YYYY' : Number(b) > 12 && Number(a) <= 12 ? 'MM/DD/YYYY' : undefined);
  if (!order) return `${show(text)} is ambiguous without knowing whether the day or the month comes first.`;
  if (order === 'YYYY/MM/DD' || order === 'ISO') { y = Number(a); m = Number(b); d = Number(c); }
  else if (order === 'DD/MM/YYYY' || order === 'DD.MM.YYYY' || order === 'DD-MM-YYYY') { d = Number(a); m = Number(b); y = Number(c); }
  else if (order === 'MM/DD/YYYY' || order === 'MM-DD-YYYY') { m = Number(a); d = Number(b); y = Number(c); }
  else return `${show(text)} is not a date in the ${order} format.`;
  if (order !== 'YYYY/MM/DD' && order !== 'ISO' && c!.length === 2) y = twoDigitYear(y);
  else if (order !== 'YYYY/MM/DD' && order !== 'ISO' && c!.length !== 4) return `${show(text)} has no clear year.`;
  let hour = Number(hh ?? 0);
  if (ampm) {
    if (hour < 1 || hour > 12) return `${show(text)} has an impossible hour.`;
    hour = (hour % 12) + (/p/i.test(ampm) ? 12 : 0);
  }
  return { y, m, d, hh: hour, mm: Number(mi ?? 0), ss: Number(ss ?? 0), ms: 0, offset: null };
}

function parseTextual(text: string): Parts | string {
  const cleaned = text.toLowerCase().replace(/(\d)(st|nd|rd|th)\b/g, '$1').replace(/[,.]/g, ' ').replace(/-/g, ' ');
  const tokens = cleaned.split(/\s+/).filter(Boolean);
  let month: number | undefined; const nums: string[] = [];
  for (const t of tokens) {
    if (MONTHS[t] !== undefined) month = MONTHS[t];
    else if (/^\d+$/.test(t)) nums.push(t);
    else if (/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/.test(t) || t === 'de' || t === 'of') continue;
    else if (/^\d{1,2}:\d{2}/.test(t)) continue;
    else return `${show(text)} is not a date.`;
  }
  if (month === undefined || nums.length !== 2) return `${show(text)} is not a date.`;
  const yi = nums.findIndex((n) => n.length === 4);
  const yearText = yi >= 0 ? nums[yi]! : nums[1]!;
  const dayText = yi >= 0 ? nums[1 - yi]! : nums[0]!;
  const y = yearText.length === 2 ? twoDigitYear(Number(yearText)) : Number(yearText);
  return { y, m: month, d: Number(dayText), hh: 0, mm: 0, ss: 0, ms: 0, offset: null };
}

function parseOffset(zone: string | undefined): number | null {
  if (!zone) return null;
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const twoDigitYear = (y: number): number => (y < 70 ? 2000 + y : 1900 + y);
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function validCalendar(p: Parts): boolean {
  if (p.m < 1 || p.m > 12 || p.d < 1 || p.y < 1000 || p.y > 9999) return false;
  if (p.hh > 23 || p.mm > 59 || p.ss > 60) return false;
  const days = new Date(Date.UTC(p.y, p.m, 0)).getUTCDate();
  return p.d <= days;
}

export interface DetectedDateFormat {
  readonly format: DateFormat;
  /** True when every sample reads both ways (e.g. 03/04/2024): the choice is a default, not evidence. */
  readonly ambiguous: boolean;
  /** Whether any sample carries a time of day. */
  readonly hasTime: boolean;
  /** Share of non-blank samples that parse with the format. */
  readonly share: number;
}

/**
 * Decide the format of a column from its samples. Day/month order: if any sample has a first part
 * greater than 12 it is DD/MM; if any has a second part greater than 12 it is MM/DD; if neither,
 * `preferDayFirst` decides (default false: MM/DD, the US default) and the result says it is ambiguous.
 */
export function detectDateFormat(samples: readonly RawValue[], preferDayFirst = false): DetectedDateFormat | null {
  const values = samples.filter((s) => !isBlank(s)).map((s) => String(s).trim()).filter((s) => s.length <= 64);
  if (values.length === 0) return null;
  let iso = 0; let pipedrive = 0; let epochMs = 0; let epochS = 0; let textual = 0; let hasTime = false;
  let slash = 0; let dot = 0; let dash = 0; let ymd = 0; let firstBig = false; let secondBig = false;
  for (const v of values) {
    const isoMatch = ISO_RE.exec(v);
    if (isoMatch) {
      if (isoMatch[4] !== undefined) hasTime = true;
      if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v)) pipedrive += 1; else iso += 1;
      continue;
    }
    if (/^\d{13}$/.test(v)) { epochMs += 1; hasTime = true; continue; }
    if (/^\d{10}$/.test(v)) { epochS += 1; hasTime = true; continue; }
    const num = NUMERIC_RE.exec(v);
    if (num) {
      if (num[4] !== undefined) hasTime = true;
      if (num[1]!.length === 4) { ymd += 1; continue; }
      const sep = v.replace(/^\d+/, '')[0];
      if (sep === '/') slash += 1; else if (sep === '.') dot += 1; else dash += 1;
      if (Number(num[1]) > 12) firstBig = true;
      if (Number(num[2]) > 12) secondBig = true;
      continue;
    }
    if (MONTH_WORD_RE.test(v) && typeof parseTextual(v) !== 'string') textual += 1;
  }
  const dmy = slash + dot + dash;
  const counts: [DateFormat, number][] = [
    ['ISO', iso + pipedrive], ['epochMs', epochMs], ['epochS', epochS], ['textual', textual], ['YYYY/MM/DD', ymd], ['DD/MM/YYYY', dmy],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  const [best, count] = counts[0]!;
  if (count === 0) return null;
  const share = count / values.length;
  if (best === 'ISO') {
    return { format: pipedrive > iso ? 'YYYY-MM-DD HH:mm:ss' : 'ISO', ambiguous: false, hasTime, share };
  }
  if (best !== 'DD/MM/YYYY') return { format: best, ambiguous: false, hasTime, share };
  // Day/month order from the evidence; contradictory evidence (both > 12) means it is not one format.
  if (firstBig && secondBig) return { format: 'DD/MM/YYYY', ambiguous: true, hasTime, share: share / 2 };
  const dayFirst = firstBig ? true : secondBig ? false : dot > 0 ? true : preferDayFirst;
  const ambiguous = !firstBig && !secondBig && dot === 0;
  const sep = dot >= slash && dot >= dash ? '.' : dash > slash ? '-' : '/';
  const format: DateFormat =
    sep === '.' ? 'DD.MM.YYYY' : sep === '-' ? (dayFirst ? 'DD-MM-YYYY' : 'MM-DD-YYYY') : dayFirst ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
  return { format, ambiguous, hasTime, share };
}
