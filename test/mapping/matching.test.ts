import { describe, expect, it } from 'vitest';
import { jaroWinkler, normalizeName, profileValues, tokenSetSimilarity, trigramSimilarity } from '../../src/core/mapping/index.js';

describe('normalizeName', () => {
  it.each([
    ['MailingStreet', 'mailing street'],
    ['mailing_street', 'mailing street'],
    ['Person - Mailing street', 'person mailing street'],
    ['E-Mail-Adresse', 'email adresse'],
    ['Téléphone', 'telephone'],
    ['Código postal', 'codigo postal'],
    ['AccountID', 'account id'],
    ['hs_lead_status', 'hs lead status'],
    ['First_Name', 'first name'],
    ['Customer_Tier__c', 'customer tier'],
    ['Tel.', 'phone'],
    ['Addr 1', 'address 1'],
    ['DOB', 'birth date'],
    ['No. of Employees', 'number employees'],
    ['closedate', 'close date'],
    ['numberofemployees', 'number employees'],
    ['LinkedIn URL', 'linkedin url'],
    ["Chiffre d'affaires", 'chiffre affaires'],
  ])('%s → %s', (raw, key) => {
    expect(normalizeName(raw).key).toBe(key);
  });
  it('flags Salesforce custom fields', () => {
    expect(normalizeName('Region__c').custom).toBe(true);
    expect(normalizeName('Region').custom).toBe(false);
  });
});

describe('similarity', () => {
  it('Jaro-Winkler', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('same', 'same')).toBe(1);
    expect(jaroWinkler('abc', '')).toBe(0);
    expect(jaroWinkler('telephone', 'telphone')).toBeGreaterThan(0.9);
  });
  it('trigrams and token sets', () => {
    expect(trigramSimilarity('address', 'adress')).toBeGreaterThan(0.5);
    expect(trigramSimilarity('email', 'country')).toBeLessThan(0.2);
    expect(tokenSetSimilarity(['mailing', 'city'], ['city'])).toBe(0.5);
    expect(tokenSetSimilarity(['a'], [])).toBe(0);
  });
});

describe('value detectors', () => {
  const top = (samples: string[]) => profileValues(samples).share;
  it.each([
    ['email', ['jane@acme.com', 'bob@x.io']],
    ['phone', ['+1 (415) 555-2671', '030 1234567']],
    ['url', ['https://acme.com', 'www.globex.com']],
    ['linkedin', ['https://www.linkedin.com/in/ada']],
    ['domain', ['acme.com', 'globex.co.uk']],
    ['date', ['2024-03-01', '13/04/2024']],
    ['datetime', ['2013-05-20T20:49:32.000+0000', '1709287200000']],
    ['number', ['1,234.56', '7']],
    ['money', ['$1,200.00', '€950']],
    ['currency', ['USD', 'EUR', 'GBP']],
    ['country', ['Germany', 'España', 'USA']],
    ['postalCode', ['SW1A 1AA', '1012 LG', '94105-1234']],
    ['boolean', ['yes', 'no', 'ja']],
    ['id', ['0035g00000AbCdEAAZ', '3f2504e0-4f89-11d3-9a0c-0305e82c3301']],
    ['personName', ['Jane Doe', 'Ana María López']],
    ['dealStage', ['appointmentscheduled', 'closedwon', 'Prospecting']],
    ['activityType', ['Call', 'Meeting', 'deadline']],
    ['lifecycle', ['subscriber', 'marketingqualifiedlead']],
  ])('%s', (kind, samples) => {
    expect(top(samples)[kind as keyof ReturnType<typeof top>]).toBeGreaterThanOrEqual(0.99);
  });
  it('does not take words for numbers, countries or e-mails', () => {
    const s = top(['red', 'blue', 'green']);
    expect(s.number + s.country + s.email + s.date).toBe(0);
  });
  it('reads at most 100 samples, each cut to 256 characters', () => {
    const p = profileValues(Array.from({ length: 500 }, () => 'x'.repeat(20_000)));
    expect(p.count).toBe(100);
    expect(p.values[0]!.length).toBe(256);
  });
});
