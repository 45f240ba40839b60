/**
 * What every API route declares about itself in `config`, read by the auth plugin and by the tests that
 * enumerate routes (tenant isolation, RBAC matrix), so a new route cannot escape those checks.
 */
import type { AuthContext, Role } from '../services/auth-service.js';

/** Resource kinds a route's `:id` can name; the tenant-isolation test knows how to create each. */
export type ResourceKind = 'connection' | 'migration' | 'upload' | 'record' | 'member' | 'api_token';

export interface RouteAccess {
  /** `public`: no sign-in. `user` (default for /api): a session or API token. */
  auth?: 'public' | 'user';
  /** Roles allowed; every role when absent. */
  roles?: readonly Role[];
  /** The kind of resource the route's `:id` parameter names, scoped to the caller's organization. */
  resource?: ResourceKind;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: readonly RegisteredRoute[];
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set by the auth plugin on routes that need a user. */
    auth: AuthContext | null;
  }
}

/** The signed-in caller; routes behind `auth: 'user'` can rely on it. */
export function requireAuth(auth: AuthContext | null): AuthContext {
  if (!auth) throw new Error('route reached without authentication: its access config is wrong');
  return auth;
}
