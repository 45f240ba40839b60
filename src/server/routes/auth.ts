/** /api/auth: sign up, log in and out, who am I, API tokens, switching organization. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import * as authService from '../../services/auth-service.js';
import { clearSessionCookies, setSessionCookies } from '../plugins/auth.js';
import { requireAuth } from '../route-types.js';
import { email, idParams, organizationView, password, role, userView } from '../schemas/common.js';

const sessionResponse = z.object({
  user: userView,
  organization: organizationView,
  role,
  csrfToken: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

const tokenView = z.object({ id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.date(), lastUsedAt: z.date().nullable() });

export async function authRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const ttl = ctx.config.sessionTtlHours;

  app.post(
    '/auth/signup',
    {
      config: { access: { auth: 'public' } },
      schema: {
        tags: ['auth'],
        summary: 'Create an account and its organization (you become its OWNER)',
        body: z.object({ email, password, organizationName: z.string().trim().min(1).max(200), name: z.string().trim().max(200).optional() }),
        response: { 201: sessionResponse },
      },
    },
    async (request, reply) => {
      const result = await authService.signup(ctx.db, request.body, ttl, request.headers['user-agent']);
      setSessionCookies(request, reply, result.session);
      return reply.status(201).send({ user: result.user, organization: result.organization, role: result.role, csrfToken: result.session.csrfToken });
    },
  );

  app.post(
    '/auth/login',
    {
      config: { access: { auth: 'public' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the session cookie',
        body: z.object({ email, password: z.string().min(1).max(200), organizationId: z.uuid().optional() }),
        response: { 200: sessionResponse },
      },
    },
    async (request, reply) => {
      const result = await authService.login(ctx.db, request.body, request.ip, ttl, request.headers['user-agent']);
      setSessionCookies(request, reply, result.session);
      return { user: result.user, organization: result.organization, role: result.role, csrfToken: result.session.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } } },
    async (request, reply) => {
      await authService.logout(ctx.db, requireAuth(request.auth));
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, the organization acted in, the role there, and the other organizations',
        response: {
          200: z.object({
            user: z.object({ id: z.string(), email: z.string() }),
            organization: organizationView,
            role,
            via: z.enum(['session', 'token']),
            csrfToken: z.string().nullable(),
            organizations: z.array(organizationView.extend({ role })),
          }),
        },
      },
    },
    async (request) => {
      const auth = requireAuth(request.auth);
      return {
        user: { id: auth.userId, email: auth.email },
        organization: { id: auth.organizationId, name: auth.organizationName },
        role: auth.role,
        via: auth.via,
        csrfToken: auth.csrfToken ?? null,
        organizations: await authService.listMyOrganizations(ctx.db, auth.userId),
      };
    },
  );

  app.post(
    '/auth/switch-organization',
    {
      schema: { tags: ['auth'], summary: 'Act in another organization you belong to', body: z.object({ organizationId: z.uuid() }), response: { 204: z.null() } },
    },
    async (request, reply) => {
      await authService.switchOrganization(ctx.db, requireAuth(request.auth), request.body.organizationId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token (shown once) acting as you in this organization',
        body: z.object({ name: z.string().trim().min(1).max(100) }),
        response: { 201: z.object({ token: z.string(), apiToken: tokenView }) },
      },
    },
    async (request, reply) => {
      const result = await authService.createApiToken(ctx.db, requireAuth(request.auth), request.body.name);
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/auth/tokens',
    { schema: { tags: ['auth'], summary: 'Your API tokens in this organization (never the secrets)', response: { 200: z.object({ tokens: z.array(tokenView) }) } } },
    async (request) => ({ tokens: await authService.listApiTokens(ctx.db, requireAuth(request.auth)) }),
  );

  app.delete(
    '/auth/tokens/:id',
    {
      config: { access: { resource: 'api_token' } },
      schema: { tags: ['auth'], summary: 'Revoke an API token', params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await authService.revokeApiToken(ctx.db, requireAuth(request.auth), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
