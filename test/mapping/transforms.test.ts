import { describe, expect, it } from 'vitest';
import {
  applyTransform, detectDateFormat, detectNumberFormat, extractDomain, lowercaseEmail, normaliseCountry, normaliseCurrency, normaliseUrl,
  parseBoolean, parseDate, parseMoney, parseNumber, parsePercent, phoneE164, splitFullName, applyValueMap,
} from '../../src/core/transforms/index.js';

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe('splitFullName', () => {
  it.each([
    ['Jane Doe', 'Jane', 'Doe'],
    ['Doe, Jane', 'Jane', 'Doe'],
    ['Mary Ann Smith', 'Mary Ann', 'Smith'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Maria de la Cruz', 'Maria', 'de la Cruz'],
    ['Ursula von der Leyen', 'Ursula', 'von der Leyen'],
    ['Dr. Martin Luther King Jr.', 'Martin Luther', 'King'],
    ['Jean-Luc Picard', 'Jean-Luc', 'Picard'],
    ['山田 太郎', '太郎', '山田'],
    ['김민준', '민준', '김'],
  ])('%s → %s | %s', (full, first, last) => {
    expect(value(splitFullName(full))).toEqual({ firstName: first, lastName: last });
  });
  it('keeps a single name as the last name (last name is required)', () => {
    expect(value(splitFullName('Madonna'))).toEqual({ firstName: null, lastName: 'Madonna' });
  });
  it('blank is null; an e-mail is not a name', () => {
    expect(value(splitFullName('  '))).toBeNull();
    expect(splitFullName('jane@doe.io').ok).toBe(false);
  });
});

describe('parseDate', () => {
  it('reads each CRM timestamp format', () => {
    expect(value(parseDate('2013-05-20T20:49:32.000+0000', { output: 'timestamp' }))).toBe('2013-05-20T20:49:32.000Z'); // Salesforce
    expect(value(parseDate('2024-03-01T10:00:00+05:30', { output: 'timestamp' }))).toBe('2024-03-01T04:30:00.000Z'); // Zoho
    expect(value(parseDate('2024-01-09 09:31:15', { output: 'timestamp' }))).toBe('2024-01-09T09:31:15.000Z'); // Pipedrive v1, UTC
    expect(value(parseDate('1709287200000', { output: 'timestamp' }))).toBe('2024-03-01T10:00:00.000Z'); // HubSpot epoch ms
    expect(value(parseDate('2024-03-01T10:00:00Z', { output: 'timestamp' }))).toBe('2024-03-01T10:00:00.000Z'); // HubSpot ISO
    expect(value(parseDate('2024-06-30'))).toBe('2024-06-30'); // monday
  });
  it('decides day/month order from the samples', () => {
    expect(detectDateFormat(['03/04/2024', '13/04/2024'])).toMatchObject({ format: 'DD/MM/YYYY', ambiguous: false });
    expect(detectDateFormat(['03/04/2024', '04/15/2024'])).toMatchObject({ format: 'MM/DD/YYYY', ambiguous: false });
    expect(detectDateFormat(['03/04/2024', '05/06/2024'])).toMatchObject({ ambiguous: true });
    expect(detectDateFormat(['13.04.1980'])).toMatchObject({ format: 'DD.MM.YYYY' });
    expect(value(parseDate('03/04/2024', { format: 'DD/MM/YYYY' }))).toBe('2024-04-03');
    expect(value(parseDate('03/04/2024', { format: 'MM/DD/YYYY' }))).toBe('2024-03-04');
  });
  it('refuses to guess an ambiguous date without a format, and rejects impossible dates', () => {
    expect(parseDate('03/04/2024').ok).toBe(false);
    expect(parseDate('31/02/2024', { format: 'DD/MM/YYYY' }).ok).toBe(false);
    expect(parseDate('not a date').ok).toBe(false);
  });
  it('reads month names and two-digit years', () => {
    expect(value(parseDate('5 March 2024'))).toBe('2024-03-05');
    expect(value(parseDate('Mar 5, 2024'))).toBe('2024-03-05');
    expect(value(parseDate('05/03/24', { format: 'DD/MM/YYYY' }))).toBe('2024-03-05');
    expect(value(parseDate('1/2/2024 3:05 PM', { format: 'MM/DD/YYYY', output: 'timestamp' }))).toBe('2024-01-02T15:05:00.000Z');
  });
});

describe('numbers and money', () => {
  it.each([
    ['$1,234.56', 1234.56, 'USD'],
    ['1.234,56 €', 1234.56, 'EUR'],
    ['1 234,56', 1234.56, null],
    ["1'234.50", 1234.5, null],
    ['12k', 12000, null],
    ['1.5M', 1_500_000, null],
    ['-5', -5, null],
    ['R$ 5.000,00', 5000, 'BRL'],
  ])('%s', (text, amount, currency) => {
    expect(value(parseMoney(text))).toEqual({ amount, currency });
  });
  it('reads (1,234) as negative once the decimal separator is known', () => {
    expect(value(parseNumber('(1,234)', { decimal: '.' }))).toBe(-1234);
    expect(value(parseNumber('1,234', { decimal: ',' }))).toBe(1.234);
  });
  it('fails on ambiguous or non-numbers instead of guessing', () => {
    expect(parseNumber('1,234').ok).toBe(false);
    expect(parseNumber('12m').ok).toBe(false);
    expect(parseNumber('abc').ok).toBe(false);
    expect(parseNumber('2.5', { integer: true }).ok).toBe(false);
  });
  it('detects the decimal separator of a column', () => {
    expect(detectNumberFormat(['1.234,56', '12,5', '3'])).toMatchObject({ decimal: ',', ambiguous: false });
    expect(detectNumberFormat(['1,234.56', '7'])).toMatchObject({ decimal: '.', ambiguous: false });
    expect(detectNumberFormat(['1,234'])).toMatchObject({ ambiguous: true });
  });
  it('percentages, including 0..1 fractions', () => {
    expect(value(parsePercent('45%'))).toBe(45);
    expect(value(parsePercent('0.25', { fraction: true }))).toBe(25);
    expect(parsePercent('150').ok).toBe(false);
  });
});

describe('phoneE164', () => {
  it('formats national and international numbers', () => {
    expect(value(phoneE164('(415) 555-2671', { defaultCountry: 'US' }))).toBe('+14155552671');
    expect(value(phoneE164('030 1234567', { defaultCountry: 'DE' }))).toBe('+49301234567');
    expect(value(phoneE164('+44 20 7946 0958'))).toBe('+442079460958');
    expect(value(phoneE164('0044 20 7946 0958'))).toBe('+442079460958');
  });
  it('keeps the original when it cannot be parsed, and says why', () => {
    const r = phoneE164('12', { defaultCountry: 'US' });
    expect(r).toMatchObject({ ok: false, fallback: '12' });
    const noCountry = phoneE164('030 1234567');
    expect(noCountry.ok).toBe(false);
    if (!noCountry.ok) expect(noCountry.reason).toMatch(/no country code/);
  });
});

describe('e-mail, country, currency, boolean, URL', () => {
  it('lower-cases and validates e-mails', () => {
    expect(value(lowercaseEmail(' Jane.DOE@Example.COM '))).toBe('jane.doe@example.com');
    expect(value(lowercaseEmail('Jane <J@X.io>'))).toBe('j@x.io');
    expect(lowercaseEmail('a@b.com; c@d.com')).toMatchObject({ ok: true, value: 'a@b.com', warning: expect.stringMatching(/first/) });
    expect(lowercaseEmail('nope').ok).toBe(false);
  });
  it.each([
    ['Deutschland', 'DE'], ['España', 'ES'], ['États-Unis', 'US'], ['USA', 'US'], ['UK', 'GB'], ['Great Britain', 'GB'], ['Brasil', 'BR'],
    ['Schweiz', 'CH'], ['Nederland', 'NL'], ['Italia', 'IT'], ['de', 'DE'], ['FRA', 'FR'], ['Turkey', 'TR'],
  ])('country %s → %s', (name, code) => {
    expect(value(normaliseCountry(name))).toBe(code);
  });
  it('rejects unknown countries', () => expect(normaliseCountry('Narnia').ok).toBe(false));
  it('currencies', () => {
    expect(value(normaliseCurrency('eur'))).toBe('EUR');
    expect(value(normaliseCurrency('€'))).toBe('EUR');
    expect(normaliseCurrency('XYZ').ok).toBe(false);
  });
  it.each([['yes', true], ['no', false], ['ja', true], ['nein', false], ['oui', true], ['non', false], ['sí', true], ['1', true], ['0', false], ['TRUE', true]])(
    'boolean %s',
    (text, b) => expect(value(parseBoolean(text))).toBe(b),
  );
  it('urls and domains', () => {
    expect(value(normaliseUrl('acme.com'))).toBe('https://acme.com');
    expect(value(extractDomain('https://www.Acme.com/x'))).toBe('acme.com');
    expect(value(extractDomain('jane@acme.co.uk'))).toBe('acme.co.uk');
    expect(normaliseUrl('not a url').ok).toBe(false);
  });
});

describe('value maps and applyTransform', () => {
  it('maps picklist values ignoring case and punctuation; unmapped values fail', () => {
    const values = { closedwon: 'won', 'Closed Lost': 'lost' };
    expect(value(applyValueMap('Closed Won', values))).toBe('won');
    expect(value(applyValueMap('closed-lost', values))).toBe('lost');
    expect(applyValueMap('pending', values).ok).toBe(false);
  });
  it('dispatches on the transform kind', () => {
    expect(value(applyTransform({ kind: 'splitFullName' }, 'Jane Doe'))).toEqual({ firstName: 'Jane', lastName: 'Doe' });
    expect(value(applyTransform({ kind: 'parseNumber', decimal: ',' }, '1.234,5'))).toBe(1234.5);
    expect(value(applyTransform({ kind: 'country' }, 'Germany'))).toBe('DE');
    expect(value(applyTransform({ kind: 'phoneE164', defaultCountry: 'US' }, ''))).toBeNull();
  });
});
