/** Every job kind the workers run. Each area adds its definition here. */
import { maintenanceJob } from './maintenance.js';
import type { JobDefinition } from './types.js';

export const jobDefinitions: ReadonlyArray<JobDefinition<never>> = [maintenanceJob as JobDefinition<never>];
