/**
 * Tenant isolation and RBAC over every registered /api route, enumerated from the app itself, so a route added
 * later is checked without anyone remembering to add it here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/services/auth-service.js';
import type { RegisteredRoute } from '../../src/server/route-types.js';
import { addMember, as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { resourceFactories, routeKey, sampleBodies, selfServiceRoutes } from '../helpers/resources.js';

let t: TestApp;
let apiRoutes: RegisteredRoute[];
beforeAll(async () => {
  t = await createTestApp();
  apiRoutes = t.app.registeredRoutes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && !r.url.startsWith('/api/docs'));
});
afterAll(async () => t.close());

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function fill(url: string, id: string): string {
  return url.replace(/:id\b/, id).replace(/:crmType\b/, 'hubspot').replace(/:entityType\b/, 'contacts');
}

function request(route: RegisteredRoute, id: string) {
  const key = routeKey(route.method, route.url);
  const body = sampleBodies[key];
  return { method: route.method as 'GET', url: fill(route.url, id), ...(body === undefined ? {} : { payload: body as object }) };
}

describe('every route declares what it needs', () => {
  it('finds the routes', () => {
    expect(apiRoutes.length).toBeGreaterThan(10);
  });

  it('names the resource kind of every :id, with a factory for it', () => {
    const missing = apiRoutes.filter((r) => r.url.includes(':id') && (!r.access?.resource || !(r.access.resource in resourceFactories)));
    expect(missing.map((r) => routeKey(r.method, r.url))).toEqual([]);
  });

  it('gives every body-taking route a sample body in test/helpers/resources.ts', () => {
    const needsBody = apiRoutes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !(routeKey(r.method, r.url) in sampleBodies));
    // Routes without a body (logout, cancel, test …) are fine; a route whose schema has a body must be listed.
    const withBodySchema = needsBody.filter((r) => {
      const spec = (t.app.swagger() as { paths: Record<string, Record<string, { requestBody?: unknown }>> }).paths;
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      return Boolean(spec[path]?.[r.method.toLowerCase()]?.requestBody);
    });
    expect(withBodySchema.map((r) => routeKey(r.method, r.url))).toEqual([]);
  });

  it('restricts every state-changing route to roles, unless it only touches the caller’s own things', () => {
    const open = apiRoutes.filter(
      (r) => MUTATING.has(r.method) && r.access?.auth !== 'public' && !r.access?.roles && !selfServiceRoutes.has(routeKey(r.method, r.url)),
    );
    expect(open.map((r) => routeKey(r.method, r.url))).toEqual([]);
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another organization's resource on every :id route, and serves its own", async () => {
    const routes = apiRoutes.filter((r) => r.url.includes(':id'));
    const failures: string[] = [];
    for (const route of routes) {
      const kind = route.access!.resource!;
      const owner = await signup(t.app, undefined, 'Victim Org');
      const intruder = await signup(t.app, undefined, 'Intruder Org');
      const id = await resourceFactories[kind](t, owner);
      const foreign = await as(t.app, intruder)(request(route, id));
      if (foreign.statusCode !== 404) failures.push(`${routeKey(route.method, route.url)} from another org → ${foreign.statusCode} ${foreign.body.slice(0, 200)}`);
      else if (foreign.body.includes(owner.email)) failures.push(`${routeKey(route.method, route.url)} leaked data in its 404`);
      const own = await as(t.app, owner)(request(route, id));
      if (own.statusCode === 404) failures.push(`${routeKey(route.method, route.url)} did not find its own resource: ${own.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('RBAC matrix', () => {
  it('lets each role reach exactly the routes its role allows', async () => {
    const guarded = apiRoutes.filter((r) => r.access?.roles);
    expect(guarded.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const route of guarded) {
      // A fresh organization per route, and the most powerful role last, so a destructive route that succeeds
      // (deleting the organization) cannot spoil the other checks.
      const owner = await signup(t.app, undefined, 'RBAC Org');
      const sessions: Record<Role, Session> = {
        OWNER: owner,
        ADMIN: await addMember(t.app, owner, 'ADMIN'),
        MEMBER: await addMember(t.app, owner, 'MEMBER'),
        VIEWER: await addMember(t.app, owner, 'VIEWER'),
      };
      for (const role of [...ROLES].reverse()) {
        const id = route.access?.resource ? await resourceFactories[route.access.resource](t, owner) : '00000000-0000-4000-8000-000000000000';
        const res = await as(t.app, sessions[role])(request(route, id));
        const allowed = route.access!.roles!.includes(role);
        const forbidden = res.statusCode === 403 && res.json().error.code === 'FORBIDDEN';
        if (allowed && forbidden) failures.push(`${role} refused on ${routeKey(route.method, route.url)}: ${res.body}`);
        if (!allowed && !forbidden) failures.push(`${role} reached ${routeKey(route.method, route.url)} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
