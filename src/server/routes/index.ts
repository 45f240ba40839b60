/** Every /api route plugin, registered in order by buildApp. Each area adds its plugin here. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { authRoutes } from './auth.js';
import { crmDataRoutes } from './crm-data.js';
import { crmIntegrationRoutes } from './crm-integrations.js';
import { healthRoutes } from './health.js';
import { importExportRoutes } from './import-export.js';
import { mappingRoutes } from './mapping.js';
import { organizationRoutes } from './organizations.js';
import { recordRoutes } from './records.js';

export type ApiRoutePlugin = (app: FastifyInstance, ctx: AppContext) => Promise<void>;

export const apiRoutePlugins: readonly ApiRoutePlugin[] = [healthRoutes, authRoutes, organizationRoutes, mappingRoutes, crmIntegrationRoutes, crmDataRoutes, importExportRoutes, recordRoutes];
