/** Salesforce: the CrmModule (definition, OAuth hooks, error table, client). */
import type { CrmModule } from '../types.js';
import { createClient } from './client.js';
import { salesforceDefinition } from './definition.js';
import { classifyError, readRateHeaders } from './errors.js';
import { salesforceOAuth } from './oauth.js';

export const salesforceCrm: CrmModule = {
  definition: salesforceDefinition,
  oauth: salesforceOAuth,
  classifyError: (status, headers, body) => classifyError(status, headers, body),
  readRateHeaders,
  authorization: (accessToken) => `Bearer ${accessToken}`,
  createClient,
};
