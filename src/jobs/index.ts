/** Every job kind the workers run. Each area adds its definition here. */
import { importRunJob, importSweepJob } from './import-run.js';
import { maintenanceJob } from './maintenance.js';
import type { JobDefinition } from './types.js';

export const jobDefinitions: ReadonlyArray<JobDefinition<never>> = [
  maintenanceJob as JobDefinition<never>,
  importRunJob as JobDefinition<never>,
  importSweepJob as JobDefinition<never>,
];
