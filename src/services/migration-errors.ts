/**
 * The error report of a run as CSV, streamed page by page (never the whole report in memory): one row per failed
 * record — and per value kept as written, per unresolved link — with where it came from (row number or source
 * id), the field, a stable code, the reason, and the raw values. For a CSV import the raw values come back under
 * the file's own column names, so the report can be fixed and uploaded again. Cells that a spreadsheet would run
 * as a formula (starting with = + - @, tab or CR) are prefixed with a quote (OWASP "CSV injection").
 */
import { and, asc, eq, gt, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { migrationErrors, uploads } from '../db/schema.js';
import type { AuthContext } from './auth-service.js';
import { requireMigration } from './migration-service.js';

/** Quote a cell (RFC 4180) and defuse formulas. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const PAGE = 1000;

/** Check access, then return the report's file name and its lines as a stream. */
export async function errorReport(ctx: AppContext, auth: AuthContext, migrationId: string): Promise<{ filename: string; lines: AsyncIterable<string> }> {
  const m = await requireMigration(ctx, auth, migrationId);
  let columns: string[] | null = null;
  if (m.importMethod === 'csv' && m.uploadId) {
    const [u] = await ctx.db.select({ headers: uploads.headers }).from(uploads).where(and(eq(uploads.id, m.uploadId), eq(uploads.organizationId, m.organizationId))).limit(1);
    columns = u?.headers ?? null;
  }
  const fixed = ['entity', 'row_number', 'source_id', 'field', 'code', 'reason'];
  const select = {
    id: migrationErrors.id,
    entityType: migrationErrors.entityType,
    rowNumber: migrationErrors.rowNumber,
    sourceId: migrationErrors.sourceId,
    field: migrationErrors.field,
    code: migrationErrors.code,
    reason: migrationErrors.reason,
    raw: migrationErrors.raw,
  };
  type Row = { id: string; entityType: string; rowNumber: number | null; sourceId: string | null; field: string | null; code: string; reason: string; raw: Record<string, unknown> | null };
  const render = (rows: readonly Row[]) => {
    let chunk = '';
    for (const r of rows) {
      const raw = r.raw ?? {};
      const rest = columns ? columns.map((c) => raw[c] ?? '') : [Object.keys(raw).length > 0 ? raw : ''];
      chunk += csvLine([r.entityType, r.rowNumber, r.sourceId, r.field, r.code, r.reason, ...rest]);
    }
    return chunk;
  };
  const base = and(eq(migrationErrors.migrationId, migrationId), eq(migrationErrors.organizationId, auth.organizationId))!;
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${csvLine([...fixed, ...(columns ?? ['raw'])])}`;
    // Rows with a row number first, in file order (keyset over the (migration_id, row_number) index) …
    let after: { rowNumber: number; id: string } | null = null;
    for (;;) {
      const cond: SQL = after
        ? and(base, or(gt(migrationErrors.rowNumber, after.rowNumber), and(eq(migrationErrors.rowNumber, after.rowNumber), gt(migrationErrors.id, after.id))))!
        : and(base, isNotNull(migrationErrors.rowNumber))!;
      const rows: Row[] = await ctx.db.select(select).from(migrationErrors).where(cond).orderBy(asc(migrationErrors.rowNumber), asc(migrationErrors.id)).limit(PAGE);
      if (rows.length > 0) yield render(rows);
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1]!;
      after = { rowNumber: last.rowNumber!, id: last.id };
    }
    // … then the others (API records, unresolved links).
    let afterId: string | null = null;
    for (;;) {
      const cond: SQL = and(base, isNull(migrationErrors.rowNumber), ...(afterId ? [gt(migrationErrors.id, afterId)] : []))!;
      const rows: Row[] = await ctx.db.select(select).from(migrationErrors).where(cond).orderBy(asc(migrationErrors.id)).limit(PAGE);
      if (rows.length > 0) yield render(rows);
      if (rows.length < PAGE) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }
  return { filename: `import-${migrationId}-errors.csv`, lines: lines() };
}
