/**
 * Numbers and money as people write them: `$1,234.56`, `1.234,56 €`, `1 234,56`, `1'234.50`, `(1,234)`,
 * `12k`, `1.5M`, `45%`. The decimal separator is decided from the whole column when it can be
 * (detectNumberFormat), because `1,234` alone reads both ways.
 */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

export interface ParseNumberOptions {
  /** The decimal separator; detected per value when omitted (ambiguous values then fail). */
  readonly decimal?: '.' | ',';
  /** Round-trip check: fail on fractions (e.g. employees). */
  readonly integer?: boolean;
}

export interface Money {
  readonly amount: number;
  /** ISO 4217 code when the value names one (`€`, `USD`); null otherwise. */
  readonly currency: string | null;
}

// Unambiguous symbols only: `kr` (SEK/NOK/DKK) and a bare `¥` (JPY/CNY) are read as "no currency".
const SYMBOLS: [RegExp, string][] = [
  [/R\$/, 'BRL'], [/A\$|AU\$/, 'AUD'], [/C\$|CA\$/, 'CAD'], [/NZ\$/, 'NZD'], [/HK\$/, 'HKD'], [/S\$/, 'SGD'], [/MX\$/, 'MXN'],
  [/US\$|\$/, 'USD'], [/€/, 'EUR'], [/£/, 'GBP'], [/₹/, 'INR'], [/₩/, 'KRW'], [/₽/, 'RUB'], [/₺/, 'TRY'], [/₪/, 'ILS'],
  [/zł/i, 'PLN'], [/Kč/, 'CZK'], [/₫/, 'VND'], [/฿/, 'THB'], [/₱/, 'PHP'], [/₴/, 'UAH'], [/Fr\.|CHF/, 'CHF'],
];
const CODE_RE = /\b([A-Z]{3})\b/;
const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, mm: 1e6, MM: 1e6, mio: 1e6, Mio: 1e6, bn: 1e9, B: 1e9, Mrd: 1e9 };

/** Parse a number, ignoring currency symbols and thousands separators. */
export function parseNumber(raw: RawValue, options: ParseNumberOptions = {}): TransformResult<number | null> {
  const money = parseMoney(raw, options);
  if (!money.ok) return money;
  if (money.value === null) return ok(null);
  return ok(money.value.amount, money.warning);
}

/** Parse a currency amount, keeping the currency it names (if any). */
export function parseMoney(raw: RawValue, options: ParseNumberOptions = {}): TransformResult<Money | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw === 'number') return finish(raw, null, raw, options);
  if (typeof raw === 'boolean') return fail(`${show(raw)} is not a number.`);
  let text = raw.trim();
  if (text.length > 64) return fail(`${show(text)} is too long to be a number.`);
  let currency: string | null = null;
  for (const [re, code] of SYMBOLS) {
    if (re.test(text)) { currency = code; text = text.replace(re, ' '); break; }
  }
  const code = CODE_RE.exec(text);
  if (code && (currency === null || currency === code[1])) {
    if (!isCurrencyCode(code[1]!)) return fail(`${show(raw)} is not a number.`);
    currency = code[1]!; text = text.replace(CODE_RE, ' ');
  }
  let negative = false;
  text = text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
  if (/^\(.*\)$/.test(text)) { negative = true; text = text.slice(1, -1).trim(); }
  if (/^[-−–]/.test(text)) { negative = !negative; text = text.slice(1).trim(); }
  else if (/-$/.test(text)) { negative = !negative; text = text.slice(0, -1).trim(); }
  else if (text.startsWith('+')) text = text.slice(1).trim();
  let percent = false;
  if (text.endsWith('%')) { percent = true; text = text.slice(0, -1).trim(); }
  let factor = 1;
  const suffix = /^([\d.,' ]+?)\s*(k|K|M|mm|MM|mio|Mio|bn|B|Mrd)\.?$/.exec(text);
  if (suffix) { factor = SUFFIX[suffix[2]!]!; text = suffix[1]!.trim(); }
  else if (/^[\d.,' ]+\s*m$/.test(text)) return fail(`${show(raw)} is ambiguous: "m" could mean thousand, million or minutes.`);
  if (!/^\d[\d.,' ]*$/.test(text) && !/^[.,]\d+$/.test(text)) return fail(`${show(raw)} is not a number.`);
  const normal = normalise(text, options.decimal);
  if (normal === null) {
    return fail(`${show(raw)} is ambiguous: the separator could be a decimal point or a thousands separator. Set the decimal separator.`);
  }
  const n = Number(normal) * factor * (negative ? -1 : 1);
  if (!Number.isFinite(n)) return fail(`${show(raw)} is not a number.`);
  return finish(n, currency, raw, options, percent ? 'a percent sign was dropped' : undefined);
}

function finish(n: number, currency: string | null, raw: RawValue, options: ParseNumberOptions, warning?: string): TransformResult<Money> {
  if (!Number.isFinite(n)) return fail(`${show(raw)} is not a finite number.`);
  if (options.integer && !Number.isInteger(n)) return fail(`${show(raw)} is not a whole number.`);
  return ok({ amount: n, currency }, warning);
}

/** Turn "1.234,56" into "1234.56" given (or guessing) the decimal separator; null when ambiguous. */
function normalise(text: string, decimal: '.' | ',' | undefined): string | null {
  const t = text.replace(/[' ]/g, (m, i: number) => (m === ' ' && !/^\d{3}/.test(text.slice(i + 1)) ? 'X' : ''));
  if (t.includes('X')) return null;
  const dots = (t.match(/\./g) ?? []).length;
  const commas = (t.match(/,/g) ?? []).length;
  let dec = decimal;
  if (!dec) {
    if (dots > 0 && commas > 0) dec = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
    else if (dots > 1) dec = ',';
    else if (commas > 1) dec = '.';
    else if (dots === 1 || commas === 1) {
      const sep = dots === 1 ? '.' : ',';
      const after = t.length - t.indexOf(sep) - 1;
      // "1,234" and "1.234" read both ways; "1,5" and "12.75" do not.
      if (after === 3 && !t.startsWith('0') && !t.startsWith(sep)) return null;
      dec = sep;
    } else dec = '.';
  }
  const group = dec === '.' ? ',' : '.';
  const parts = t.split(dec);
  if (parts.length > 2) return null;
  const intPart = parts[0]!;
  if (intPart.includes(group) && !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(intPart)) return null;
  if (parts[1] !== undefined && !/^\d*$/.test(parts[1])) return null;
  return `${intPart.split(group).join('') || '0'}${parts[1] !== undefined ? `.${parts[1]}` : ''}`;
}

let currencyCodes: Set<string> | undefined;
/** ISO 4217 codes known to this runtime's ICU data. */
export function isCurrencyCode(code: string): boolean {
  currencyCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return currencyCodes.has(code.toUpperCase());
}

export interface DetectedNumberFormat {
  readonly decimal: '.' | ',';
  /** True when no sample showed which separator is the decimal one. */
  readonly ambiguous: boolean;
  /** Share of non-blank samples that parse as numbers with that separator. */
  readonly share: number;
  readonly allIntegers: boolean;
  readonly hasCurrency: boolean;
}

/** Decide the decimal separator of a column from its samples. */
export function detectNumberFormat(samples: readonly RawValue[], preferComma = false): DetectedNumberFormat | null {
  const values = samples.filter((s) => !isBlank(s));
  if (values.length === 0) return null;
  let commaEvidence = 0; let dotEvidence = 0;
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const t = v.replace(/[^\d.,]/g, '');
    const lastDot = t.lastIndexOf('.'); const lastComma = t.lastIndexOf(',');
    if (lastDot >= 0 && lastComma >= 0) { if (lastComma > lastDot) commaEvidence += 1; else dotEvidence += 1; continue; }
    const sep = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
    if (!sep) continue;
    const count = t.split(sep).length - 1;
    const after = t.length - t.lastIndexOf(sep) - 1;
    if (count > 1) { if (sep === '.') commaEvidence += 1; else dotEvidence += 1; }
    else if (after !== 3 || t.startsWith('0')) { if (sep === ',') commaEvidence += 1; else dotEvidence += 1; }
  }
  const ambiguous = commaEvidence === 0 && dotEvidence === 0;
  const decimal: '.' | ',' = commaEvidence > dotEvidence ? ',' : dotEvidence > commaEvidence ? '.' : preferComma ? ',' : '.';
  let parsed = 0; let allIntegers = true; let hasCurrency = false;
  for (const v of values) {
    if (typeof v === 'string' && (!/\d/.test(v) || /[a-z]{5}|@/i.test(v))) continue; // words and e-mails are not numbers
    const r = parseMoney(v, { decimal });
    if (r.ok && r.value) {
      parsed += 1;
      if (!Number.isInteger(r.value.amount)) allIntegers = false;
      if (r.value.currency) hasCurrency = true;
    }
  }
  return { decimal, ambiguous, share: parsed / values.length, allIntegers, hasCurrency };
}
