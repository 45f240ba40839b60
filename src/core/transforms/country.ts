/**
 * Country names and codes to ISO 3166-1 alpha-2. Names come from the runtime's ICU data
 * (Intl.DisplayNames) in English, German, French, Spanish, Portuguese, Italian and Dutch, so
 * "Deutschland", "Allemagne" and "Alemania" all give DE; alpha-3 codes and common aliases are listed here.
 */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

// ISO 3166-1 alpha-2 (officially assigned) plus XK (Kosovo, user-assigned but in common use).
const ALPHA2 = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG ' +
  'CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM ' +
  'GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ ' +
  'OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC ' +
  'TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK'
).split(' ');

// Alpha-3 codes of the countries most CRM files mention (ISO 3166-1).
const ALPHA3: Record<string, string> = {
  USA: 'US', GBR: 'GB', DEU: 'DE', FRA: 'FR', ESP: 'ES', PRT: 'PT', ITA: 'IT', NLD: 'NL', BEL: 'BE', LUX: 'LU', CHE: 'CH', AUT: 'AT',
  IRL: 'IE', DNK: 'DK', SWE: 'SE', NOR: 'NO', FIN: 'FI', ISL: 'IS', POL: 'PL', CZE: 'CZ', SVK: 'SK', HUN: 'HU', ROU: 'RO', BGR: 'BG',
  GRC: 'GR', HRV: 'HR', SVN: 'SI', SRB: 'RS', EST: 'EE', LVA: 'LV', LTU: 'LT', UKR: 'UA', RUS: 'RU', TUR: 'TR', ISR: 'IL', ARE: 'AE',
  SAU: 'SA', QAT: 'QA', EGY: 'EG', ZAF: 'ZA', NGA: 'NG', KEN: 'KE', MAR: 'MA', IND: 'IN', PAK: 'PK', CHN: 'CN', HKG: 'HK', TWN: 'TW',
  JPN: 'JP', KOR: 'KR', SGP: 'SG', MYS: 'MY', THA: 'TH', VNM: 'VN', PHL: 'PH', IDN: 'ID', AUS: 'AU', NZL: 'NZ', CAN: 'CA', MEX: 'MX',
  BRA: 'BR', ARG: 'AR', CHL: 'CL', COL: 'CO', PER: 'PE', URY: 'UY', VEN: 'VE', CRI: 'CR', PAN: 'PA', MLT: 'MT', CYP: 'CY',
};

const ALIASES: Record<string, string> = {
  us: 'US', usa: 'US', 'u s': 'US', 'u s a': 'US', america: 'US', 'united states of america': 'US', 'the united states': 'US', 'the us': 'US',
  uk: 'GB', 'u k': 'GB', 'great britain': 'GB', britain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB',
  'united kingdom of great britain and northern ireland': 'GB', 'grossbritannien': 'GB', 'inglaterra': 'GB', 'angleterre': 'GB',
  holland: 'NL', 'the netherlands': 'NL', 'nederland': 'NL', 'russian federation': 'RU', russia: 'RU', 'south korea': 'KR', korea: 'KR',
  'republic of korea': 'KR', 'north korea': 'KP', 'czech republic': 'CZ', 'ivory coast': 'CI', 'cote divoire': 'CI', uae: 'AE', emirates: 'AE',
  'vatican city': 'VA', vatican: 'VA', macedonia: 'MK', burma: 'MM', swaziland: 'SZ', 'cape verde': 'CV', 'east timor': 'TL', turkey: 'TR',
  'mainland china': 'CN', prc: 'CN', 'peoples republic of china': 'CN', 'hong kong sar': 'HK', 'hong kong sar china': 'HK', 'republic of ireland': 'IE',
  'deutschland brd': 'DE', brd: 'DE', 'viet nam': 'VN', 'the philippines': 'PH', 'kingdom of saudi arabia': 'SA', ksa: 'SA', 'bosnia': 'BA',
  'congo kinshasa': 'CD', 'drc': 'CD', 'congo brazzaville': 'CG', 'slovak republic': 'SK', 'schweiz': 'CH', 'suisse': 'CH', 'svizzera': 'CH',
};

const LOCALES = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl'];
let byName: Map<string, string> | undefined;

/** Lower-case, accents and punctuation removed: "États-Unis" → "etats unis". */
export function countryKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.'’`,()]/g, '')
    .replace(/[-_/]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

function names(): Map<string, string> {
  if (byName) return byName;
  const map = new Map<string, string>();
  for (const locale of LOCALES) {
    let display: Intl.DisplayNames;
    try {
      display = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      continue; // a runtime without that locale's data still has the English names and aliases
    }
    for (const code of ALPHA2) {
      const name = display.of(code);
      if (name && name !== code) {
        const key = countryKey(name);
        if (!map.has(key)) map.set(key, code);
      }
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) map.set(countryKey(alias), code);
  byName = map;
  return map;
}

/** The ISO 3166-1 alpha-2 code of a country name or code, or undefined. */
export function countryCode(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 80) return undefined;
  const upper = trimmed.toUpperCase().replace(/\./g, '');
  if (upper.length === 2 && ALPHA2.includes(upper)) return upper === 'UK' ? 'GB' : upper;
  if (upper === 'UK') return 'GB';
  if (upper.length === 3 && ALPHA3[upper]) return ALPHA3[upper];
  return names().get(countryKey(trimmed));
}

/** Normalise a country to ISO 3166-1 alpha-2 ("Deutschland" → "DE", "USA" → "US"). */
export function normaliseCountry(raw: RawValue): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  const code = countryCode(String(raw));
  return code ? ok(code) : fail(`${show(raw)} is not a country name or code we know.`);
}
