/** monday.com: the CrmModule the registry loads (definition, OAuth hooks, error table, client). */
import type { CrmModule } from '../types.js';
import { MondayClient } from './client.js';
import { mondayDefinition } from './definition.js';
import { classifyMondayError, readMondayRateHeaders } from './errors.js';
import { mondayOAuth } from './oauth.js';

export const mondayCrm: CrmModule = {
  definition: mondayDefinition,
  oauth: mondayOAuth,
  classifyError: classifyMondayError,
  readRateHeaders: readMondayRateHeaders,
  // monday takes the bare token: `Authorization: <token>` (https://developer.monday.com/api-reference/docs/authentication).
  authorization: (accessToken) => accessToken,
  createClient: (deps) => new MondayClient(deps),
};
