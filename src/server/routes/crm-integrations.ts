/**
 * /api/crm-integrations: the CRMs this server can connect to, OAuth connect (authorize + callback), and the
 * organization's connections (list, test, settings, audit trail, revoke). Thin: each handler calls one service.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { CRM_IDS, isCrmId } from '../../core/ids.js';
import { allCrmSetups } from '../../crm/resolve.js';
import { isAppError, type ErrorCode } from '../../errors.js';
import { MANAGER_ROLES } from '../../services/auth-service.js';
import * as connections from '../../services/connection-service.js';
import { resolveAuth } from '../plugins/auth.js';
import { requireAuth } from '../route-types.js';
import { idParams } from '../schemas/common.js';

/** Where the browser lands after the CRM's consent page (the web app's migration settings). */
export const CONNECT_RETURN_PATH = '/dashboard/settings/migration';

const crmType = z.enum(CRM_IDS);

export const connectionView = z.object({
  id: z.string(),
  crmType,
  username: z.string().nullable(),
  email: z.string().nullable(),
  externalOrgId: z.string().nullable(),
  externalUserId: z.string().nullable(),
  instanceUrl: z.string(),
  isActive: z.boolean(),
  isSandbox: z.boolean(),
  needsReauth: z.boolean(),
  scopes: z.array(z.string()),
  expiresAt: z.date().nullable(),
  lastSyncAt: z.date().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  syncSettings: z.record(z.string(), z.unknown()).nullable(),
});

const integrationView = z.object({ crmType, name: z.string(), mode: z.enum(['real', 'sandbox']), configured: z.boolean() });
const crmParams = z.object({ crmType: z.string().max(100) });
// The callback validates nothing itself: a browser navigation must always end in a redirect, never a JSON 400.
const callbackParams = z.object({ crmType: z.string() });
const auditEntry = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.string().nullable(),
  actorUserId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
});
export type IntegrationView = z.infer<typeof integrationView>;
export type AuditEntry = z.infer<typeof auditEntry>;

function firstValues(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}

function backToApp(reply: FastifyReply, params: Record<string, string>): FastifyReply {
  // no-store: the callback URL carries a one-time code; no-referrer: nothing of it leaks onwards.
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .redirect(`${CONNECT_RETURN_PATH}?${new URLSearchParams(params).toString()}`, 302);
}

export async function crmIntegrationRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  connections.registerConnectionDeletionStep(ctx);

  app.get(
    '/crm-integrations',
    { schema: { tags: ['crm-integrations'], summary: 'The five CRMs and how this server reaches each (real OAuth client or sandbox)', response: { 200: z.array(integrationView) } } },
    async () => allCrmSetups(ctx.config).map(({ crmType: id, name, mode, configured }) => ({ crmType: id, name, mode, configured })),
  );

  app.get(
    '/crm-integrations/:crmType/authorize',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags: ['crm-integrations'],
        summary: "Start connecting a CRM: the consent page URL to send the browser to, and the flow's single-use state",
        params: crmParams,
        response: { 200: z.object({ authUrl: z.string(), state: z.string() }) },
      },
    },
    async (request) => connections.getAuthorizationUrl(ctx, requireAuth(request.auth), request.params.crmType),
  );

  app.get(
    '/crm-integrations/:crmType/callback',
    {
      // Reached by the browser's top-level redirect from the CRM (the SameSite=Lax session cookie comes along):
      // the session is resolved here, and every outcome is a redirect to the app, never a JSON error page.
      config: { access: { auth: 'public' } },
      schema: {
        tags: ['crm-integrations'],
        summary: `OAuth redirect URI: stores the connection, then redirects to ${CONNECT_RETURN_PATH}?connected=true&crm=…&connectionId=… (or ?error=<code>&crm=…)`,
        params: callbackParams,
      },
    },
    async (request: FastifyRequest<{ Params: { crmType: string } }>, reply) => {
      const crm = request.params.crmType;
      const crmParam: Record<string, string> = isCrmId(crm) ? { crm } : {};
      try {
        const auth = await resolveAuth(ctx, request);
        const { connection } = await connections.handleCallback(ctx, auth, crm, firstValues(request.query));
        return await backToApp(reply, { connected: 'true', crm: connection.crmType, connectionId: connection.id });
      } catch (err) {
        const code: ErrorCode = isAppError(err) ? err.code : 'INTERNAL';
        if (!isAppError(err)) request.log.error({ err, crm: crmParam.crm }, 'OAuth callback failed unexpectedly');
        return backToApp(reply, { error: code, ...crmParam });
      }
    },
  );

  app.get(
    '/crm-integrations/connections',
    { schema: { tags: ['crm-integrations'], summary: "The organization's CRM connections (never their tokens)", response: { 200: z.array(connectionView) } } },
    async (request) => connections.listConnections(ctx, requireAuth(request.auth)),
  );

  app.patch(
    '/crm-integrations/connections/:id',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'connection' } },
      schema: {
        tags: ['crm-integrations'],
        summary: "Change the connection's settings: monday's board per entity (`boards`), the rate-limit profile (`rateLimits`, 'off' only for sandboxes)",
        params: idParams,
        body: z.strictObject({ syncSettings: connections.userSettingsPatch }),
        response: { 200: connectionView },
      },
    },
    async (request) => connections.updateConnectionSettings(ctx, requireAuth(request.auth), request.params.id, request.body.syncSettings),
  );

  app.delete(
    '/crm-integrations/connections/:id',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'connection' } },
      schema: { tags: ['crm-integrations'], summary: 'Disconnect: revoke the tokens at the CRM, mark the connection inactive, purge the tokens', params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await connections.revokeConnection(ctx, requireAuth(request.auth), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/crm-integrations/connections/:id/test',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'connection' } },
      schema: {
        tags: ['crm-integrations'],
        summary: 'Check the connection with a cheap real call to the CRM',
        params: idParams,
        response: { 200: z.object({ isValid: z.boolean(), error: z.string().optional() }) },
      },
    },
    async (request) => connections.testConnection(ctx, requireAuth(request.auth), request.params.id),
  );

  app.get(
    '/crm-integrations/connections/:id/audit',
    {
      config: { access: { resource: 'connection' } },
      schema: { tags: ['crm-integrations'], summary: "The connection's audit trail: connected, refreshed, tested, settings changed, revoked — by whom", params: idParams, response: { 200: z.array(auditEntry) } },
    },
    async (request) => connections.listConnectionAudit(ctx, requireAuth(request.auth), request.params.id),
  );
}
