/**
 * The application context: configuration plus the long-lived resources built from it (database, keyring,
 * queue, metrics, logger). `serve`, `worker` and the tests create one and pass it down; nothing below reads
 * process.env.
 */
import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { AppConfig } from './config.js';
import { openDatabase, type Database, type Db } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { startQueue, type Queue } from './jobs/queue.js';
import { createLogger, type Logger } from './logger.js';
import { loadKeyring, type Keyring } from './security/keyring.js';
import type { OrganizationDeletionStep } from './services/organization-service.js';
import { syncIntegrations } from './services/integration-service.js';

export interface AppContext {
  readonly config: AppConfig;
  readonly database: Database;
  readonly db: Db;
  readonly keyring: Keyring;
  /** Set when the keys live in DATA_DIR (the embedded default); `keys rotate` adds a key to it. */
  readonly keyFile: string | undefined;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** The job queue; undefined until started (`startQueue: false` leaves it off, e.g. in route tests). */
  queue: Queue | undefined;
  /** Run before an organization is deleted (revoking its CRM tokens, …). */
  readonly organizationDeletionSteps: OrganizationDeletionStep[];
  /** Things to stop on close, last registered first. */
  readonly closers: Array<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ContextOptions {
  logger?: Logger;
  /** Start pg-boss (default true). */
  startQueue?: boolean;
  /** An already open database (tests share one per file). */
  database?: Database;
}

export async function createContext(config: AppConfig, options: ContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (config.databaseUrl && !config.encryptionKeys) {
    throw new Error(
      'Configuration error in ENCRYPTION_KEYS: a server on PostgreSQL (DATABASE_URL) needs ENCRYPTION_KEYS set to id:base64key (generate a key with: openssl rand -base64 32). Only the embedded default generates its own.',
    );
  }
  const { keyring, keyFile, generated } = await loadKeyring(config.encryptionKeys?.reveal(), join(config.dataDir, 'encryption-keys'));
  if (generated) logger.warn({ keyFile }, 'no ENCRYPTION_KEYS set: generated an encryption key for the embedded database (keep this file; back it up with the data)');

  const database =
    options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl?.reveal(), dataDir: config.dataDir, poolSize: config.databasePoolSize }));
  await runMigrations(database);
  await syncIntegrations(database.db);

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'crm_migrate_' });

  const closers: Array<() => Promise<void>> = [];
  if (!options.database) closers.push(() => database.close());

  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    keyring,
    keyFile,
    logger,
    metrics,
    queue: undefined,
    organizationDeletionSteps: [],
    closers,
    async close() {
      for (const close of [...closers].reverse()) {
        try {
          await close();
        } catch (err) {
          logger.error({ err }, 'error while shutting down');
        }
      }
      closers.length = 0;
    },
  };

  if (options.startQueue ?? true) {
    const queue = await startQueue({ database, databaseUrl: config.databaseUrl?.reveal(), logger });
    ctx.queue = queue;
    closers.push(() => queue.stop({ graceful: true, wait: true, timeout: 10_000 }));
  }
  return ctx;
}
