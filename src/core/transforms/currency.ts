/** Currency names, symbols and codes to ISO 4217. */
import { isCurrencyCode } from './number.js';
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

const NAMES: Record<string, string> = {
  $: 'USD', 'us$': 'USD', dollar: 'USD', dollars: 'USD', 'us dollar': 'USD', 'us dollars': 'USD', '€': 'EUR', euro: 'EUR', euros: 'EUR',
  '£': 'GBP', pound: 'GBP', pounds: 'GBP', sterling: 'GBP', 'pound sterling': 'GBP', '¥': 'JPY', yen: 'JPY', '₹': 'INR', rupee: 'INR',
  rupees: 'INR', 'r$': 'BRL', real: 'BRL', reais: 'BRL', 'a$': 'AUD', 'c$': 'CAD', 'ca$': 'CAD', 'fr.': 'CHF', franken: 'CHF',
  'swiss franc': 'CHF', 'zł': 'PLN', zloty: 'PLN', '₩': 'KRW', '₽': 'RUB', yuan: 'CNY', rmb: 'CNY', renminbi: 'CNY', '₺': 'TRY', '₪': 'ILS',
};

/** "€", "eur", "Euro" → "EUR". */
export function normaliseCurrency(raw: RawValue): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  const text = String(raw).trim();
  if (/^[a-z]{3}$/i.test(text) && isCurrencyCode(text)) return ok(text.toUpperCase());
  const named = NAMES[text.toLowerCase()];
  if (named) return ok(named);
  return fail(`${show(raw)} is not an ISO 4217 currency code.`);
}
