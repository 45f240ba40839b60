/**
 * Metadata and identity-adjacent reads: properties (custom ones included), owners, account details (whose
 * accountType tells a developer test account or sandbox apart) and the v4 associations batch read.
 */
import type { FastifyInstance } from 'fastify';
import { apiError, notFound, validation } from './errors.js';
import { guard, send } from './guard.js';
import { resolveObjectType, type ObjectType } from './objects.js';
import { propertiesOf, propertyOf, type PropDef } from './properties.js';
import { ownerId, ownerUserId } from './records.js';
import { v4Associations } from './associations.js';
import { HUB_ID, type Ctx } from './state.js';

const STAMP = '2019-08-06T02:43:14.491Z';

function renderProperty(p: PropDef, k: number): Record<string, unknown> {
  return {
    updatedAt: STAMP, createdAt: STAMP, name: p.name, label: p.label, type: p.type, fieldType: p.fieldType, description: '',
    groupName: p.groupName,
    options: (p.options ?? []).map((o, j) => ({ label: o.label, value: o.value, displayOrder: j, hidden: false })),
    displayOrder: k, calculated: p.calculated ?? false, externalOptions: p.name === 'hubspot_owner_id', hasUniqueValue: p.name === 'hs_object_id',
    hidden: false, ...(p.custom ? {} : { hubspotDefined: true }),
    modificationMetadata: { archivable: Boolean(p.custom), readOnlyDefinition: !p.custom, readOnlyValue: p.calculated ?? false },
    formField: !p.calculated,
  };
}

export function registerMetadataRoutes(app: FastifyInstance, ctx: Ctx): void {
  const objectParam = (raw: string): ObjectType | undefined => resolveObjectType(raw);

  app.get('/crm/v3/properties/:objectType', async (req, reply) => {
    const raw = (req.params as { objectType: string }).objectType;
    const t = objectParam(raw);
    if (!guard(ctx, req, reply, { scope: t?.scope })) return reply;
    if (!t) return send(reply, 400, validation(`Unable to infer object type from: ${raw}`));
    return { results: propertiesOf(t).map(renderProperty) };
  });

  app.get('/crm/v3/properties/:objectType/:propertyName', async (req, reply) => {
    const { objectType, propertyName } = req.params as { objectType: string; propertyName: string };
    const t = objectParam(objectType);
    if (!guard(ctx, req, reply, { scope: t?.scope })) return reply;
    if (!t) return send(reply, 400, validation(`Unable to infer object type from: ${objectType}`));
    const p = propertyOf(t, propertyName);
    if (!p) return send(reply, 404, notFound(`Unable to find property ${propertyName} on object ${t.typeId}`));
    return renderProperty(p, propertiesOf(t).indexOf(p));
  });

  app.get('/crm/v3/owners', async (req, reply) => {
    if (!guard(ctx, req, reply, { scope: 'crm.objects.owners.read' })) return reply;
    const q = req.query as { limit?: string; after?: string; archived?: string };
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return send(reply, 400, validation(`limit must be between 1 and 500, got ${q.limit}`));
    const owners = ctx.world.owners.filter((o) => o.active !== (q.archived === 'true'));
    const start = q.after ? Number(q.after) : 0;
    const page = owners.slice(start, start + limit).map((o) => ({
      id: ownerId(o.index), email: o.email, type: 'PERSON', firstName: o.firstName, lastName: o.lastName,
      userId: Number(ownerUserId(o.index)), userIdIncludingInactive: Number(ownerUserId(o.index)),
      createdAt: STAMP, updatedAt: STAMP, archived: !o.active, teams: [],
    }));
    const end = start + page.length;
    return end < owners.length ? { results: page, paging: { next: { after: String(end), link: `?after=${end}` } } } : { results: page };
  });

  app.get('/account-info/v3/details', async (req, reply) => {
    if (!guard(ctx, req, reply)) return reply;
    return {
      portalId: Number(HUB_ID), accountType: ctx.state.accountType, timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [],
      utcOffset: '-05:00', utcOffsetMilliseconds: -18_000_000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1',
    };
  });

  app.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', async (req, reply) => {
    const p = req.params as { fromObjectType: string; toObjectType: string };
    const from = objectParam(p.fromObjectType);
    const to = objectParam(p.toObjectType);
    if (!guard(ctx, req, reply, { scope: from?.scope })) return reply;
    if (!from || !to) return send(reply, 400, validation(`Unable to infer object type from: ${!from ? p.fromObjectType : p.toObjectType}`));
    const inputs = (req.body as { inputs?: { id?: unknown }[] } | undefined)?.inputs;
    if (!Array.isArray(inputs)) return send(reply, 400, validation('Invalid input JSON: "inputs" is required'));
    if (inputs.length > 1000) return send(reply, 400, validation(`Batch input limit exceeded: ${inputs.length} inputs, the maximum is 1000`));
    const startedAt = new Date(ctx.clock.now()).toISOString();
    const results = [];
    const errors = [];
    for (const input of inputs) {
      const id = String(input?.id ?? '');
      const i = ctx.state.index.indexOfId(from, id);
      const links = i === null || i >= ctx.world.counts[from.entity] ? [] : v4Associations(from, ctx.world.get(from.entity, i), to.name);
      if (links.length > 0) results.push({ from: { id }, to: links });
      else {
        errors.push({
          ...apiError('OBJECT_NOT_FOUND', `No ${to.singular} is associated with ${from.singular} ${id}.`), subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          context: { fromObjectId: [id] },
        });
      }
    }
    const body = { status: 'COMPLETE', results, startedAt, completedAt: new Date(ctx.clock.now()).toISOString() };
    return errors.length === 0 ? body : send(reply, 207, { ...body, numErrors: errors.length, errors });
  });
}
