/**
 * The deterministic sandbox world: record i of each entity is a pure function of (seed, i), so a sandbox can
 * serve a million records per object without holding any of them. Relations are derived by index too:
 * contact j belongs to account j mod accounts (10 % have none), so "a contact of account a" is computable
 * without a lookup table; deals and activities reuse those link functions to stay consistent.
 */
import { Rng, hash32, weighted } from '../rng.js';
import { ENTITY_TYPES } from '../../../src/core/ids.js';
import {
  COMPANY_WORDS, DEPARTMENTS, FREE_MAIL_DOMAINS, INDUSTRIES, LOCALES, LONG_TEXT, OWNER_NAMES, SENTENCES, TITLES,
  type Locale,
} from './locales.js';
import { CAMPAIGNS, COMPETITORS, CURRENCIES, CUSTOMER_TIERS, DEAL_STAGES, LEAD_SOURCES, PRODUCTS } from './catalog.js';
import type {
  ActivityType, Address, EntityType, RecordCounts, WorldAccount, WorldActivity, WorldContact, WorldDeal, WorldLead,
  WorldOwner, WorldRecordByEntity,
} from './types.js';

export interface WorldOptions {
  readonly seed: number;
  readonly counts: RecordCounts;
  /** Share of extra deleted records per entity (indices after the live ones). Default 0.01; at least 1 when count > 0. */
  readonly deletedRatio?: number;
}

/** Read-only access to generated records. Every accessor throws RangeError outside 0 ≤ i < total(entity). */
export interface World {
  readonly seed: number;
  /** Live records per entity. */
  readonly counts: Readonly<RecordCounts>;
  /** Deleted records per entity, at indices counts[e] … counts[e] + deletedCounts[e] - 1. */
  readonly deletedCounts: Readonly<RecordCounts>;
  readonly owners: readonly WorldOwner[];
  account(i: number): WorldAccount;
  contact(i: number): WorldContact;
  lead(i: number): WorldLead;
  deal(i: number): WorldDeal;
  activity(i: number): WorldActivity;
  get<E extends EntityType>(entity: E, i: number): WorldRecordByEntity[E];
  /** Live plus deleted records. */
  total(entity: EntityType): number;
}

/** The world's time span: records are created in [WORLD_START, WORLD_END). Fixed so output never depends on today. */
export const WORLD_START = Date.UTC(2018, 0, 1);
export const WORLD_END = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;

// One stream id per independent decision, so e.g. a contact's name can be derived without its other fields.
const S = {
  account: 1, accountName: 2, contact: 3, contactName: 4, contactLink: 5, contactFlags: 6,
  lead: 7, leadName: 8, leadFlags: 9, deal: 10, dealLink: 11, dealContact: 12, activity: 13, activityLink: 14,
} as const;

const pickLocale = weighted(LOCALES.map((l) => [l, l.weight] as const));
const pickActivityType = weighted<ActivityType>([['note', 25], ['task', 25], ['call', 20], ['meeting', 15], ['email', 15]]);
const pickCurrency = weighted<string>(CURRENCIES.map((c, k) => [c, k === 0 ? 12 : k === 1 ? 5 : 1] as const));
const ACCOUNT_TYPES = ['Customer', 'Prospect', 'Partner', 'Reseller', 'Other'] as const;
const LIFECYCLE = ['subscriber', 'lead', 'opportunity', 'customer', 'evangelist'] as const;
const LEAD_STATUS = ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const;
const EMAIL_PATTERNS = 4;
const SUBJECTS: Record<ActivityType, string> = { note: 'Note', task: 'Follow up', call: 'Call', meeting: 'Meeting', email: 'Re: proposal' };
const SUBJECT_TAILS = ['', ' — pricing', ', urgent', ' "Q3 review"', ' with procurement', ' 🚀'];

function slug(ascii: string): string {
  return ascii.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function fillDigits(rng: Rng, pattern: string): string {
  let out = '';
  for (let k = 0; k < pattern.length; k++) {
    const ch = pattern.charCodeAt(k);
    out += ch === 35 /* # */ ? String.fromCharCode(48 + (rng.next() % 10)) : pattern[k];
  }
  return out;
}

/**
 * Per-locale pools of phone numbers, streets and postal codes, built once on first use, so a record
 * picks strings instead of formatting them (generation must stay far above 20,000 records/s).
 */
interface LocalePools {
  readonly phones: readonly string[];
  readonly streets: readonly string[];
  readonly postals: readonly (readonly string[])[];
}
const POOL_SIZE = 1024;
const pools = new Map<Locale, LocalePools>();
function poolsOf(locale: Locale): LocalePools {
  let p = pools.get(locale);
  if (p === undefined) {
    const rng = new Rng(0x5eed ^ locale.countryCode.charCodeAt(0) * 257 ^ locale.countryCode.charCodeAt(1));
    const phones: string[] = [];
    const streets: string[] = [];
    for (let k = 0; k < POOL_SIZE; k++) phones.push(fillDigits(rng, rng.pick(locale.phoneFormats)));
    for (let k = 0; k < 256; k++) {
      streets.push(locale.streetFormat.replace('{n}', String(rng.int(1, 250))).replace('{s}', rng.pick(locale.streets)));
    }
    const postals = locale.cities.map(([, , pattern]) => Array.from({ length: 64 }, () => fillDigits(rng, pattern)));
    p = { phones, streets, postals };
    pools.set(locale, p);
  }
  return p;
}

function phone(rng: Rng, locale: Locale): string {
  return poolsOf(locale).phones[rng.next() % POOL_SIZE] as string;
}

function address(rng: Rng, locale: Locale): Address {
  const p = poolsOf(locale);
  const c = rng.next() % locale.cities.length;
  const [city, state] = locale.cities[c] as Locale['cities'][number];
  const blank = rng.bool(0.08);
  return {
    street: blank ? '' : (rng.pick(p.streets)),
    city,
    state: blank ? '' : state,
    postalCode: blank ? '' : rng.pick(p.postals[c] as readonly string[]),
    country: locale.country,
    countryCode: locale.countryCode,
  };
}

function description(rng: Rng, emptyShare: number): string {
  const r = rng.float();
  if (r < emptyShare) return '';
  if (r < emptyShare + 0.006) {
    // Very long text (10.5–40 kB): a slice of a shared string, so no per-record concatenation of kilobytes.
    const len = rng.int(10_500, 40_000);
    const start = rng.int(0, LONG_TEXT.length - len);
    return LONG_TEXT.slice(start, start + len);
  }
  const parts = rng.int(1, 3);
  let s = rng.pick(SENTENCES);
  for (let k = 1; k < parts; k++) s += ' ' + rng.pick(SENTENCES);
  return s;
}

function fullName(locale: Locale, first: string, last: string): string {
  if (!locale.familyFirst) return `${first} ${last}`;
  return locale.code === 'zh-CN' ? last + first : `${last} ${first}`;
}

/** Builds the world for a seed and counts. Cheap: only the owner list is materialised. */
export function createWorld(options: WorldOptions): World {
  const { seed } = options;
  const counts: RecordCounts = { ...options.counts };
  for (const e of ENTITY_TYPES) {
    const c = counts[e];
    if (!Number.isSafeInteger(c) || c < 0) throw new RangeError(`record count for ${e} must be a non-negative integer, got ${c}`);
  }
  const ratio = options.deletedRatio ?? 0.01;
  const deletedCounts = Object.fromEntries(
    ENTITY_TYPES.map((e) => [e, counts[e] === 0 || ratio <= 0 ? 0 : Math.max(1, Math.floor(counts[e] * ratio))]),
  ) as RecordCounts;
  const total = (e: EntityType): number => counts[e] + deletedCounts[e];

  const owners: WorldOwner[] = OWNER_NAMES.map(([firstName, lastName, timeZone], index) => ({
    index, firstName, lastName, name: `${firstName} ${lastName}`,
    email: `${slug(firstName.normalize('NFD'))}.${slug(lastName)}@sandbox-owner.example`,
    title: index === 0 ? 'Sales Director' : 'Account Executive', timeZone, active: index !== OWNER_NAMES.length - 1,
  }));

  function check(e: EntityType, i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= total(e)) throw new RangeError(`${e} index ${i} is outside 0..${total(e) - 1}`);
  }

  /** Scratch for the common fields: filled by `stamp`, copied field by field (no spread, no extra object). */
  const b = { ownerIndex: 0, createdAt: 0, updatedAt: 0, deleted: false, deletedAt: null as number | null };
  function stamp(rng: Rng, e: EntityType, i: number): void {
    const createdAt = rng.date(WORLD_START, WORLD_END - DAY);
    const f = rng.float();
    b.createdAt = createdAt;
    b.updatedAt = f < 0.3 ? createdAt : createdAt + Math.floor(f * f * (WORLD_END - createdAt));
    b.deleted = i >= counts[e];
    b.deletedAt = null;
    if (b.deleted) {
      b.deletedAt = Math.max(b.updatedAt, WORLD_END - rng.int(1, 25) * DAY);
      b.updatedAt = b.deletedAt; // deleting is the last modification (Salesforce SystemModstamp, HubSpot updatedAt)
    }
    b.ownerIndex = rng.int(0, owners.length - 1);
  }

  // ----- accounts -----
  function accountIdentity(a: number): { name: string; slug: string; domain: string; locale: Locale } {
    const rng = Rng.for(seed, S.accountName, a);
    const locale = pickLocale(rng);
    const [word, wordAscii] = rng.pick(COMPANY_WORDS);
    const [last, lastAscii] = rng.pick(locale.lastNames);
    const suffix = rng.pick(locale.companySuffixes);
    const p = rng.float();
    const [name, ascii] =
      p < 0.45 ? [`${word} ${suffix}`, wordAscii]
      : p < 0.75 ? [`${last} ${suffix}`, lastAscii]
      : p < 0.9 ? [`${word} ${rng.pick(INDUSTRIES)}`, wordAscii]
      : [`${last}, ${rng.pick(locale.lastNames)[0]} & Partners`, lastAscii];
    return { name: name.trim(), slug: ascii, domain: `${ascii}-${a.toString(36)}.${locale.tld}`, locale };
  }

  function account(i: number): WorldAccount {
    check('accounts', i);
    const rng = Rng.for(seed, S.account, i);
    stamp(rng, 'accounts', i);
    const id = accountIdentity(i);
    const noDomain = rng.bool(0.03);
    const employees = rng.bool(0.15) ? null : Math.floor(Math.exp(rng.float() * 11));
    const tierRoll = rng.float();
    return {
      index: i, ownerIndex: b.ownerIndex, createdAt: b.createdAt, updatedAt: b.updatedAt,
      deleted: b.deleted, deletedAt: b.deletedAt,
      name: id.name,
      domain: noDomain ? '' : id.domain,
      website: noDomain ? '' : rng.bool(0.7) ? `https://www.${id.domain}` : id.domain,
      industry: rng.bool(0.1) ? '' : rng.pick(INDUSTRIES),
      type: rng.pick(ACCOUNT_TYPES),
      phone: rng.bool(0.1) ? '' : phone(rng, id.locale),
      employees,
      annualRevenue: employees === null || rng.bool(0.2) ? null : employees * rng.int(50, 400) * 1000,
      description: description(rng, 0.35),
      linkedinUrl: rng.bool(0.5) ? `https://www.linkedin.com/company/${id.slug}-${i.toString(36)}` : '',
      address: address(rng, id.locale),
      custom: {
        customerTier: tierRoll < 0.3 ? null : CUSTOMER_TIERS[Math.floor((tierRoll - 0.3) / 0.175)] ?? 'Platinum',
        npsScore: rng.bool(0.4) ? null : rng.int(0, 10),
        renewalDate: rng.bool(0.5) ? null : Math.floor(rng.date(WORLD_START, WORLD_END + 365 * DAY) / DAY) * DAY,
        sla: rng.bool(0.3),
      },
    };
  }

  // ----- contacts -----
  /** Account of contact j: j mod accounts, except ~10 % with none. */
  function contactAccount(j: number): number | null {
    if (counts.accounts === 0 || hash32(seed, S.contactLink, j) % 100 < 10) return null;
    return j % counts.accounts;
  }

  type EmailKind = 'plain' | 'empty' | 'duplicate';
  function contactEmailKind(j: number): EmailKind {
    const u = hash32(seed, S.contactFlags, j) % 1000;
    return u < 40 ? 'empty' : u < 70 ? 'duplicate' : 'plain';
  }

  function personName(stream: number, i: number): { locale: Locale; first: string; last: string; fa: string; la: string; rng: Rng } {
    const rng = Rng.for(seed, stream, i);
    const locale = pickLocale(rng);
    const [first, fa] = rng.pick(locale.firstNames);
    const [last, la] = rng.pick(locale.lastNames);
    return { locale, first, last, fa, la, rng };
  }

  function localPart(rng: Rng, fa: string, la: string): string {
    switch (rng.next() % EMAIL_PATTERNS) {
      case 0: return `${fa}.${la}`;
      case 1: return `${fa[0] ?? 'x'}${la}`;
      case 2: return `${fa}_${la}`;
      default: return `${la}${fa}`;
    }
  }

  /** Contact j's own address; unique per contact (the suffix is j in decimal). */
  function contactBaseEmail(j: number): string {
    const p = personName(S.contactName, j);
    const a = contactAccount(j);
    const domain = a !== null && p.rng.bool(0.7) ? accountIdentity(a).domain : p.rng.pick(FREE_MAIL_DOMAINS);
    return `${localPart(p.rng, p.fa, p.la)}.${j}@${domain}`;
  }

  /** A live contact with a plain e-mail, chosen from `u`; -1 if there is none nearby. */
  function plainContact(u: number, not: number): number {
    const c = counts.contacts;
    if (c === 0) return -1;
    for (let k = 0, j = u % c; k < 16; k++, j = (j + 1) % c) if (j !== not && contactEmailKind(j) === 'plain') return j;
    return -1;
  }

  function contact(i: number): WorldContact {
    check('contacts', i);
    const p = personName(S.contactName, i);
    const rng = Rng.for(seed, S.contact, i);
    stamp(rng, 'contacts', i);
    const kind = contactEmailKind(i);
    let email = '';
    if (kind === 'plain') email = contactBaseEmail(i);
    else if (kind === 'duplicate') {
      const j = plainContact(hash32(seed, S.contactFlags + 100, i), i);
      email = j < 0 ? contactBaseEmail(i) : contactBaseEmail(j);
    }
    return {
      index: i, ownerIndex: b.ownerIndex, createdAt: b.createdAt, updatedAt: b.updatedAt,
      deleted: b.deleted, deletedAt: b.deletedAt,
      firstName: rng.bool(0.03) ? '' : p.first,
      lastName: p.last,
      fullName: fullName(p.locale, p.first, p.last),
      email,
      phone: rng.bool(0.2) ? '' : phone(rng, p.locale),
      mobilePhone: rng.bool(0.5) ? '' : phone(rng, p.locale),
      title: rng.pick(TITLES),
      department: rng.pick(DEPARTMENTS),
      lifecycleStage: rng.pick(LIFECYCLE),
      leadSource: rng.pick(LEAD_SOURCES),
      description: description(rng, 0.6),
      birthdate: rng.bool(0.8) ? null : Math.floor(rng.date(Date.UTC(1950, 0, 1), Date.UTC(2003, 0, 1)) / DAY) * DAY,
      linkedinUrl: rng.bool(0.6) ? '' : `https://www.linkedin.com/in/${p.fa}-${p.la}-${i.toString(36)}`,
      address: address(rng, p.locale),
      locale: p.locale.code,
      accountIndex: contactAccount(i),
      custom: {
        preferredLanguage: p.locale.code.slice(0, 2),
        newsletterOptIn: rng.bool(0.35),
        npsScore: rng.bool(0.6) ? null : rng.int(0, 10),
        customerTier: rng.bool(0.5) ? null : rng.pick(CUSTOMER_TIERS),
      },
    };
  }

  // ----- leads -----
  function lead(i: number): WorldLead {
    check('leads', i);
    const p = personName(S.leadName, i);
    const rng = Rng.for(seed, S.lead, i);
    stamp(rng, 'leads', i);
    const u = hash32(seed, S.leadFlags, i);
    const roll = u % 1000;
    let email = '';
    if (roll >= 80) {
      const j = roll < 110 ? plainContact(u >>> 10, -1) : -1; // ~3 % are people who are already contacts
      email = j >= 0 ? contactBaseEmail(j) : `${localPart(p.rng, p.fa, p.la)}.ld${i.toString(36)}@${p.rng.pick(FREE_MAIL_DOMAINS)}`;
    }
    const [word, wordAscii] = rng.pick(COMPANY_WORDS);
    const employees = rng.bool(0.3) ? null : Math.floor(Math.exp(rng.float() * 9));
    const interested: string[] = [];
    for (const product of PRODUCTS) if (rng.bool(0.25)) interested.push(product);
    return {
      index: i, ownerIndex: b.ownerIndex, createdAt: b.createdAt, updatedAt: b.updatedAt,
      deleted: b.deleted, deletedAt: b.deletedAt,
      firstName: p.first,
      lastName: p.last,
      fullName: fullName(p.locale, p.first, p.last),
      email,
      phone: rng.bool(0.3) ? '' : phone(rng, p.locale),
      mobilePhone: rng.bool(0.6) ? '' : phone(rng, p.locale),
      company: rng.bool(0.05) ? '' : `${word} ${rng.pick(p.locale.companySuffixes)}`.trim(),
      title: rng.pick(TITLES),
      status: rng.pick(LEAD_STATUS),
      leadSource: rng.pick(LEAD_SOURCES),
      industry: rng.bool(0.2) ? '' : rng.pick(INDUSTRIES),
      website: rng.bool(0.5) ? '' : `https://${wordAscii}.${p.locale.tld}`,
      employees,
      annualRevenue: employees === null ? null : employees * rng.int(40, 300) * 1000,
      rating: rng.bool(0.3) ? null : rng.pick(['hot', 'warm', 'cold'] as const),
      description: description(rng, 0.5),
      address: address(rng, p.locale),
      locale: p.locale.code,
      custom: { campaign: rng.bool(0.4) ? null : rng.pick(CAMPAIGNS), leadScore: rng.int(0, 100), interestedIn: interested },
    };
  }

  // ----- deals -----
  function dealAccount(d: number): number | null {
    if (counts.accounts === 0) return null;
    const u = hash32(seed, S.dealLink, d);
    return u % 100 < 3 ? null : (u >>> 8) % counts.accounts;
  }

  /** Primary contact: one of the deal's account's contacts when it has any, else any contact; ~5 % none. */
  function dealContact(d: number): number | null {
    const c = counts.contacts;
    if (c === 0) return null;
    const u = hash32(seed, S.dealContact, d);
    if (u % 100 < 5) return null;
    const a = dealAccount(d);
    if (a !== null && a < c) {
      const perAccount = Math.floor((c - 1 - a) / counts.accounts) + 1; // contacts j ≡ a (mod accounts)
      return a + counts.accounts * ((u >>> 8) % perAccount);
    }
    return (u >>> 8) % c;
  }

  function deal(i: number): WorldDeal {
    check('deals', i);
    const rng = Rng.for(seed, S.deal, i);
    stamp(rng, 'deals', i);
    const accountIndex = dealAccount(i);
    const stage = rng.pick(DEAL_STAGES);
    const currency = pickCurrency(rng);
    const raw = Math.exp(rng.float() * 12) * 10;
    const amount = rng.bool(0.05) ? null : currency === 'JPY' ? Math.round(raw * 100) : Math.round(raw * 100) / 100;
    const closeDate = Math.floor((b.createdAt + rng.int(7, 270) * DAY) / DAY) * DAY;
    const accountName = accountIndex === null ? rng.pick(COMPANY_WORDS)[0] : accountIdentity(accountIndex).name;
    const type = rng.pick(['New Business', 'Existing Business', 'Renewal'] as const);
    return {
      index: i, ownerIndex: b.ownerIndex, createdAt: b.createdAt, updatedAt: b.updatedAt,
      deleted: b.deleted, deletedAt: b.deletedAt,
      name: `${accountName} — ${type}${rng.bool(0.2) ? `, ${rng.int(5, 500)} seats` : ''}`,
      amount,
      currency,
      stage,
      pipeline: type === 'Renewal' ? 'renewals' : 'default',
      probability: stage.probability,
      closeDate,
      status: stage.status,
      type,
      leadSource: rng.pick(LEAD_SOURCES),
      description: description(rng, 0.5),
      accountIndex,
      contactIndex: dealContact(i),
      custom: {
        competitor: rng.bool(0.6) ? null : rng.pick(COMPETITORS),
        forecastCategory: stage.status === 'open' ? rng.pick(['pipeline', 'best_case', 'commit', 'omitted'] as const) : 'closed',
        renewalDate: type === 'Renewal' ? closeDate + 365 * DAY : null,
      },
    };
  }

  // ----- activities -----
  function activity(i: number): WorldActivity {
    check('activities', i);
    const rng = Rng.for(seed, S.activity, i);
    stamp(rng, 'activities', i);
    const u = hash32(seed, S.activityLink, i);
    const r = u % 100;
    let accountIndex: number | null = null;
    let contactIndex: number | null = null;
    let dealIndex: number | null = null;
    if (counts.deals > 0 && r < 40) {
      dealIndex = (u >>> 8) % counts.deals;
      accountIndex = dealAccount(dealIndex);
      contactIndex = dealContact(dealIndex);
    } else if (counts.contacts > 0 && r < 90) {
      contactIndex = (u >>> 8) % counts.contacts;
      accountIndex = contactAccount(contactIndex);
    } else if (counts.accounts > 0) {
      accountIndex = (u >>> 8) % counts.accounts;
    }
    const type = pickActivityType(rng);
    const scheduled = type === 'task' || type === 'call' || type === 'meeting';
    const dueAt = scheduled ? b.createdAt + rng.int(1, 60) * DAY + rng.int(0, 47) * 1_800_000 : null;
    const done = rng.bool(0.6);
    const completedAt = !done ? null : dueAt ?? b.createdAt;
    const subjectTail = rng.pick(SUBJECT_TAILS);
    return {
      index: i, ownerIndex: b.ownerIndex, createdAt: b.createdAt, updatedAt: b.updatedAt,
      deleted: b.deleted, deletedAt: b.deletedAt,
      type,
      subject: `${SUBJECTS[type]}${subjectTail}`,
      body: description(rng, type === 'note' ? 0.02 : 0.4),
      dueAt,
      completedAt,
      status: done ? 'completed' : rng.pick(['not_started', 'in_progress', 'deferred'] as const),
      priority: rng.pick(['low', 'normal', 'normal', 'high'] as const),
      durationMinutes: type === 'call' ? rng.int(1, 60) : type === 'meeting' ? rng.pick([15, 30, 45, 60, 90]) : null,
      accountIndex,
      contactIndex,
      dealIndex,
      custom: {
        outcome: type === 'call' && done ? rng.pick(['Connected', 'Left voicemail', 'No answer', 'Wrong number']) : null,
        direction: type === 'call' || type === 'email' ? (rng.bool() ? 'inbound' : 'outbound') : null,
      },
    };
  }

  const byEntity = { accounts: account, contacts: contact, leads: lead, deals: deal, activities: activity } as {
    [E in EntityType]: (i: number) => WorldRecordByEntity[E];
  };

  return {
    seed,
    counts: Object.freeze(counts),
    deletedCounts: Object.freeze(deletedCounts),
    owners,
    account, contact, lead, deal, activity,
    get: (entity, i) => byEntity[entity](i),
    total,
  };
}
