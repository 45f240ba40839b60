/**
 * Lookup tables for the world generator: people's names in many scripts (each with an ASCII form for
 * e-mail addresses), cities, streets and phone formats per country. Plain data, built once at load.
 */

/** A name as written, and an ASCII form for e-mail local parts and domains. */
export type Name = readonly [display: string, ascii: string];

export interface Locale {
  readonly code: string;
  readonly country: string;
  readonly countryCode: string;
  /** Family name first when displayed as a full name (zh, ja). */
  readonly familyFirst: boolean;
  readonly firstNames: readonly Name[];
  readonly lastNames: readonly Name[];
  readonly cities: ReadonlyArray<readonly [city: string, state: string, postalPattern: string]>;
  readonly streets: readonly string[];
  /** `{n}` is the house number; `{s}` the street. */
  readonly streetFormat: string;
  /** `#` becomes a digit. */
  readonly phoneFormats: readonly string[];
  readonly tld: string;
  readonly companySuffixes: readonly string[];
  /** Relative share of generated people. */
  readonly weight: number;
}

const n = (display: string, ascii?: string): Name => [display, (ascii ?? display).toLowerCase().replace(/[^a-z0-9]+/g, '')];

export const LOCALES: readonly Locale[] = [
  {
    code: 'en-US', country: 'United States', countryCode: 'US', familyFirst: false, weight: 30,
    firstNames: [n('James'), n('Mary'), n('Robert'), n('Patricia'), n('Michael'), n('Jennifer'), n('Ada'), n('Zoë', 'zoe'), n('DeShawn', 'deshawn'), n('Mary-Kate', 'marykate'), n('Chloé', 'chloe'), n('Liam')],
    lastNames: [n('Smith'), n('Johnson'), n('Williams'), n('Brown'), n("O'Brien", 'obrien'), n('Lovelace'), n('García-Lopez', 'garcialopez'), n('Nguyen'), n('Van Buren', 'vanburen'), n('Miller'), n('Davis'), n('McAllister', 'mcallister')],
    cities: [['New York', 'NY', '100##'], ['San Francisco', 'CA', '941##'], ['Austin', 'TX', '787##'], ['Chicago', 'IL', '606##'], ['Boston', 'MA', '021##'], ['Seattle', 'WA', '981##']],
    streets: ['Main St', 'Market Street', 'Broadway', '5th Avenue', 'Elm St., Suite 400', 'Mission St'],
    streetFormat: '{n} {s}',
    phoneFormats: ['+1 (###) 555-####', '###.555.####', '(###) 555-####', '+1-###-555-####', '###-555-#### x###', '1###555####'],
    tld: 'com', companySuffixes: ['Inc.', 'LLC', 'Corp.', 'Co.', ''],
  },
  {
    code: 'en-GB', country: 'United Kingdom', countryCode: 'GB', familyFirst: false, weight: 8,
    firstNames: [n('Oliver'), n('Amelia'), n('Harry'), n('Isla'), n('Siobhán', 'siobhan'), n('Rhys')],
    lastNames: [n('Taylor'), n('Jones'), n('Evans'), n('Wilson'), n("O'Connor", 'oconnor'), n('Smythe-Jones', 'smythejones')],
    cities: [['London', 'Greater London', 'EC# #AB'], ['Manchester', 'Greater Manchester', 'M# #XY'], ['Edinburgh', 'Scotland', 'EH# #QQ']],
    streets: ['High Street', 'King’s Road', 'Baker Street', 'Church Lane'],
    streetFormat: '{n} {s}',
    phoneFormats: ['+44 20 #### ####', '020 #### ####', '07### ######', '+44 (0)161 ### ####'],
    tld: 'co.uk', companySuffixes: ['Ltd', 'PLC', 'LLP', '& Sons'],
  },
  {
    code: 'de-DE', country: 'Germany', countryCode: 'DE', familyFirst: false, weight: 8,
    firstNames: [n('Jürgen', 'juergen'), n('Lena'), n('Maximilian'), n('Sophie'), n('Björn', 'bjoern'), n('Änne', 'aenne')],
    lastNames: [n('Müller', 'mueller'), n('Schmidt'), n('Schneider'), n('Weiß', 'weiss'), n('Groß', 'gross'), n('Fischer')],
    cities: [['Berlin', 'Berlin', '10###'], ['München', 'Bayern', '80###'], ['Köln', 'Nordrhein-Westfalen', '50###']],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Lindenallee', 'Königsweg'],
    streetFormat: '{s} {n}',
    phoneFormats: ['+49 30 ########', '030 ########', '+49 (0)89 #######', '+49-171-#######'],
    tld: 'de', companySuffixes: ['GmbH', 'AG', 'GmbH & Co. KG', 'e.K.'],
  },
  {
    code: 'fr-FR', country: 'France', countryCode: 'FR', familyFirst: false, weight: 6,
    firstNames: [n('Zoé', 'zoe'), n('Étienne', 'etienne'), n('Françoise', 'francoise'), n('Hélène', 'helene'), n('Jean-Luc', 'jeanluc'), n('Noël', 'noel')],
    lastNames: [n('Dubois'), n('Lefèvre', 'lefevre'), n('Moreau'), n('Girard'), n("D'Artagnan", 'dartagnan'), n('Bénard', 'benard')],
    cities: [['Paris', 'Île-de-France', '750##'], ['Lyon', 'Auvergne-Rhône-Alpes', '6900#'], ['Marseille', "Provence-Alpes-Côte d'Azur", '130##']],
    streets: ['rue de la Paix', 'avenue des Champs-Élysées', 'boulevard Saint-Germain', 'place de l’Église'],
    streetFormat: '{n} {s}',
    phoneFormats: ['+33 1 ## ## ## ##', '01 ## ## ## ##', '+33 (0)6 ## ## ## ##'],
    tld: 'fr', companySuffixes: ['SA', 'SARL', 'SAS'],
  },
  {
    code: 'es-ES', country: 'Spain', countryCode: 'ES', familyFirst: false, weight: 6,
    firstNames: [n('José', 'jose'), n('María', 'maria'), n('Álvaro', 'alvaro'), n('Lucía', 'lucia'), n('Iñaki', 'inaki'), n('Begoña', 'begona')],
    lastNames: [n('García', 'garcia'), n('Fernández', 'fernandez'), n('Muñoz', 'munoz'), n('Núñez', 'nunez'), n('de la Fuente', 'delafuente'), n('López', 'lopez')],
    cities: [['Madrid', 'Madrid', '280##'], ['Barcelona', 'Cataluña', '080##'], ['Sevilla', 'Andalucía', '410##']],
    streets: ['Calle Mayor', 'Gran Vía', 'Paseo de la Castellana', 'Avenida de España'],
    streetFormat: '{s}, {n}',
    phoneFormats: ['+34 91 ### ## ##', '91 ### ## ##', '+34 6## ### ###'],
    tld: 'es', companySuffixes: ['S.A.', 'S.L.'],
  },
  {
    code: 'pt-BR', country: 'Brazil', countryCode: 'BR', familyFirst: false, weight: 5,
    firstNames: [n('João', 'joao'), n('Ana'), n('Luís', 'luis'), n('Conceição', 'conceicao'), n('Thiago'), n('Bárbara', 'barbara')],
    lastNames: [n('Silva'), n('Gonçalves', 'goncalves'), n('Araújo', 'araujo'), n('Pereira'), n('Magalhães', 'magalhaes')],
    cities: [['São Paulo', 'SP', '01###-###'], ['Rio de Janeiro', 'RJ', '20###-###'], ['Belo Horizonte', 'MG', '30###-###']],
    streets: ['Avenida Paulista', 'Rua Augusta', 'Rua das Flores'],
    streetFormat: '{s}, {n}',
    phoneFormats: ['+55 (11) 9####-####', '(11) 9####-####', '+55 21 ####-####'],
    tld: 'com.br', companySuffixes: ['Ltda.', 'S.A.', 'ME'],
  },
  {
    code: 'pl-PL', country: 'Poland', countryCode: 'PL', familyFirst: false, weight: 4,
    firstNames: [n('Łukasz', 'lukasz'), n('Małgorzata', 'malgorzata'), n('Paweł', 'pawel'), n('Zofia'), n('Wojciech')],
    lastNames: [n('Kowalski'), n('Wiśniewska', 'wisniewska'), n('Wójcik', 'wojcik'), n('Żółkiewski', 'zolkiewski'), n('Nowak')],
    cities: [['Warszawa', 'mazowieckie', '00-###'], ['Kraków', 'małopolskie', '30-###'], ['Gdańsk', 'pomorskie', '80-###']],
    streets: ['ul. Marszałkowska', 'ul. Długa', 'al. Jerozolimskie'],
    streetFormat: '{s} {n}',
    phoneFormats: ['+48 22 ### ## ##', '+48 5## ### ###', '22 ###-##-##'],
    tld: 'pl', companySuffixes: ['sp. z o.o.', 'S.A.'],
  },
  {
    code: 'ru-RU', country: 'Russia', countryCode: 'RU', familyFirst: false, weight: 4,
    firstNames: [n('Ольга', 'olga'), n('Дмитрий', 'dmitry'), n('Анна', 'anna'), n('Сергей', 'sergey'), n('Наталья', 'natalya')],
    lastNames: [n('Иванова', 'ivanova'), n('Смирнов', 'smirnov'), n('Кузнецова', 'kuznetsova'), n('Попов', 'popov'), n('Соколова', 'sokolova')],
    cities: [['Москва', 'Москва', '1#####'], ['Санкт-Петербург', 'Санкт-Петербург', '19####'], ['Новосибирск', 'Новосибирская область', '630###']],
    streets: ['ул. Тверская', 'Невский проспект', 'ул. Ленина'],
    streetFormat: '{s}, д. {n}',
    phoneFormats: ['+7 (495) ###-##-##', '8 495 ###-##-##', '+7 9## ###-##-##'],
    tld: 'ru', companySuffixes: ['ООО', 'АО'],
  },
  {
    code: 'zh-CN', country: 'China', countryCode: 'CN', familyFirst: true, weight: 5,
    firstNames: [n('伟', 'wei'), n('芳', 'fang'), n('娜', 'na'), n('静', 'jing'), n('强', 'qiang'), n('秀英', 'xiuying')],
    lastNames: [n('王', 'wang'), n('李', 'li'), n('张', 'zhang'), n('刘', 'liu'), n('陈', 'chen'), n('欧阳', 'ouyang')],
    cities: [['北京', '北京市', '100###'], ['上海', '上海市', '200###'], ['深圳', '广东省', '518###']],
    streets: ['长安街', '南京路', '深南大道'],
    streetFormat: '{s}{n}号',
    phoneFormats: ['+86 10 #### ####', '+86 138 #### ####', '010-########'],
    tld: 'cn', companySuffixes: ['有限公司', '集团', 'Co., Ltd.'],
  },
  {
    code: 'ja-JP', country: 'Japan', countryCode: 'JP', familyFirst: true, weight: 4,
    firstNames: [n('翔太', 'shota'), n('さくら', 'sakura'), n('大輔', 'daisuke'), n('美咲', 'misaki')],
    lastNames: [n('佐藤', 'sato'), n('鈴木', 'suzuki'), n('高橋', 'takahashi'), n('渡辺', 'watanabe')],
    cities: [['東京', '東京都', '1##-####'], ['大阪', '大阪府', '5##-####'], ['横浜', '神奈川県', '2##-####']],
    streets: ['渋谷', '銀座', '梅田'],
    streetFormat: '{s}{n}-2-3',
    phoneFormats: ['+81 3-####-####', '03-####-####', '090-####-####'],
    tld: 'jp', companySuffixes: ['株式会社', 'K.K.', '合同会社'],
  },
  {
    code: 'ar-AE', country: 'United Arab Emirates', countryCode: 'AE', familyFirst: false, weight: 4,
    firstNames: [n('محمد', 'mohammed'), n('فاطمة', 'fatima'), n('أحمد', 'ahmed'), n('ليلى', 'layla'), n('Mohammed'), n('Aisha')],
    lastNames: [n('العلي', 'alali'), n('الهاشمي', 'alhashimi'), n('Al-Mansoori', 'almansoori'), n('حداد', 'haddad')],
    cities: [['دبي', 'دبي', '#####'], ['Abu Dhabi', 'Abu Dhabi', '#####']],
    streets: ['شارع الشيخ زايد', 'Al Wasl Road', 'Corniche Road'],
    streetFormat: '{n} {s}',
    phoneFormats: ['+971 4 ### ####', '+971 50 ### ####', '04-#######'],
    tld: 'ae', companySuffixes: ['LLC', 'FZE', 'ذ.م.م'],
  },
  {
    code: 'hi-IN', country: 'India', countryCode: 'IN', familyFirst: false, weight: 6,
    firstNames: [n('Aarav'), n('Priya'), n('राहुल', 'rahul'), n('Ananya'), n('Vikram'), n('Saanvi')],
    lastNames: [n('Sharma'), n('Patel'), n('शर्मा', 'sharma'), n('Iyer'), n('Reddy'), n('Gupta')],
    cities: [['Bengaluru', 'Karnataka', '560###'], ['Mumbai', 'Maharashtra', '400###'], ['नई दिल्ली', 'Delhi', '110###']],
    streets: ['MG Road', 'Linking Road', 'Brigade Road'],
    streetFormat: '{n}, {s}',
    phoneFormats: ['+91 98### #####', '+91-80-########', '098########'],
    tld: 'in', companySuffixes: ['Pvt. Ltd.', 'Ltd.', 'LLP'],
  },
  {
    code: 'tr-TR', country: 'Türkiye', countryCode: 'TR', familyFirst: false, weight: 3,
    firstNames: [n('Çağlar', 'caglar'), n('Şule', 'sule'), n('Gökhan', 'gokhan'), n('İrem', 'irem')],
    lastNames: [n('Yılmaz', 'yilmaz'), n('Öztürk', 'ozturk'), n('Şahin', 'sahin'), n('Kılıç', 'kilic')],
    cities: [['İstanbul', 'İstanbul', '34###'], ['Ankara', 'Ankara', '06###']],
    streets: ['İstiklal Caddesi', 'Bağdat Caddesi'],
    streetFormat: '{s} No: {n}',
    phoneFormats: ['+90 212 ### ## ##', '0532 ### ## ##'],
    tld: 'com.tr', companySuffixes: ['A.Ş.', 'Ltd. Şti.'],
  },
  {
    code: 'sv-SE', country: 'Sweden', countryCode: 'SE', familyFirst: false, weight: 3,
    firstNames: [n('Åsa', 'asa'), n('Björn', 'bjorn'), n('Märta', 'marta'), n('Lars')],
    lastNames: [n('Johansson'), n('Ångström', 'angstrom'), n('Lindqvist'), n('Öberg', 'oberg')],
    cities: [['Stockholm', 'Stockholms län', '1## ##'], ['Göteborg', 'Västra Götaland', '4## ##']],
    streets: ['Drottninggatan', 'Kungsgatan', 'Storgatan'],
    streetFormat: '{s} {n}',
    phoneFormats: ['+46 8 ### ### ##', '08-### ### ##', '070-### ## ##'],
    tld: 'se', companySuffixes: ['AB', 'HB'],
  },
];

/** Words for company names; some carry CSV-hostile characters on purpose. */
export const COMPANY_WORDS: readonly Name[] = [
  n('Acme'), n('Globex'), n('Initech'), n('Umbrella'), n('Nordwind'), n('Blue Harbor', 'blueharbor'), n('Summit'),
  n('Zenith'), n('Ørsted Labs', 'orstedlabs'), n('Bäckerei Schön', 'baeckereischoen'), n('Crème & Co', 'cremeandco'),
  n('"Best" Widgets', 'bestwidgets'), n('Smith, Jones & Partners', 'smithjones'), n('Café Olé', 'cafeole'),
  n('Northwind'), n('Contoso'), n('Fabrikam'), n('Tailspin'), n('Wide World', 'wideworld'), n('Lumen'),
  n('Polaris'), n('Helix'), n('Vertex'), n('Quantum'), n('星辰科技', 'xingchen'), n('Созвездие', 'sozvezdie'),
  n('Δέλτα', 'delta'), n('Kōbō', 'kobo'), n('Straße & Weg', 'strasseweg'), n('O\'Malley\'s', 'omalleys'),
];

export const FREE_MAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'gmx.de', 'web.de', 'yandex.ru', 'qq.com', 'icloud.com', 'proton.me'];

export const INDUSTRIES = [
  'Software', 'Manufacturing', 'Financial Services', 'Healthcare', 'Retail', 'Education', 'Construction',
  'Telecommunications', 'Media & Entertainment', 'Transportation, Logistics', 'Energy', 'Hospitality', 'Non-profit',
];

export const TITLES = [
  'CEO', 'CTO', 'VP of Sales', 'Head of Marketing', 'Sales Manager', 'Account Executive', 'Software Engineer',
  'Procurement Lead', 'Office Manager', 'Directeur Général', 'Geschäftsführer', 'Jefa de Compras', 'Director, EMEA',
  'Senior Analyst "Growth"', '', '',
];

export const DEPARTMENTS = ['Sales', 'Marketing', 'Engineering', 'Finance', 'Operations', 'Procurement', 'HR', 'Legal', ''];

/** Sentences for descriptions and activity bodies: commas, quotes, newlines, emoji and accents on purpose. */
export const SENTENCES = [
  'Met at the trade show, interested in the enterprise plan.',
  'Asked for a "proper" quote, with volume discounts.',
  'Follow up next week;\nthey are reviewing budgets.',
  'Décision attendue fin du trimestre.',
  'Needs SSO, SCIM and an on-prem option.',
  'Champion left the company — find a new contact.',
  'Preis zu hoch, Wettbewerber bietet 20 % weniger.',
  'Call went well 👍 sending the contract.',
  'Customer said: "we\'ll sign if legal approves", eta Friday.',
  'Multi-line note:\n- item one\n- item two, with comma\r\n- item three',
  '客户要求提供中文合同。',
  'Клиент просит скидку, обсудить с руководством.',
  'يرغب العميل في عرض توضيحي الأسبوع المقبل.',
  'Renewal risk: usage dropped 40% since Q2.',
  'Tab\tseparated\tvalues pasted from a spreadsheet.',
  'Left voicemail; no answer.',
];

/** About 64 kB of text to slice very long descriptions from (no per-record concatenation of kilobytes). */
export const LONG_TEXT: string = (() => {
  let s = '';
  for (let k = 0; s.length < 65_536; k++) s += `${SENTENCES[k % SENTENCES.length]} [${k}] `;
  return s;
})();

export const OWNER_NAMES: readonly (readonly [first: string, last: string, timeZone: string])[] = [
  ['Patricia', 'Boyle', 'America/New_York'],
  ['Ahmed', 'Khan', 'Europe/London'],
  ['Sofía', 'Martínez', 'Europe/Madrid'],
  ['Kenji', 'Watanabe', 'Asia/Tokyo'],
  ['Lena', 'Hoffmann', 'Europe/Berlin'],
  ['Chidi', 'Okafor', 'Africa/Lagos'],
  ['Emma', 'Dubois', 'Europe/Paris'],
  ['Raj', 'Patel', 'Asia/Kolkata'],
];
