/** The import's pure parts: mapping validation, the record mapper, record keys, source positions, CSV cells. */
import { describe, expect, it } from 'vitest';
import {
  API_IMPLICIT_TARGETS, compileMapper, dedupeKey, dedupeKeyProblems, resolveOptions, validateMappings, validateRunMappings, type FieldMapping,
} from '../../src/core/import/index.js';
import type { EntityType } from '../../src/core/ids.js';
import type { CrmApiClient, RecordBatch, SourceRecord } from '../../src/crm/types.js';
import { crmEntitySource } from '../../src/import/sources/crm-source.js';
import { prefetch } from '../../src/import/sources/prefetch.js';
import type { SourceBatch, SourcePosition } from '../../src/import/sources/types.js';
import { rateAndEta, emptyCheckpoint } from '../../src/import/run-state.js';
import { csvCell, csvLine } from '../../src/services/migration-errors.js';

const m = (sourceField: string, targetField: string | null, extra: Partial<FieldMapping> = {}): FieldMapping => ({ sourceField, targetField, keepAsCustom: false, ...extra });

describe('validateMappings', () => {
  it('accepts suggestions as they are (confidence, reason, alternatives ignored)', () => {
    const r = validateMappings('contacts', [
      { sourceField: 'Name', targetField: 'fullName', transform: { kind: 'splitFullName' }, confidence: 0.9, reason: 'x', alternatives: [] } as never,
      { sourceField: 'Mail', targetField: 'email', transform: { kind: 'lowercaseEmail' } },
      { sourceField: 'Notes', targetField: null, keepAsCustom: true },
      { sourceField: 'Junk', targetField: null },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.mappings).toEqual([
      { sourceField: 'Name', targetField: 'fullName', transform: { kind: 'splitFullName' }, keepAsCustom: false },
      { sourceField: 'Mail', targetField: 'email', transform: { kind: 'lowercaseEmail' }, keepAsCustom: false },
      { sourceField: 'Notes', targetField: null, keepAsCustom: true },
      { sourceField: 'Junk', targetField: null, keepAsCustom: false },
    ]);
  });

  it('names an unknown target, two fields onto one target, a repeated source field and an unknown column', () => {
    const r = validateMappings(
      'contacts',
      [
        { sourceField: 'Last', targetField: 'lastName' },
        { sourceField: 'Surname', targetField: 'lastName' },
        { sourceField: 'Shoe size', targetField: 'shoeSize' },
        { sourceField: 'Last', targetField: 'email' },
        { sourceField: 'Ghost', targetField: 'title' },
      ],
      { sourceFields: ['Last', 'Surname', 'Shoe size'] },
    );
    expect(r.problems.map((p) => [p.code, p.sourceField, p.targetField])).toEqual([
      ['DUPLICATE_TARGET', 'Surname', 'lastName'],
      ['UNKNOWN_TARGET', 'Shoe size', 'shoeSize'],
      ['DUPLICATE_SOURCE', 'Last', undefined],
      ['UNKNOWN_SOURCE_FIELD', 'Ghost', undefined],
    ]);
    expect(r.problems[0]!.message).toContain('"Last" and "Surname" are both mapped onto lastName');
    expect(r.problems[1]!.message).toContain('"shoeSize"');
  });

  it('requires each required target, lastName unless a full name is split', () => {
    expect(validateMappings('accounts', [m('Web', 'website')]).problems.map((p) => [p.code, p.targetField])).toEqual([['REQUIRED_UNMAPPED', 'name']]);
    expect(validateMappings('contacts', [m('Email', 'email')]).problems.map((p) => p.targetField)).toEqual(['lastName']);
    expect(validateMappings('contacts', [m('Name', 'fullName')]).problems).toEqual([]);
    expect(validateMappings('deals', [m('Amount', 'amount')]).problems.map((p) => p.targetField)).toEqual(['name']);
    expect(validateMappings('activities', [m('Subject', 'subject')]).problems.map((p) => p.targetField)).toEqual(['type']);
    // An API run takes the activity type (and ids, links, owner, dates) from the CRM record itself.
    expect(validateMappings('activities', [m('Subject', 'subject')], { implicitTargets: API_IMPLICIT_TARGETS }).problems).toEqual([]);
  });

  it('refuses a name split onto a field that is not a name', () => {
    const r = validateMappings('contacts', [m('Name', 'lastName'), m('X', 'title', { transform: { kind: 'splitFullName' } })]);
    expect(r.problems.map((p) => p.code)).toEqual(['TRANSFORM_NOT_APPLICABLE']);
  });

  it('takes mappings per entity for "all", in dependency order, and one list for one entity', () => {
    const all = validateRunMappings('all', { deals: [m('Deal', 'name')], accounts: [m('Company', 'name')] });
    expect(all.problems).toEqual([]);
    expect(all.entities.map((e) => e.entity)).toEqual(['accounts', 'deals']);
    expect(validateRunMappings('all', [m('Company', 'name')]).problems[0]!.code).toBe('ENTITY_NOT_MAPPED');
    expect(validateRunMappings('accounts', { contacts: [m('Last', 'lastName')] }).problems.map((p) => p.code)).toEqual(['UNEXPECTED_ENTITY', 'ENTITY_NOT_MAPPED']);
    expect(validateRunMappings('contacts', [m('Last', 'lastName')]).entities).toHaveLength(1);
  });
});

describe('the record mapper', () => {
  it('applies transforms field by field: names, e-mails, phones (E.164, the record’s own country), dates, numbers, countries, value maps', () => {
    const mapper = compileMapper('contacts', [
      m('Name', 'fullName', { transform: { kind: 'splitFullName' } }),
      m('E-mail', 'email', { transform: { kind: 'lowercaseEmail' } }),
      m('Phone', 'phone', { transform: { kind: 'phoneE164' } }),
      m('Country', 'country'),
      m('Born', 'birthdate', { transform: { kind: 'parseDate', format: 'DD/MM/YYYY' } }),
      m('Stage', 'lifecycleStage', { transform: { kind: 'valueMap', values: { Kunde: 'customer' } } }),
      m('Tier', null, { keepAsCustom: true }),
      m('Skip me', null),
    ]);
    const r = mapper.map({ values: { Name: 'Dr. Zoë van der Berg', 'E-mail': ' Zoe@Example.COM ', Phone: '030 1234567', Country: 'Deutschland', Born: '31/12/1980', Stage: 'kunde', Tier: 'Gold', 'Skip me': 'x' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.values).toEqual({
      firstName: 'Zoë',
      lastName: 'van der Berg',
      email: 'zoe@example.com',
      phone: '+49301234567',
      country: 'DE',
      birthdate: '1980-12-31',
      lifecycleStage: 'customer',
    });
    expect(r.record.customFields).toEqual({ Tier: 'Gold' });
    expect(r.warnings).toEqual([]);
  });

  it('checks kinds: an invalid e-mail, date, number or enum fails the record with the field and reason', () => {
    const mapper = compileMapper('deals', [m('Deal', 'name'), m('Amount', 'amount'), m('Close', 'closeDate'), m('Status', 'status'), m('Prob', 'probability')]);
    const bad = mapper.map({ values: { Deal: 'Big', Amount: 'lots', Close: '2024-13-45', Status: 'maybe', Prob: '140' } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => [i.code, i.field])).toEqual([
      ['INVALID_VALUE', 'amount'],
      ['INVALID_VALUE', 'closeDate'],
      ['INVALID_VALUE', 'status'],
      ['INVALID_VALUE', 'probability'],
    ]);
    const good = mapper.map({ values: { Deal: 'Big', Amount: '$1,234.50', Close: '2024-03-05', Status: 'Closed Won', Prob: '45%' } });
    expect(good.ok && good.record.values).toEqual({ name: 'Big', amount: 1234.5, closeDate: '2024-03-05', status: 'won', probability: 45 });
  });

  it('fails a record missing its required field, and keeps an unparseable phone as written with a warning', () => {
    const mapper = compileMapper('contacts', [m('First', 'firstName'), m('Last', 'lastName'), m('Phone', 'phone')]);
    const missing = mapper.map({ values: { First: 'Cher', Last: '  ' } });
    expect(!missing.ok && missing.issues.map((i) => [i.code, i.field, i.sourceField])).toEqual([['REQUIRED_MISSING', 'lastName', 'Last']]);
    const kept = mapper.map({ values: { First: 'A', Last: 'B', Phone: 'call reception' } });
    expect(kept.ok && kept.record.values.phone).toBe('call reception');
    expect(kept.warnings.map((w) => [w.code, w.field])).toEqual([['VALUE_KEPT', 'phone']]);
  });

  it('refuses values too large for their column instead of failing the whole batch in the database', () => {
    const mapper = compileMapper('accounts', [m('Name', 'name'), m('About', 'description'), m('Staff', 'employees')]);
    const r = mapper.map({ values: { Name: 'x'.repeat(3000), About: 'y'.repeat(50_000), Staff: '3000000000' } });
    expect(!r.ok && r.issues.map((i) => i.field)).toEqual(['name', 'employees']);
    const ok = mapper.map({ values: { Name: 'Acme', About: 'y'.repeat(50_000), Staff: '12' } });
    expect(ok.ok).toBe(true);
  });

  it('fills owner, source dates, links, the activity type and the id from a CRM record unless mapped', () => {
    const mapper = compileMapper('activities', [m('Subject', 'subject'), m('OwnerName', 'owner'), m('WhatId', 'dealExternalId')], { api: true });
    const r = mapper.map({
      // A polymorphic raw link field (here naming an account) never overrides the client's normalised links.
      values: { Subject: 'Call back', OwnerName: 'Grace', WhatId: '001', nested: { x: 1 } },
      meta: { id: 'A1', owner: 'u-7', createdAt: '2024-01-02T03:04:05.000+0000', updatedAt: '2024-02-01', links: { account: '001', contact: '003', deal: '006' }, activityType: 'call' },
    });
    expect(r.ok && r.record.values).toEqual({
      subject: 'Call back',
      owner: 'Grace',
      externalId: 'A1',
      sourceCreatedAt: '2024-01-02T03:04:05.000Z',
      sourceUpdatedAt: '2024-02-01T00:00:00.000Z',
      accountExternalId: '001',
      contactExternalId: '003',
      dealExternalId: '006',
      type: 'call',
    });
    expect(mapper.writtenFields).toEqual(expect.arrayContaining(['subject', 'owner', 'sourceCreatedAt', 'accountExternalId', 'type']));
    const onAccount = mapper.map({ values: { Subject: 'x', WhatId: '001' }, meta: { id: 'A2', links: { account: '001' }, activityType: 'task' } });
    expect(onAccount.ok && [onAccount.record.values.accountExternalId, onAccount.record.values.dealExternalId]).toEqual(['001', null]);
    // A mapped field that is empty on this record (HubSpot's task type on a note) falls back to the record's own.
    const typed = compileMapper('activities', [m('Subject', 'subject'), m('hs_task_type', 'type')], { api: true });
    const note = typed.map({ values: { Subject: 'Note', hs_task_type: null }, meta: { id: 'N1', activityType: 'note' } });
    expect(note.ok && note.record.values.type).toBe('note');
    const task = typed.map({ values: { Subject: 'Task', hs_task_type: 'CALL' }, meta: { id: 'T1', activityType: 'task' } });
    expect(task.ok && task.record.values.type).toBe('call');
    // A CSV run writes only what it maps, so a re-import never clears fields it does not carry.
    expect(compileMapper('activities', [m('Subject', 'subject'), m('Kind', 'type')]).writtenFields).toEqual(['subject', 'type']);
  });

  it('reads nested CRM fields by dotted name and flattens arrays', () => {
    const mapper = compileMapper('contacts', [m('LastName', 'lastName'), m('Account.Name', 'accountName'), m('Interests', null, { keepAsCustom: true }), m('Tags', 'description')]);
    const r = mapper.map({ values: { LastName: 'Lovelace', Account: { Name: 'Analytical Engines' }, Interests: ['math', 'poetry'], Tags: ['a', null, 'b'] } });
    expect(r.ok && r.record.values).toEqual({ lastName: 'Lovelace', accountName: 'Analytical Engines', description: 'a; b' });
    expect(r.ok && r.record.customFields).toEqual({ Interests: ['math', 'poetry'] });
  });
});

describe('record keys', () => {
  const rec = (values: Record<string, string | number | null>) => ({ values, customFields: {} });
  it('uses e-mail for people, domain then name for accounts, case- and space-insensitively', () => {
    expect(dedupeKey('contacts', rec({ email: 'Ada@Example.com ', lastName: 'L' }))).toBe('email:ada@example.com');
    expect(dedupeKey('accounts', rec({ name: 'Acme', domain: 'ACME.com' }))).toBe('domain:acme.com');
    expect(dedupeKey('accounts', rec({ name: '  Acme   Inc ', domain: null }))).toBe('name:acme inc');
  });
  it('follows options.dedupeKey and hashes the whole row when the key fields are empty', () => {
    expect(dedupeKey('contacts', rec({ firstName: 'A', lastName: 'B', email: 'x@y.z' }), ['firstName', 'lastName'])).toBe('firstName+lastName:a|b');
    const a = dedupeKey('deals', rec({ name: 'Renewal', amount: 10 }));
    expect(a).toMatch(/^row:/);
    expect(dedupeKey('deals', rec({ amount: 10, name: 'Renewal' }))).toBe(a);
    expect(dedupeKey('deals', rec({ name: 'Renewal', amount: 11 }))).not.toBe(a);
  });
  it('validates dedupe fields and spreads a one-entity dedupe key', () => {
    const o = resolveOptions({ dedupeKey: ['phone', 'nope'] }, ['contacts']);
    expect(o.dedupeKey).toEqual({ contacts: ['phone', 'nope'] });
    expect(dedupeKeyProblems(o)).toEqual(['options.dedupeKey: "nope" is not a field of contacts that can identify a record.']);
    expect(resolveOptions(undefined, ['contacts'])).toMatchObject({ duplicatePolicy: 'overwrite', batchSize: 1000, notify: 'auto' });
    expect(resolveOptions(undefined, ['contacts'], 'postgres').batchSize).toBe(5000);
    expect(resolveOptions({ batchSize: 200 }, ['contacts'], 'postgres').batchSize).toBe(200);
  });
});

describe('CRM source positions', () => {
  const rec = (i: number): SourceRecord => ({ id: `r${i}`, fields: { n: i }, links: {} });
  /** A client over `total` records: pages of `page`, bulk batches of `chunk`; tokens are offsets. */
  function fakeClient(total: number, page: number, chunk: number, calls: string[] = []): CrmApiClient {
    return {
      async getRecordCount() {
        return total;
      },
      async fetchRecords(_e: EntityType, cursor: string | null, limit: number) {
        calls.push(`page ${cursor}`);
        const start = Number(cursor ?? 0);
        const end = Math.min(total, start + Math.min(limit, page));
        return { records: Array.from({ length: end - start }, (_, k) => rec(start + k)), nextCursor: end < total ? String(end) : null };
      },
      async *bulkFetchRecords(_e: EntityType, options?: { resume?: string | null }): AsyncGenerator<RecordBatch> {
        calls.push(`bulk ${options?.resume ?? null}`);
        for (let start = Number(options?.resume ?? 0); start < total; start += chunk) {
          const end = Math.min(total, start + chunk);
          yield { records: Array.from({ length: end - start }, (_, k) => rec(start + k)), resume: end < total ? String(end) : null };
        }
      },
      async testConnection() {
        return { isValid: true };
      },
      async describeFields() {
        return [];
      },
    };
  }
  async function collect(source: ReturnType<typeof crmEntitySource>, from: SourcePosition | null, size: number, stopAfter = Infinity): Promise<SourceBatch[]> {
    const out: SourceBatch[] = [];
    for await (const b of source.batches(from, size, new AbortController().signal)) {
      out.push(b);
      if (out.length >= stopAfter) break;
    }
    return out;
  }
  const ids = (bs: SourceBatch[]) => bs.flatMap((b) => b.items.map((i) => i.sourceId));

  it('pages: batches end on page boundaries, and the position is the next cursor', async () => {
    const src = crmEntitySource(fakeClient(25, 4, 0), 'contacts', { strategy: 'standard', pageSize: 4 });
    const all = await collect(src, null, 10);
    expect(ids(all)).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
    expect(all.map((b) => [b.items.length, b.position])).toEqual([
      [8, { token: '8', skip: 0 }],
      [8, { token: '16', skip: 0 }],
      [8, { token: '24', skip: 0 }],
      [1, { done: true }],
    ]);
  });

  it('bulk: a chunk larger than a batch is committed in parts; a resume re-reads the chunk and skips what is in', async () => {
    const calls: string[] = [];
    const src = crmEntitySource(fakeClient(25, 0, 10, calls), 'contacts', { strategy: 'bulk', pageSize: 0 });
    const first = await collect(src, null, 4, 2);
    expect(first.map((b) => b.position)).toEqual([
      { token: null, skip: 4 },
      { token: null, skip: 8 },
    ]);
    const rest = await collect(src, first[1]!.position, 4);
    expect(ids([...first, ...rest])).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
    expect(rest.at(-1)!.position).toEqual({ done: true });
    const middle = rest.find((b) => b.position.token === '10' && b.position.skip === 0);
    expect(middle).toBeDefined();
    expect(calls).toEqual(['bulk null', 'bulk null']);
    expect(await collect(src, { done: true }, 4)).toEqual([]);
  });

  it('prefetch reads one ahead and closes the source when the consumer stops', async () => {
    const events: string[] = [];
    async function* gen() {
      try {
        for (let i = 0; i < 5; i++) {
          events.push(`produce ${i}`);
          yield i;
        }
      } finally {
        events.push('closed');
      }
    }
    for await (const v of prefetch(gen())) {
      events.push(`consume ${v}`);
      if (v === 1) break;
    }
    expect(events).toEqual(['produce 0', 'produce 1', 'consume 0', 'produce 2', 'consume 1', 'closed']);
  });
});

describe('the error report’s cells', () => {
  it('defuses formulas and quotes per RFC 4180', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(csvLine(['x', 'line\nbreak'])).toBe('x,"line\nbreak"\r\n');
  });
});

describe('rate and ETA', () => {
  it('come from recent progress samples', () => {
    const cp = { ...emptyCheckpoint(), progress: [[0, 0], [10_000, 5_000]] as Array<[number, number]> };
    expect(rateAndEta(cp, 20_000)).toEqual({ rate: 500, eta: 30 });
    expect(rateAndEta(emptyCheckpoint(), 10)).toEqual({ rate: null, eta: null });
  });
});
