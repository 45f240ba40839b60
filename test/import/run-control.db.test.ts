/**
 * Controlling runs: cancel between batches (what was written stays and is reported), the per-organization
 * concurrency limit (extra runs wait queued), progress as Server-Sent Events, a failed run resumed from its
 * checkpoint, and the completion e-mail — through a real SMTP server (smtp-server on an ephemeral port), and as
 * .eml files in DATA_DIR/outbox without one.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config.js';
import { uploads } from '../../src/db/schema.js';
import { sendMail } from '../../src/services/mail-service.js';
import { eq } from 'drizzle-orm';
import { as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { getRun, startCsv, startImportWorkers, uploadCsv, waitForRun } from './helpers.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}
const inbox: Received[] = [];
let smtp: SMTPServer;
let smtpPort: number;
let t: TestApp;
let s: Session;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
  t = await createTestApp({ startQueue: true, env: { ORG_CONCURRENCY: '1', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'crm-migrate <imports@example.com>' } });
  s = await signup(t.app);
  // Runs of more than 25 records e-mail when done (the product's threshold is 100,000; the rule is the same).
  await startImportWorkers(t, { notifyThreshold: 25 });
}, 180_000);
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

const api = () => as(t.app, s);
const mapping = [
  { sourceField: 'First Name', targetField: 'firstName' },
  { sourceField: 'Last Name', targetField: 'lastName' },
  { sourceField: 'Email', targetField: 'email' },
];
const people = (n: number, tag: string) => `First Name,Last Name,Email\n${Array.from({ length: n }, (_, i) => `P${i},${tag},${tag.toLowerCase()}.${i}@example.com`).join('\n')}\n`;

describe('run control', () => {
  it('cancels between batches: records written so far stay and are reported', async () => {
    const { uploadId } = await uploadCsv(t, s, people(10_000, 'Cancel'));
    const id = await startCsv(t, s, uploadId, 'contacts', mapping, { batchSize: 10, notify: 'never' });
    // Cancel as soon as the first batch is in.
    for (let i = 0; i < 2000; i++) {
      const r = await t.ctx.database.raw.query<{ n: number }>('select created_count as n from migrations where id = $1', [id]);
      if (Number(r.rows[0]?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const res = await api()({ method: 'POST', url: `/api/import-export/migrations/${id}/cancel` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cancelRequested).toBe(true);
    const run = await waitForRun(t, s, id, ['cancelled']);
    expect(run.counts.fetched).toBeGreaterThan(0);
    expect(run.counts.fetched).toBeLessThan(10_000);
    expect(run.counts.created).toBe(run.counts.fetched);
    const stored = (await api()({ method: 'GET', url: `/api/records/contacts/count?migrationId=${id}` })).json().count;
    expect(stored).toBe(run.counts.created);
    expect(run.reconciliation!.issues.join(' ')).toContain(`stopped after ${run.counts.fetched.toLocaleString('en-US')} of 10,000`);
    // Ended runs cannot be cancelled again or resumed; they can be undone.
    expect((await api()({ method: 'POST', url: `/api/import-export/migrations/${id}/cancel` })).statusCode).toBe(409);
    expect((await api()({ method: 'POST', url: `/api/import-export/migrations/${id}/resume` })).statusCode).toBe(409);
  });

  it('runs one import at a time per organization (ORG_CONCURRENCY=1): the second waits, queued', async () => {
    const first = await startCsv(t, s, (await uploadCsv(t, s, people(600, 'First'))).uploadId, 'contacts', mapping, { batchSize: 20, notify: 'never' });
    await waitForRun(t, s, first, ['running']);
    const second = await startCsv(t, s, (await uploadCsv(t, s, people(5, 'Second'))).uploadId, 'contacts', mapping, { notify: 'never' });
    // Give the queue time to try the second one while the first still runs.
    await new Promise((r) => setTimeout(r, 1500));
    const waiting = await getRun(t, s, second);
    const firstNow = await getRun(t, s, first);
    if (firstNow.status === 'running') {
      expect(waiting.status).toBe('queued');
      expect(waiting.phase ?? '').toMatch(/queued|waiting/);
    }
    const a = await waitForRun(t, s, first);
    const b = await waitForRun(t, s, second);
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    const aRow = (await api()({ method: 'GET', url: `/api/import-export/migrations/${first}` })).json();
    const bRow = (await api()({ method: 'GET', url: `/api/import-export/migrations/${second}` })).json();
    expect(Date.parse(bRow.startedAt)).toBeGreaterThanOrEqual(Date.parse(aRow.finishedAt) - 5);
  });

  it('streams progress as Server-Sent Events and ends the stream when the run ends', async () => {
    const id = await startCsv(t, s, (await uploadCsv(t, s, people(400, 'Stream'))).uploadId, 'contacts', mapping, { batchSize: 20, notify: 'never' });
    const res = await api()({ method: 'GET', url: `/api/import-export/migrations/${id}/events` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = res.body
      .split('\n\n')
      .filter((b) => b.startsWith('event:'))
      .map((b) => ({ name: /^event: (.*)$/m.exec(b)![1], data: JSON.parse(/^data: (.*)$/m.exec(b)![1]!) }));
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.at(-1)!.name).toBe('end');
    expect(events.at(-1)!.data).toMatchObject({ id, status: 'completed', counts: { fetched: 400, created: 400 } });
    for (const e of events.slice(0, -1)) expect(e.name).toBe('progress');
  });

  it('fails a run whose file changed under it, with a message, and resumes it from its checkpoint', async () => {
    const content = people(50, 'Resume');
    const { uploadId } = await uploadCsv(t, s, content);
    const [row] = await t.ctx.db.select().from(uploads).where(eq(uploads.id, uploadId));
    await writeFile(row!.storagePath, `${content}X,Y,z@example.com\n`);
    const id = await startCsv(t, s, uploadId, 'contacts', mapping, { notify: 'never' });
    const failed = await waitForRun(t, s, id, ['failed']);
    expect(failed.error).toMatch(/cannot be imported/i);
    await writeFile(row!.storagePath, content);
    const resumed = await api()({ method: 'POST', url: `/api/import-export/migrations/${id}/resume` });
    expect(resumed.statusCode, resumed.body).toBe(200);
    const done = await waitForRun(t, s, id, ['completed']);
    expect(done.counts).toMatchObject({ fetched: 50, created: 50, failed: 0 });
    expect(done.error).toBeNull();
  });
});

describe('completion e-mail', () => {
  it('e-mails the person who started a large run when it ends (SMTP), and not for a small one', async () => {
    inbox.length = 0;
    const small = await startCsv(t, s, (await uploadCsv(t, s, people(10, 'Small'))).uploadId, 'contacts', mapping);
    await waitForRun(t, s, small);
    const large = await startCsv(t, s, (await uploadCsv(t, s, people(30, 'Large'))).uploadId, 'contacts', mapping);
    const run = await waitForRun(t, s, large);
    for (let i = 0; inbox.length === 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
    expect(inbox).toHaveLength(1);
    const mail = inbox[0]!;
    // The body is quoted-printable: undo soft line breaks and escapes.
    const body = mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    expect(mail.to).toEqual([s.email]);
    expect(mail.from).toBe('imports@example.com');
    expect(mail.raw).toMatch(/^Subject: crm-migrate: CSV import of contacts completed/m);
    expect(body).toContain('contacts: 30 in the source, 30 read, 30 created, 0 updated, 0 skipped, 0 failed');
    expect(body).toContain(`/dashboard/migrations/${large}`);
    expect((await getRun(t, s, large)).reconciliation!.notified).toMatchObject({ via: 'smtp', to: s.email });
    expect(run.status).toBe('completed');
  });

  it('writes .eml files to DATA_DIR/outbox when no SMTP server is configured', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cm-outbox-'));
    const sent = await sendMail({ smtpUrl: undefined, mailFrom: 'crm-migrate <no-reply@localhost>', dataDir }, { to: 'ops@example.com', subject: 'Import done', text: 'All 3 records.' });
    expect(sent.via).toBe('outbox');
    const files = await readdir(join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    const eml = await readFile(join(dataDir, 'outbox', files[0]!), 'utf8');
    expect(eml).toMatch(/^To: ops@example.com$/m);
    expect(eml).toMatch(/^Subject: Import done$/m);
    expect(eml).toContain('All 3 records.');
    // And through SMTP with the same call.
    inbox.length = 0;
    const viaSmtp = await sendMail({ smtpUrl: new Secret(`smtp://127.0.0.1:${smtpPort}`), mailFrom: 'a@example.com', dataDir }, { to: 'b@example.com', subject: 'Hi', text: 'x' });
    expect(viaSmtp.via).toBe('smtp');
    expect(inbox.map((m) => m.to)).toEqual([['b@example.com']]);
  });
});
