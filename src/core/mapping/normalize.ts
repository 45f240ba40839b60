/**
 * Header normalisation: one canonical token list for `MailingStreet`, `mailing_street`, `Mailing Street`,
 * `Person - Mailing street`, `E-Mail-Adresse` or `Téléphone`. Steps: split camelCase and separators,
 * strip accents, lower-case, drop Salesforce/Zoho custom suffixes (`__c`, `__s`), expand common
 * abbreviations (`tel`, `addr`, `zip`, `dob`, `co.`, `emp`), split glued words (`closedate`, `jobtitle`)
 * against the known vocabulary, and drop filler words (of, the, de, du, der, …).
 */

export interface NormalizedName {
  /** Lower-case tokens after expansion. */
  readonly tokens: readonly string[];
  /** Tokens joined by a space: the lookup key for synonyms and catalogues. */
  readonly key: string;
  /** Tokens joined without spaces (for character-level fuzzy matching). */
  readonly compact: string;
  /** The name carried a custom-field marker (Salesforce `__c`). */
  readonly custom: boolean;
}

// Abbreviations and glued forms people use in headers → the words the synonym tables use.
const EXPANSIONS: Record<string, string> = {
  tel: 'phone', tele: 'phone', telno: 'phone number', ph: 'phone', phn: 'phone', phone1: 'phone', fon: 'phone',
  mob: 'mobile', cell: 'mobile', cellphone: 'mobile phone', mobilephone: 'mobile phone', handynummer: 'handy nummer',
  addr: 'address', adr: 'address', add1: 'address 1', zip: 'zip', zipcode: 'zip code', postcode: 'postal code', postalcode: 'postal code',
  dob: 'birth date', bday: 'birth date', birthday: 'birth date', birthdate: 'birth date',
  co: 'company', coy: 'company', cie: 'company', emp: 'employees', emps: 'employees', employee: 'employees', staffcount: 'employee count',
  no: 'number', nr: 'number', num: 'number', nbr: 'number', nro: 'number', numero: 'number', qty: 'quantity',
  amt: 'amount', desc: 'description', descr: 'description', dept: 'department', org: 'organization', orgs: 'organization',
  organisation: 'organization', acct: 'account', acc: 'account', opp: 'opportunity', oppty: 'opportunity', opty: 'opportunity',
  fname: 'first name', lname: 'last name', firstname: 'first name', lastname: 'last name', fullname: 'full name',
  givenname: 'given name', familyname: 'family name', surname: 'surname', mail: 'email', emailaddress: 'email address',
  www: 'website', homepage: 'website', webpage: 'web page', web: 'web', url: 'url', linkedinurl: 'linkedin url',
  rev: 'revenue', prob: 'probability', pct: 'percent', perc: 'percent', ccy: 'currency', curr: 'currency', cur: 'currency',
  yr: 'year', mgr: 'manager', asst: 'assistant', ext: 'extension', info: 'information', st: 'st', str: 'strasse',
  createdate: 'create date', closedate: 'close date', dealname: 'deal name', dealstage: 'deal stage', dealtype: 'deal type',
  jobtitle: 'job title', numemployees: 'number employees', lifecyclestage: 'lifecycle stage', companyname: 'company name',
  phonenumber: 'phone number', lastmodifieddate: 'last modified date', annualrevenue: 'annual revenue', leadsource: 'lead source',
  duedate: 'due date', timestamp: 'timestamp', datetime: 'date time', createdat: 'created at', updatedat: 'updated at',
  id: 'id', ids: 'id', identifier: 'identifier', mobil: 'mobile', gsm: 'mobile', plz: 'postal code', cp: 'postal code', cep: 'postal code',
};

// Two tokens that mean one word: "e mail" (from E-Mail), "linked in" (from LinkedIn split on case).
const JOIN_PAIRS: Record<string, string> = { 'e mail': 'email', 'linked in': 'linkedin', 'web site': 'website', 'zip code': 'zip', 'post code': 'postal code', 'home page': 'website', 'i d': 'id', 'hub spot': 'hubspot', 'u r l': 'url', 'e mails': 'email', 'emails': 'email', 'phones': 'phone' };

// Filler words in English and the languages we read; they carry no meaning in a header.
const STOPWORDS = new Set(['the', 'of', 'a', 'an', 'de', 'del', 'della', 'di', 'da', 'do', 'dos', 'das', 'du', 'des', 'der', 'die', 'den', 'het', 'le', 'la', 'les', 'el', 'los', 'las', 'il', 'lo', 'd', 'l', 'y', 'e', 'et', 'und', 'en', 'your', 'my', 'our', 'its', 'is', 'per', 'in']);

let vocabulary: ReadonlySet<string> = new Set();
/** Words the compound splitter may use (registered by the synonym tables and catalogues). */
export function registerVocabulary(words: Iterable<string>): void {
  const next = new Set(vocabulary);
  for (const w of words) if (w.length >= 2) next.add(w);
  vocabulary = next;
}

/** Remove accents: "Téléphone" → "Telephone", "Straße" → "Strasse". */
export function stripAccents(text: string): string {
  return text.replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/ø/g, 'o').normalize('NFD').replace(/\p{M}+/gu, '');
}

/** Split on separators and camelCase, lower-cased, accents removed (no expansion). */
export function rawTokens(text: string): string[] {
  const cleaned = stripAccents(text.slice(0, 300))
    .replace(/__(c|s|r|pc|x|mdt|e)$/i, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-zA-Z])/g, '$1 $2')
    .toLowerCase();
  return cleaned.split(/[^a-z0-9]+/).filter(Boolean);
}

/** Normalise a header or label into tokens (see the module comment). */
export function normalizeName(text: string): NormalizedName {
  const custom = /__c$/i.test(text.trim());
  let tokens = rawTokens(text);
  tokens = joinPairs(tokens);
  const expanded: string[] = [];
  for (const t of tokens) {
    const exp = EXPANSIONS[t];
    if (exp) expanded.push(...exp.split(' '));
    else if (t.length >= 7 && !vocabulary.has(t)) expanded.push(...splitCompound(t));
    else expanded.push(t);
  }
  let out = joinPairs(expanded).filter((t) => !STOPWORDS.has(t));
  if (out.length === 0) out = expanded.length ? expanded : tokens;
  return { tokens: out, key: out.join(' '), compact: out.join(''), custom };
}

function joinPairs(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const pair = i + 1 < tokens.length ? `${tokens[i]} ${tokens[i + 1]}` : '';
    const joined = pair ? JOIN_PAIRS[pair] : undefined;
    if (joined) { out.push(...joined.split(' ')); i += 1; } else {
      const single = JOIN_PAIRS[tokens[i]!];
      out.push(...(single ? single.split(' ') : [tokens[i]!]));
    }
  }
  return out;
}

/** "closedate" → ["close", "date"] when both halves are known words; otherwise the word itself. */
function splitCompound(word: string): string[] {
  for (let i = word.length - 3; i >= 2; i -= 1) {
    const head = word.slice(0, i); const tail = word.slice(i);
    const headOk = vocabulary.has(head) || EXPANSIONS[head] !== undefined;
    if (!headOk) continue;
    const h = EXPANSIONS[head]?.split(' ') ?? [head];
    if (vocabulary.has(tail) || EXPANSIONS[tail] !== undefined) return [...h, ...(EXPANSIONS[tail]?.split(' ') ?? [tail])];
    const rest = tail.length >= 5 ? splitCompound(tail) : [tail];
    if (rest.length > 1) return [...h, ...rest];
  }
  return [word];
}
