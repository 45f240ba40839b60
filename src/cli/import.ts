/**
 * `crm-migrate import csv <file> --entity <type> [--mapping <file>] [--org <id>]` and
 * `crm-migrate import api --connection <id> --entity <type|all> [--mapping <file>] [--org <id>]`: start an import
 * from the terminal and follow it with a progress bar. The run is a normal background run (same checkpoints,
 * errors and reconciliation as from the web app); this process works on it too. Without --mapping the suggested
 * mapping is used (fields without a standard target are kept as custom fields). Ctrl-C cancels the run.
 * Exit code: 0 completed, 2 completed with errors, 1 anything else (bad input, failed, cancelled).
 */
import { Command } from 'commander';

const ENTITY_HELP = 'accounts, contacts, leads, deals or activities';

export interface ImportCliOptions {
  entity: string;
  mapping?: string;
  org?: string;
  connection?: string;
}

/** The `import` command; its work is loaded only when it runs. */
export function importCommand(): Command {
  const cmd = new Command('import').description('import a CSV file or a connected CRM, with a progress bar (exit 0 only on a clean completion)');
  cmd
    .command('csv')
    .description('import a CSV file')
    .argument('<file>', 'the CSV file')
    .requiredOption('--entity <type>', ENTITY_HELP)
    .option('--mapping <file.json>', 'field mappings: [{ "sourceField", "targetField" | null, "transform"?, "keepAsCustom"? }] or { "fieldMappings", "options" }')
    .option('--org <id>', 'organization id (default: the only one)')
    .action(async (file: string, opts: ImportCliOptions) => {
      const { runImportCli } = await import('../import/cli-runner.js');
      process.exitCode = await runImportCli({ kind: 'csv', file, ...opts });
    });
  cmd
    .command('api')
    .description('import from a connected CRM')
    .requiredOption('--connection <id>', 'the CRM connection (see /api/crm-integrations/connections)')
    .requiredOption('--entity <type>', `${ENTITY_HELP}, or all`)
    .option('--mapping <file.json>', 'field mappings (per entity for --entity all: { "contacts": [...], ... })')
    .option('--org <id>', 'organization id (default: the only one)')
    .action(async (opts: ImportCliOptions) => {
      const { runImportCli } = await import('../import/cli-runner.js');
      process.exitCode = await runImportCli({ kind: 'api', ...opts });
    });
  return cmd;
}
