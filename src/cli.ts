/**
 * The `crm-migrate` command. `serve` is what `npm start` runs: the API, the web app, the demo CRM sandboxes and
 * an in-process worker on the embedded database. `worker` runs job workers only (scale out on PostgreSQL).
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { createContext, type AppContext } from './context.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { startWorkers } from './jobs/workers.js';
import { importCommand } from './cli/import.js';
import { addKeyToFile, formatKeyring, generateKey, KeyringError, loadKeyring } from './security/keyring.js';
import { rotateSecrets } from './services/key-rotation.js';
import { serve } from './server/listen.js';
import { demoSandboxMounts } from './server/demo-mounts.js';
import { runSandboxCli, SandboxArgsError } from '../sandbox/common/runner.js';
import { getSandboxDefinition } from '../sandbox/registry.js';
import { join } from 'node:path';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string): never {
  process.stderr.write(`crm-migrate: ${message}\n`);
  process.exit(1);
}

function config(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

async function context(cfg: AppConfig, startQueue: boolean): Promise<AppContext> {
  try {
    return await createContext(cfg, { startQueue });
  } catch (err) {
    if (err instanceof KeyringError || err instanceof ConfigError) fail(err.message);
    if (err instanceof Error && err.message.startsWith('Configuration error')) fail(err.message);
    throw err;
  }
}

function untilSignal(ctx: AppContext): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      ctx.logger.info({ signal }, 'shutting down');
      void ctx.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0–65535');
  return n;
};

export function buildCli(): Command {
  const program = new Command('crm-migrate').description('Move CRM data into Postgres: CSV uploads and direct API imports.').showHelpAfterError();

  program
    .command('serve')
    .description('serve the API and web app (and, unless IN_PROCESS_WORKER=false, run a worker in-process)')
    .option('-p, --port <port>', 'port (overrides PORT)', port)
    .action(async (opts: { port?: number }) => {
      const cfg = config();
      if (opts.port !== undefined) cfg.port = opts.port;
      const ctx = await context(cfg, true);
      const mounts = await demoSandboxMounts(ctx.config, ctx.logger);
      const { url } = await serve(ctx, { mounts });
      out(`crm-migrate is running: open ${url} in your browser (API docs at ${url}/api/docs; database: ${ctx.database.driver === 'pglite' ? `embedded, in ${cfg.dataDir}` : 'PostgreSQL'})`);
      await untilSignal(ctx);
    });

  program
    .command('worker')
    .description('run job workers only; start several against one PostgreSQL to scale out')
    .option('-c, --concurrency <n>', 'jobs at once in this process (overrides WORKER_CONCURRENCY)', (v) => Number.parseInt(v, 10))
    .action(async (opts: { concurrency?: number }) => {
      const cfg = config();
      if (!cfg.databaseUrl) {
        process.stderr.write('crm-migrate: note: without DATABASE_URL the worker uses the embedded database, which only one process can open; `serve` already runs a worker in-process.\n');
      }
      const ctx = await context(cfg, true);
      await startWorkers(ctx, { concurrency: opts.concurrency ?? cfg.workerConcurrency, schedule: true });
      out(`crm-migrate worker running (${ctx.database.driver}); Ctrl-C to stop`);
      await untilSignal(ctx);
    });

  program
    .command('sandbox')
    .description('run one CRM sandbox on its own: --crm <salesforce|hubspot|pipedrive|zoho|monday> [--port n] [--records contacts=N,…] [--rate-limits realistic|off] … (docs/sandboxes.md)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]')
    .action(async (args: string[]) => {
      try {
        await runSandboxCli(args, getSandboxDefinition);
      } catch (err) {
        if (err instanceof SandboxArgsError) fail(err.message);
        throw err;
      }
    });

  const db = program.command('db').description('database tasks');
  db.command('migrate')
    .description('apply the committed SQL migrations (serve and worker also do this at start-up)')
    .action(async () => {
      const cfg = config();
      const database = await openDatabase({ databaseUrl: cfg.databaseUrl?.reveal(), dataDir: cfg.dataDir });
      try {
        await runMigrations(database);
        out(`migrations applied (${database.driver})`);
      } finally {
        await database.close();
      }
    });

  const keys = program.command('keys').description('encryption keys for OAuth tokens at rest');
  keys
    .command('generate')
    .description('print a new key for ENCRYPTION_KEYS (put it first to make it the active key)')
    .option('--id <id>', 'key id', `k${Date.now().toString(36)}`)
    .action((opts: { id: string }) => out(formatKeyring([generateKey(opts.id)])));
  keys
    .command('rotate')
    .description('re-encrypt every stored secret under the active key (the first of ENCRYPTION_KEYS; on the embedded default a new key is generated first) while the service keeps running')
    .action(async () => {
      const cfg = config();
      if (!cfg.encryptionKeys) {
        const loaded = await loadKeyring(undefined, join(cfg.dataDir, 'encryption-keys'));
        const id = await addKeyToFile(loaded.keyFile!);
        out(`generated new active key ${id} in ${loaded.keyFile}`);
      }
      const ctx = await context(cfg, false);
      try {
        const report = await rotateSecrets(ctx.database, ctx.keyring);
        out(JSON.stringify(report, null, 2));
        if (Object.keys(report.remaining).length > 0) fail('some secrets are still sealed under old keys (see "remaining"); run again');
        out(`all secrets are sealed under ${report.activeKeyId}; older keys can be removed from ENCRYPTION_KEYS once every server runs with this keyring`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('suggest-mapping')
    .description('suggest a field mapping for source fields (no server or database needed); prints { "mappings": [...] }')
    .requiredOption('--entity <type>', 'accounts, contacts, leads, deals or activities')
    .requiredOption('--crm <source>', 'salesforce, hubspot, pipedrive, zoho, monday or csv')
    .requiredOption('--fields <file.json>', 'a JSON file holding the sourceFields array: [{ "name", "label"?, "type"?, "samples"? }]')
    .action(async (opts: { entity: string; crm: string; fields: string }) => {
      const { suggestMappingCommand } = await import('./cli/suggest-mapping.js');
      process.exitCode = await suggestMappingCommand(opts, process.stdout);
    });

  program.addCommand(importCommand());

  return program;
}

await buildCli()
  .parseAsync(process.argv)
  .catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
