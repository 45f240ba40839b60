/** HubSpot: definition, OAuth hooks, error table and client (src/crm/types.ts). */
import type { CrmModule } from '../types.js';
import { createHubSpotClient } from './client.js';
import { hubspotDefinition } from './definition.js';
import { classifyError, readRateHeaders } from './errors.js';
import { hubspotOAuth } from './oauth.js';

export const hubspotCrm: CrmModule = {
  definition: hubspotDefinition,
  oauth: hubspotOAuth,
  classifyError: (status, headers, body) => classifyError(status, headers, body),
  readRateHeaders,
  authorization: (accessToken) => `Bearer ${accessToken}`,
  createClient: createHubSpotClient,
};
