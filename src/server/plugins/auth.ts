/**
 * Authentication, CSRF and role checks for the API, driven by each route's `config.access`
 * (src/server/route-types.ts). Credentials: `Authorization: Bearer cmt_…` (API token) or the `cm_session`
 * cookie. Cookie-authenticated requests that change state must echo the session's CSRF token in `X-CSRF-Token`
 * (the SPA reads it from `/api/auth/me` or the `cm_csrf` cookie); bearer tokens carry no ambient authority.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { AppContext } from '../../context.js';
import { authenticateApiToken, authenticateSession, type NewSession } from '../../services/auth-service.js';

export const SESSION_COOKIE = 'cm_session';
export const CSRF_COOKIE = 'cm_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, session: NewSession): void {
  const secure = request.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: session.expiresAt });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, expires: session.expiresAt });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** Resolve the caller from the request's credentials, without enforcing anything. */
export async function resolveAuth(ctx: AppContext, request: FastifyRequest) {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
    const auth = await authenticateApiToken(ctx.db, match[1]!);
    if (!auth) throw new AppError('UNAUTHENTICATED', 'The API token is invalid or was revoked.');
    return auth;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  return authenticateSession(ctx.db, cookie);
}

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config?.access ?? {};
    if (access.auth === 'public') return;
    const auth = await resolveAuth(ctx, request);
    if (!auth) throw new AppError('UNAUTHENTICATED');
    if (auth.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !auth.csrfToken || !safeEqual(sent, auth.csrfToken)) throw new AppError('CSRF_FAILED');
    }
    if (access.roles && !access.roles.includes(auth.role)) {
      throw new AppError('FORBIDDEN', `Your role (${auth.role}) does not allow this; it needs ${access.roles.join(' or ')}.`);
    }
    request.auth = auth;
  });
}
