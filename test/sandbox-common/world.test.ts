import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES } from '../../src/core/ids.js';
import { createWorld, WORLD_END, WORLD_START, type World } from '../../sandbox/common/data/index.js';

const counts = { accounts: 500, contacts: 2000, leads: 800, deals: 1000, activities: 3000 };

function all<T>(w: World, get: (i: number) => T, n: number): T[] {
  return Array.from({ length: n }, (_, i) => get(i));
}

describe('world', () => {
  const w = createWorld({ seed: 42, counts });
  const contacts = all(w, w.contact, counts.contacts);
  const accounts = all(w, w.account, counts.accounts);
  const leads = all(w, w.lead, counts.leads);
  const deals = all(w, w.deal, counts.deals);
  const activities = all(w, w.activity, counts.activities);

  it('is deterministic per seed and differs across seeds', () => {
    const again = createWorld({ seed: 42, counts });
    for (const e of ENTITY_TYPES) for (const i of [0, 7, 499]) expect(again.get(e, i)).toEqual(w.get(e, i));
    const other = createWorld({ seed: 43, counts });
    expect(other.contact(7)).not.toEqual(w.contact(7));
    // a record does not depend on the other counts unless it links to them
    expect(createWorld({ seed: 42, counts: { ...counts, leads: 5 } }).lead(3)).toEqual(w.lead(3));
  });

  it('keeps relations within counts and consistent', () => {
    for (const c of contacts) if (c.accountIndex !== null) expect(c.accountIndex).toBeLessThan(counts.accounts);
    for (const d of deals) {
      if (d.accountIndex !== null) expect(d.accountIndex).toBeLessThan(counts.accounts);
      if (d.contactIndex !== null) expect(d.contactIndex).toBeLessThan(counts.contacts);
    }
    // most deals' primary contact belongs to the deal's account
    const same = deals.filter((d) => d.contactIndex !== null && d.accountIndex !== null && w.contact(d.contactIndex).accountIndex === d.accountIndex);
    expect(same.length / deals.length).toBeGreaterThan(0.7);
    for (const a of activities) {
      expect(['note', 'task', 'call', 'meeting', 'email']).toContain(a.type);
      if (a.dealIndex !== null) {
        expect(a.dealIndex).toBeLessThan(counts.deals);
        expect(a.accountIndex).toBe(w.deal(a.dealIndex).accountIndex);
      }
      if (a.contactIndex !== null) expect(a.contactIndex).toBeLessThan(counts.contacts);
    }
    expect(contacts.some((c) => c.accountIndex === null)).toBe(true);
  });

  it('gives null links when the target entity is empty', () => {
    const empty = createWorld({ seed: 1, counts: { accounts: 0, contacts: 50, leads: 0, deals: 20, activities: 50 } });
    for (let i = 0; i < 50; i++) expect(empty.contact(i).accountIndex).toBeNull();
    for (let i = 0; i < 20; i++) expect(empty.deal(i).accountIndex).toBeNull();
    for (let i = 0; i < 50; i++) expect(empty.activity(i).accountIndex).toBeNull();
    expect(empty.deletedCounts.accounts).toBe(0);
    expect(() => empty.account(0)).toThrow(RangeError);
  });

  it('has timestamps in range with createdAt ≤ updatedAt, and deleted records after the live ones', () => {
    for (const r of [...contacts, ...accounts, ...deals, ...leads, ...activities]) {
      expect(r.createdAt).toBeGreaterThanOrEqual(WORLD_START);
      expect(r.updatedAt).toBeGreaterThanOrEqual(r.createdAt);
      expect(r.deleted).toBe(false);
    }
    expect(w.deletedCounts.contacts).toBe(20);
    expect(w.total('contacts')).toBe(2020);
    const d = w.contact(2019);
    expect(d.deleted).toBe(true);
    expect(d.deletedAt).toBeGreaterThanOrEqual(d.createdAt);
    expect(d.deletedAt).toBeLessThanOrEqual(WORLD_END);
    expect(() => w.contact(2020)).toThrow(RangeError);
    expect(() => w.contact(-1)).toThrow(RangeError);
  });

  it('has the variety of real data', () => {
    const names = contacts.map((c) => `${c.firstName} ${c.lastName}`).join('|');
    for (const s of ['Zoë', 'José', 'Łukasz', '王', 'Ольга', 'محمد']) expect(names).toContain(s);
    const emails = contacts.map((c) => c.email).filter(Boolean);
    const dup = emails.length - new Set(emails).size;
    expect(dup / contacts.length).toBeGreaterThan(0.015);
    expect(dup / contacts.length).toBeLessThan(0.06);
    expect(contacts.filter((c) => c.email === '').length).toBeGreaterThan(20);
    for (const e of emails) expect(e).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$/);
    // leads share some e-mails with contacts
    const contactEmails = new Set(emails);
    expect(leads.filter((l) => l.email && contactEmails.has(l.email)).length).toBeGreaterThan(5);
    const texts = [...accounts.map((a) => a.description), ...contacts.map((c) => c.description), ...activities.map((a) => a.body)];
    expect(texts.some((t) => t.length > 10_240)).toBe(true);
    expect(texts.some((t) => t.includes(','))).toBe(true);
    expect(texts.some((t) => t.includes('"'))).toBe(true);
    expect(texts.some((t) => t.includes('\n'))).toBe(true);
    expect(accounts.some((a) => /[",]/.test(a.name))).toBe(true);
    expect(new Set(contacts.map((c) => c.address.countryCode)).size).toBeGreaterThan(8);
    expect(new Set(contacts.map((c) => c.phone.replace(/\d/g, '9'))).size).toBeGreaterThan(10);
    expect(deals.some((d) => d.status === 'won') && deals.some((d) => d.status === 'lost') && deals.some((d) => d.status === 'open')).toBe(true);
    expect(new Set(activities.map((a) => a.type)).size).toBe(5);
    expect(accounts.some((a) => a.custom.customerTier === 'Gold')).toBe(true);
    expect(leads.some((l) => l.custom.interestedIn.length > 1)).toBe(true);
    expect(w.owners.length).toBeGreaterThanOrEqual(5);
    for (const c of contacts) expect(c.ownerIndex).toBeLessThan(w.owners.length);
  });

  it('derives record 999,999 of a million-record world fast, stably, without materialising it', () => {
    const big = { accounts: 1_000_000, contacts: 1_000_000, leads: 1_000_000, deals: 1_000_000, activities: 1_000_000 };
    const before = process.memoryUsage().heapUsed;
    const world = createWorld({ seed: 7, counts: big });
    const first = world.contact(999_999);
    const deal = world.deal(999_999);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 1024 * 1024);
    expect(createWorld({ seed: 7, counts: big }).contact(999_999)).toEqual(first);
    expect(deal.accountIndex === null || deal.accountIndex < 1_000_000).toBe(true);
    expect(world.total('deals')).toBe(1_010_000);
    expect(world.deal(1_009_999).deleted).toBe(true);
  });
});
