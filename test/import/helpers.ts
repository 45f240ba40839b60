/** Helpers for the import suites: multipart uploads, starting runs, waiting for them, workers in this process. */
import type { InjectOptions } from 'fastify';
import { expect } from 'vitest';
import { createImportJobs, type ImportJobOptions } from '../../src/jobs/import-run.js';
import type { JobDefinition } from '../../src/jobs/types.js';
import { startWorkers } from '../../src/jobs/workers.js';
import { as, type Session, type TestApp } from '../helpers/app.js';

/** A multipart/form-data body with fields and one file part. */
export function multipart(fields: Record<string, string>, file?: { field?: string; name: string; content: string | Buffer; type?: string }): Pick<InjectOptions, 'payload' | 'headers'> {
  const boundary = `----cm${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`));
    parts.push(typeof file.content === 'string' ? Buffer.from(file.content) : file.content);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function uploadCsv(t: TestApp, session: Session, content: string | Buffer, entityType = 'contacts', name = 'data.csv') {
  const res = await as(t.app, session)({ method: 'POST', url: '/api/import-export/csv/upload', ...multipart({ entityType }, { name, content }) });
  if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  return res.json() as { uploadId: string; headers: string[]; rowCount: number; suggestedMappings: Array<{ sourceField: string; targetField: string | null; transform?: unknown }> };
}

export type Mapping = { sourceField: string; targetField: string | null; transform?: unknown; keepAsCustom?: boolean };

export async function startCsv(t: TestApp, session: Session, uploadId: string, entityType: string, fieldMappings: Mapping[], options?: Record<string, unknown>): Promise<string> {
  const res = await as(t.app, session)({ method: 'POST', url: '/api/import-export/import-csv', payload: { uploadId, entityType, fieldMappings, ...(options ? { options } : {}) } });
  if (res.statusCode !== 202) throw new Error(`import-csv: ${res.statusCode} ${res.body}`);
  return res.json().migrationId;
}

export interface MigrationJson {
  id: string;
  status: string;
  phase: string | null;
  error: string | null;
  counts: { total: number; fetched: number; created: number; updated: number; skipped: number; failed: number };
  reconciliation: { ok: boolean; issues: string[]; entities: Record<string, { sourceCount: number; fetched: number; created: number; updated: number; skipped: number; failed: number; unresolvedLinks: Record<string, number> }>; notified?: { via: string; to: string } } | null;
  pausedUntil: string | null;
  plan: { entities: Array<{ entity: string; sourceCount: number; strategy?: string }> } | null;
}

export async function getRun(t: TestApp, session: Session, id: string): Promise<MigrationJson> {
  const res = await as(t.app, session)({ method: 'GET', url: `/api/import-export/migrations/${id}` });
  if (res.statusCode !== 200) throw new Error(`get migration: ${res.statusCode} ${res.body}`);
  return res.json();
}

const ENDED = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** Poll until the run reaches one of `statuses` (default: any end). */
export async function waitForRun(t: TestApp, session: Session, id: string, statuses: readonly string[] = ENDED, timeoutMs = 60_000): Promise<MigrationJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await getRun(t, session, id);
    if (statuses.includes(m.status)) return m;
    if (ENDED.includes(m.status) && !statuses.includes(m.status)) throw new Error(`run ended ${m.status} (${m.error ?? ''}) while waiting for ${statuses.join('/')}: ${JSON.stringify(m.reconciliation)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${statuses.join('/')}; last: ${m.status} ${m.phase} ${JSON.stringify(m.counts)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Start import workers in the test's own process (fast sweeps and short leases unless overridden). */
export async function startImportWorkers(t: TestApp, options: ImportJobOptions & { concurrency?: number } = {}): Promise<void> {
  const { concurrency = 2, ...jobOptions } = options;
  const defs = createImportJobs({ sweepEverySeconds: 1, leaseMs: 6_000, heartbeatMs: 1_000, retryBaseMs: 200, ...jobOptions });
  await startWorkers(t.ctx, { concurrency, schedule: false }, defs as unknown as JobDefinition<never>[]);
}

/** Expect a 400 with this error code. */
export function expectError(res: { statusCode: number; json(): unknown; body: string }, status: number, code: string): { message: string; details?: unknown } {
  expect(res.statusCode, res.body).toBe(status);
  const err = (res.json() as { error: { code: string; message: string; details?: unknown } }).error;
  expect(err.code, res.body).toBe(code);
  return err;
}
