/** The work behind `crm-migrate import csv|api` (src/cli/import.ts): start a run, work on it, draw its progress. */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.js';
import { createContext, type AppContext } from '../context.js';
import { fieldMappingsSchema, importOptionsSchema } from '../core/import/index.js';
import { ENTITY_TYPES, isEntityType, type EntityType } from '../core/ids.js';
import { suggestMappings } from '../core/mapping/index.js';
import { memberships, organizations, users } from '../db/schema.js';
import { isAppError } from '../errors.js';
import { createImportJobs } from '../jobs/import-run.js';
import type { JobDefinition } from '../jobs/types.js';
import { startWorkers } from '../jobs/workers.js';
import type { AuthContext } from '../services/auth-service.js';
import { createClientForConnection } from '../services/connection-service.js';
import { readMappingMemory } from '../services/import-mapping-memory.js';
import { acceptUpload, receiveFile } from '../services/import-upload-service.js';
import { cancelMigration, getMigration, startApiImport, startCsvImport, type MigrationView } from '../services/migration-service.js';

export interface ImportCliArgs {
  kind: 'csv' | 'api';
  file?: string;
  entity: string;
  mapping?: string;
  org?: string;
  connection?: string;
}

const ENDED = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);

class CliError extends Error {}

function err(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Act as an owner of the organization (the only one, or --org): runs, audit entries and e-mails go to them. */
async function actingAs(ctx: AppContext, orgId: string | undefined): Promise<AuthContext> {
  const orgs = orgId
    ? await ctx.db.select().from(organizations).where(eq(organizations.id, orgId))
    : await ctx.db.select().from(organizations).limit(2);
  if (orgs.length === 0) throw new CliError(orgId ? `there is no organization ${orgId}` : 'there is no organization yet: sign up in the web app first');
  if (orgs.length > 1) throw new CliError('there are several organizations: choose one with --org <id>');
  const org = orgs[0]!;
  const [owner] = await ctx.db
    .select({ userId: users.id, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, org.id), eq(memberships.role, 'OWNER')))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!owner) throw new CliError(`organization ${org.id} has no owner`);
  return { userId: owner.userId, email: owner.email, organizationId: org.id, organizationName: org.name, role: 'OWNER', via: 'token', credentialHash: 'cli' };
}

async function readMapping(path: string): Promise<{ fieldMappings: unknown; options?: unknown }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliError(`cannot read the mapping ${path}: ${(e as Error).message}`);
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && 'fieldMappings' in json) return json as { fieldMappings: unknown; options?: unknown };
  return { fieldMappings: json };
}

function parseMapping(m: { fieldMappings: unknown; options?: unknown }) {
  const fm = fieldMappingsSchema.safeParse(m.fieldMappings);
  if (!fm.success) throw new CliError(`the mapping file is not valid: ${fm.error.issues[0]?.path.join('.')} ${fm.error.issues[0]?.message}`);
  const options = importOptionsSchema.optional().safeParse(m.options);
  if (!options.success) throw new CliError(`the mapping file's options are not valid: ${options.error.issues[0]?.path.join('.')} ${options.error.issues[0]?.message}`);
  return { fieldMappings: fm.data, ...(options.data ? { options: options.data } : {}) };
}

const keep = <T extends { targetField: string | null }>(m: T) => (m.targetField === null ? { ...m, keepAsCustom: true } : m);

async function startCsv(ctx: AppContext, auth: AuthContext, args: ImportCliArgs): Promise<string> {
  const path = args.file!;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new CliError(`${path} is not a file`);
  if (!isEntityType(args.entity)) throw new CliError(`--entity must be one of ${ENTITY_TYPES.join(', ')}`);
  const received = await receiveFile(ctx, auth, basename(path), createReadStream(path));
  const upload = await acceptUpload(ctx, auth, received, args.entity);
  err(`${basename(path)}: ${upload.rowCount.toLocaleString('en-US')} rows, ${upload.headers.length} columns, ${upload.encoding}, delimiter ${JSON.stringify(upload.delimiter)}${upload.detectedSource ? `, exported from ${upload.detectedSource}` : ''}`);
  for (const w of upload.warnings) err(`  note: ${w}`);
  const mapping = args.mapping ? parseMapping(await readMapping(args.mapping)) : { fieldMappings: upload.suggestedMappings.map(keep) };
  const { migrationId } = await startCsvImport(ctx, auth, { uploadId: upload.uploadId, entityType: args.entity, ...mapping } as Parameters<typeof startCsvImport>[2]);
  return migrationId;
}

async function startApi(ctx: AppContext, auth: AuthContext, args: ImportCliArgs): Promise<string> {
  if (!args.connection) throw new CliError('--connection is required');
  const entityType = args.entity;
  if (entityType !== 'all' && !isEntityType(entityType)) throw new CliError(`--entity must be one of ${ENTITY_TYPES.join(', ')} or all`);
  let mapping: ReturnType<typeof parseMapping>;
  if (args.mapping) mapping = parseMapping(await readMapping(args.mapping));
  else {
    const { client, connection } = await createClientForConnection(ctx, auth, args.connection);
    const entities: EntityType[] = entityType === 'all' ? [...ENTITY_TYPES] : [entityType];
    const perEntity: Partial<Record<EntityType, unknown[]>> = {};
    for (const entity of entities) {
      const fields = await client.describeFields(entity);
      const memory = await readMappingMemory(ctx.db, auth.organizationId, connection.crmType, entity);
      const result = await suggestMappings({ entityType: entity, source: connection.crmType, sourceFields: fields.map((f) => ({ name: f.name, label: f.label, type: f.type })), memory });
      perEntity[entity] = result.mappings.map(keep);
    }
    mapping = parseMapping({ fieldMappings: entityType === 'all' ? perEntity : perEntity[entityType as EntityType] });
  }
  const { migrationId } = await startApiImport(ctx, auth, { connectionId: args.connection, entityType: entityType as EntityType | 'all', ...mapping } as Parameters<typeof startApiImport>[2]);
  return migrationId;
}

function bar(fraction: number, width = 30): string {
  const done = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
}

function progressLine(m: MigrationView): string {
  const total = m.counts.total;
  const fetched = m.counts.fetched;
  const pct = total > 0 ? Math.min(1, fetched / total) : 0;
  const rate = m.rate !== null ? `  ${Math.round(m.rate).toLocaleString('en-US')} rec/s` : '';
  const eta = m.eta !== null ? `  ETA ${m.eta}s` : '';
  return `${bar(pct)} ${(pct * 100).toFixed(0).padStart(3)}%  ${fetched.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${rate}${eta}  ${m.phase ?? m.status}`;
}

export async function runImportCli(args: ImportCliArgs): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`crm-migrate import: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const ctx = await createContext(config, { startQueue: true });
  try {
    const auth = await actingAs(ctx, args.org);
    const migrationId = args.kind === 'csv' ? await startCsv(ctx, auth, args) : await startApi(ctx, auth, args);
    err(`import ${migrationId} started`);
    const [run, sweep] = createImportJobs();
    await startWorkers(ctx, { concurrency: 1, schedule: false }, [run as JobDefinition<never>, sweep as JobDefinition<never>]);

    let cancelling = false;
    const onSigint = () => {
      if (cancelling) {
        // A second Ctrl-C: leave now. The open batch rolls back with its checkpoint; the cancellation already
        // asked for is carried out by the next worker that finds the run once its lease runs out (records written
        // so far are kept).
        err('\nstopped at once; a worker (crm-migrate serve or worker) finishes the cancellation when it next finds the run');
        process.exit(130);
      }
      cancelling = true;
      err('\ncancelling after the current batch… (Ctrl-C again to leave at once)');
      void cancelMigration(ctx, auth, migrationId).catch(() => undefined);
    };
    process.on('SIGINT', onSigint);
    const tty = process.stderr.isTTY === true;
    let m = await getMigration(ctx, auth, migrationId);
    let lastPrint = 0;
    while (!ENDED.has(m.status)) {
      await new Promise((r) => setTimeout(r, 250));
      m = await getMigration(ctx, auth, migrationId);
      if (tty) process.stderr.write(`\r\x1b[2K${progressLine(m)}`);
      else if (Date.now() - lastPrint > 2000) {
        lastPrint = Date.now();
        err(progressLine(m));
      }
    }
    process.off('SIGINT', onSigint);
    if (tty) process.stderr.write(`\r\x1b[2K${progressLine(m)}\n`);
    else err(progressLine(m));
    const c = m.counts;
    process.stdout.write(
      `${m.status}: ${c.fetched.toLocaleString('en-US')} read, ${c.created.toLocaleString('en-US')} created, ${c.updated.toLocaleString('en-US')} updated, ${c.skipped.toLocaleString('en-US')} skipped, ${c.failed.toLocaleString('en-US')} failed\n`,
    );
    for (const issue of (m.reconciliation?.issues as string[] | undefined) ?? []) process.stdout.write(`  - ${issue}\n`);
    if (m.error) process.stdout.write(`  ${m.error}\n`);
    if (c.failed > 0 || m.status !== 'completed') process.stdout.write(`  error report: GET /api/import-export/migrations/${migrationId}/errors.csv\n`);
    return m.status === 'completed' ? 0 : m.status === 'completed_with_errors' ? 2 : 1;
  } catch (e) {
    if (e instanceof CliError || isAppError(e)) {
      const details = isAppError(e) && e.details && typeof e.details === 'object' && 'problems' in e.details ? (e.details as { problems: Array<{ message: string }> }).problems.map((p) => `\n  - ${p.message}`).join('') : '';
      err(`crm-migrate import: ${e.message}${details}`);
      return 1;
    }
    throw e;
  } finally {
    await ctx.close();
  }
}
