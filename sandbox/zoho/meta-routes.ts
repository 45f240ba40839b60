/**
 * Metadata and identity: `GET /crm/v8/users` (type=AllUsers|ActiveUsers|CurrentUser …), `/crm/v8/org` (the org,
 * including `type`: production or sandbox), `/crm/v8/settings/fields?module=` (standard and custom fields,
 * `custom_field: true` on the latter) and `/crm/v8/settings/modules`. Shapes: get-users.html, get-org-data.html,
 * field-meta.html, modules-api.html (v8).
 */
import type { FastifyInstance } from 'fastify';
import { MSG, zohoError } from './errors.js';
import { fieldMeta } from './fields.js';
import { guard, SCOPES, type Ctx } from './guard.js';
import { CODE, moduleId, ORG_TIME_ZONE, zohoDateTime, zohoId } from './ids.js';
import { findModule, MODULE_NAMES, MODULES } from './modules.js';
import { orgIdOf, SANDBOX_USER } from './oauth-routes.js';
import { userId } from './refs.js';
import { WORLD_START } from '../common/index.js';

type Q = Record<string, string | undefined>;
const USER_TYPES = new Set(['AllUsers', 'ActiveUsers', 'DeactiveUsers', 'ConfirmedUsers', 'NotConfirmedUsers', 'DeletedUsers', 'ActiveConfirmedUsers', 'AdminUsers', 'ActiveConfirmedAdmins', 'CurrentUser']);

export function metaRoutes(app: FastifyInstance, ctx: Ctx): void {
  const world = ctx.world;

  const user = (i: number) => {
    const o = world.owners[i]!;
    return {
      id: userId(i), first_name: o.firstName, last_name: o.lastName, full_name: o.name, email: o.email,
      status: o.active ? 'active' : 'disabled', confirm: true, zuid: String(60_000_000 + i),
      role: { name: i === 0 ? 'CEO' : 'Manager', id: zohoId(CODE.Roles, i === 0 ? 1 : 2) },
      profile: { name: i === 0 ? 'Administrator' : 'Standard', id: zohoId(CODE.Profiles, i === 0 ? 1 : 2) },
      time_zone: o.timeZone, locale: 'en_US', country_locale: 'en_US', language: 'en_US',
      created_time: zohoDateTime(WORLD_START), Modified_Time: zohoDateTime(WORLD_START),
    };
  };

  app.get('/crm/v8/users', async (req, reply) => {
    const q = req.query as Q;
    if (!guard(ctx, req, reply, { scopes: [SCOPES.users], credits: 1 })) return reply;
    const type = q.type ?? 'AllUsers';
    if (!USER_TYPES.has(type)) return zohoError(reply, 400, 'INVALID_DATA', 'invalid data', { param_name: 'type' });
    let ids = world.owners.map((o) => o.index);
    if (type === 'CurrentUser') ids = [SANDBOX_USER];
    else if (type === 'ActiveUsers' || type === 'ActiveConfirmedUsers') ids = ids.filter((i) => world.owners[i]!.active);
    else if (type === 'DeactiveUsers') ids = ids.filter((i) => !world.owners[i]!.active);
    else if (type === 'AdminUsers' || type === 'ActiveConfirmedAdmins') ids = [SANDBOX_USER];
    else if (type === 'NotConfirmedUsers' || type === 'DeletedUsers') ids = [];
    const perPage = Math.min(200, Math.max(1, Number(q.per_page ?? 200) || 200));
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    const slice = ids.slice((page - 1) * perPage, page * perPage);
    if (slice.length === 0) return reply.code(204).send();
    return { users: slice.map(user), info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < ids.length } };
  });

  app.get('/crm/v8/org', async (req, reply) => {
    if (!guard(ctx, req, reply, { scopes: [SCOPES.org], credits: 1 })) return reply;
    const owner = world.owners[SANDBOX_USER]!;
    return {
      org: [{
        id: orgIdOf(), company_name: 'Zylker Sandbox Inc.', alias: null, primary_email: owner.email, primary_zuid: String(60_000_000 + SANDBOX_USER),
        zgid: '60012345678', domain_name: 'org60012345678', time_zone: ORG_TIME_ZONE, currency: 'US Dollar - USD', iso_code: 'USD',
        currency_symbol: '$', currency_locale: 'en_US', mc_status: true, country: 'United States', country_code: 'US',
        type: ctx.state.settings.orgType, max_per_page: 200, created_time: zohoDateTime(WORLD_START),
        license_details: { paid: true, paid_type: 'professional', users_license_purchased: 10, trial_type: null, trial_expiry: null, paid_expiry: null },
      }],
    };
  });

  app.get('/crm/v8/settings/fields', async (req, reply) => {
    const q = req.query as Q;
    if (!guard(ctx, req, reply, { scopes: [SCOPES.fields], credits: 1 })) return reply;
    if (!q.module) return zohoError(reply, 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'module' });
    const m = findModule(q.module);
    if (!m) return zohoError(reply, 400, 'INVALID_MODULE', MSG.invalidModule, { param_name: 'module' });
    const lookupId = (api: string) => {
      const target = findModule(api);
      return target ? moduleId(target.api) : api === 'users' ? moduleId('Users') : '';
    };
    return { fields: m.fields.filter((f) => !f.hidden).map((f, k) => fieldMeta(f as never, zohoId(CODE.Fields, m.code * 1000 + k), lookupId)) };
  });

  app.get('/crm/v8/settings/modules', async (req, reply) => {
    if (!guard(ctx, req, reply, { scopes: [SCOPES.modules], credits: 1 })) return reply;
    return {
      modules: MODULE_NAMES.map((n, k) => {
        const m = MODULES[n];
        return {
          id: moduleId(m.api), api_name: m.api, module_name: m.plural, singular_label: m.singular, plural_label: m.plural,
          api_supported: true, generated_type: 'default', visible: true, viewable: true, creatable: true, editable: true,
          deletable: true, status: 'visible', sequence_number: k + 1, modified_time: zohoDateTime(WORLD_START),
        };
      }),
    };
  });
}
