/** Zoho CRM: definition, OAuth hooks, error table and client (src/crm/types.ts). */
import type { CrmModule } from '../types.js';
import { createZohoClient } from './client.js';
import { zohoDefinition } from './definition.js';
import { classifyError, readRateHeaders } from './errors.js';
import { zohoOAuth } from './oauth.js';

export const zohoCrm: CrmModule = {
  definition: zohoDefinition,
  oauth: zohoOAuth,
  classifyError,
  readRateHeaders,
  authorization: (accessToken) => `Zoho-oauthtoken ${accessToken}`,
  createClient: createZohoClient,
};
