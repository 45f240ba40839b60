/** Pipedrive: definition, OAuth hooks, error table, rate headers and client (src/crm/types.ts CrmModule). */
import type { CrmModule } from '../types.js';
import { createPipedriveClient } from './client.js';
import { pipedriveDefinition } from './definition.js';
import { classifyError, readRateHeaders } from './errors.js';
import { pipedriveOAuth } from './oauth.js';

export const pipedriveCrm: CrmModule = {
  definition: pipedriveDefinition,
  oauth: pipedriveOAuth,
  classifyError: (status, headers, body) => classifyError(status, headers, body),
  readRateHeaders,
  authorization: (accessToken) => `Bearer ${accessToken}`,
  createClient: createPipedriveClient,
};
