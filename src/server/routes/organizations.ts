/** /api/organizations: the current organization and its members. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { MANAGER_ROLES } from '../../services/auth-service.js';
import * as orgService from '../../services/organization-service.js';
import { clearSessionCookies } from '../plugins/auth.js';
import { requireAuth } from '../route-types.js';
import { email, idParams, password, role } from '../schemas/common.js';

const memberView = z.object({ id: z.string(), userId: z.string(), email: z.string(), role, createdAt: z.date() });

export async function organizationRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/organizations/current',
    { schema: { tags: ['organizations'], summary: 'The organization you act in', response: { 200: z.object({ id: z.string(), name: z.string(), createdAt: z.date() }) } } },
    async (request) => orgService.getOrganization(ctx.db, requireAuth(request.auth)),
  );

  app.delete(
    '/organizations/current',
    {
      config: { access: { roles: ['OWNER'] } },
      schema: {
        tags: ['organizations'],
        summary: 'Delete the organization: revokes its CRM connections at the CRMs and deletes all its data (right to delete)',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await orgService.deleteOrganization(ctx.db, requireAuth(request.auth), ctx.organizationDeletionSteps);
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/organizations/members',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: { tags: ['organizations'], summary: 'Members of the organization', response: { 200: z.object({ members: z.array(memberView) }) } },
    },
    async (request) => ({ members: await orgService.listMembers(ctx.db, requireAuth(request.auth)) }),
  );

  app.post(
    '/organizations/members',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags: ['organizations'],
        summary: 'Add a member: creates the account when the e-mail is new (password required then); an existing account keeps its password',
        body: z.object({ email, password: password.optional(), role }),
        response: { 201: memberView },
      },
    },
    async (request, reply) => reply.status(201).send(await orgService.addMember(ctx.db, requireAuth(request.auth), request.body)),
  );

  app.patch(
    '/organizations/members/:id',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'member' } },
      schema: { tags: ['organizations'], summary: "Change a member's role", params: idParams, body: z.object({ role }), response: { 204: z.null() } },
    },
    async (request, reply) => {
      await orgService.updateMemberRole(ctx.db, requireAuth(request.auth), request.params.id, request.body.role);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/organizations/members/:id',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'member' } },
      schema: { tags: ['organizations'], summary: 'Remove a member from the organization', params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await orgService.removeMember(ctx.db, requireAuth(request.auth), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
