/**
 * Users, sessions and API tokens. Every authenticated request resolves to an AuthContext: one user acting in
 * one organization with one role. Services take that context and scope every query by its organization.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';
import type { Db, DbOrTx } from '../db/client.js';
import { apiTokens, memberships, organizations, sessions, users } from '../db/schema.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../security/passwords.js';
import { randomToken, sha256 } from '../security/random.js';
import { recordAudit } from './audit-service.js';
import { hitRateLimit, resetRateLimit } from './rate-limit-service.js';

export const ROLES = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that manage connections and start or cancel migrations (the seed's RBAC: ADMIN/OWNER only). */
export const MANAGER_ROLES: readonly Role[] = ['OWNER', 'ADMIN'];

export interface AuthContext {
  userId: string;
  email: string;
  organizationId: string;
  organizationName: string;
  role: Role;
  via: 'session' | 'token';
  /** SHA-256 of the session cookie or API token: binds OAuth state to the browser session that started it. */
  credentialHash: string;
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
}

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

const LOGIN_WINDOW_MS = 15 * 60_000;
const LOGIN_MAX_PER_EMAIL = 10;
const LOGIN_MAX_PER_IP = 50;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function createSession(db: DbOrTx, userId: string, organizationId: string, ttlHours: number, userAgent?: string): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId,
    organizationId,
    csrfToken,
    expiresAt,
    userAgent: userAgent?.slice(0, 300),
  });
  return { token, csrfToken, expiresAt };
}

export interface SignupInput {
  email: string;
  password: string;
  organizationName: string;
  name?: string;
}

export async function signup(db: Db, input: SignupInput, ttlHours: number, userAgent?: string) {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
    if (existing.length > 0) throw new AppError('EMAIL_TAKEN');
    const [user] = await tx.insert(users).values({ email, passwordHash, name: input.name ?? null }).returning();
    const [org] = await tx.insert(organizations).values({ name: input.organizationName.trim() }).returning();
    await tx.insert(memberships).values({ organizationId: org!.id, userId: user!.id, role: 'OWNER' });
    await recordAudit(tx, { organizationId: org!.id, actorUserId: user!.id, action: 'organization.created', targetType: 'organization', targetId: org!.id });
    const session = await createSession(tx, user!.id, org!.id, ttlHours, userAgent);
    return { user: toUserView(user!), organization: { id: org!.id, name: org!.name }, role: 'OWNER' as Role, session };
  });
}

export interface LoginInput {
  email: string;
  password: string;
  organizationId?: string;
}

export async function login(db: Db, input: LoginInput, ip: string, ttlHours: number, userAgent?: string) {
  const email = normaliseEmail(input.email);
  const byEmail = await hitRateLimit(db, `login:email:${email}`, LOGIN_MAX_PER_EMAIL, LOGIN_WINDOW_MS);
  const byIp = await hitRateLimit(db, `login:ip:${ip}`, LOGIN_MAX_PER_IP, LOGIN_WINDOW_MS);
  if (!byEmail.allowed || !byIp.allowed) {
    const retryAfterSeconds = Math.ceil(Math.max(byEmail.retryAfterMs, byIp.retryAfterMs) / 1000);
    throw new AppError('TOO_MANY_ATTEMPTS', undefined, { retryAfterSeconds });
  }
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) throw new AppError('INVALID_CREDENTIALS');
  await resetRateLimit(db, `login:email:${email}`);

  const orgs = await db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, user.id))
    .orderBy(memberships.createdAt);
  const chosen = input.organizationId ? orgs.find((o) => o.id === input.organizationId) : orgs[0];
  if (!chosen) throw new AppError('FORBIDDEN', 'You are not a member of any organization here (or not of the one asked for).');
  const session = await createSession(db, user.id, chosen.id, ttlHours, userAgent);
  return { user: toUserView(user), organization: { id: chosen.id, name: chosen.name }, role: chosen.role, session };
}

export async function logout(db: Db, auth: AuthContext): Promise<void> {
  if (auth.sessionId) await db.delete(sessions).where(eq(sessions.id, auth.sessionId));
}

/** Resolve a session cookie to an AuthContext, or null when missing, unknown or expired. */
export async function authenticateSession(db: Db, token: string): Promise<AuthContext | null> {
  const tokenHash = sha256(token);
  const [row] = await db
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      userId: users.id,
      email: users.email,
      organizationId: organizations.id,
      organizationName: organizations.name,
      role: memberships.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.organizationId, sessions.organizationId)))
    .innerJoin(organizations, eq(organizations.id, sessions.organizationId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())))
    .limit(1);
  if (!row) return null;
  return { ...row, via: 'session', credentialHash: tokenHash };
}

export const API_TOKEN_PREFIX = 'cmt_';

/** Resolve an API token (`Authorization: Bearer cmt_…`) to an AuthContext, or null. */
export async function authenticateApiToken(db: Db, token: string): Promise<AuthContext | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const tokenHash = sha256(token);
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      userId: users.id,
      email: users.email,
      organizationId: organizations.id,
      organizationName: organizations.name,
      role: memberships.role,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(memberships, and(eq(memberships.userId, apiTokens.userId), eq(memberships.organizationId, apiTokens.organizationId)))
    .innerJoin(organizations, eq(organizations.id, apiTokens.organizationId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row) return null;
  // Record use at most once a minute per token, not on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  }
  const { lastUsedAt: _unused, ...rest } = row;
  return { ...rest, via: 'token', credentialHash: tokenHash };
}

export async function createApiToken(db: Db, auth: AuthContext, name: string) {
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const [row] = await db
    .insert(apiTokens)
    .values({ organizationId: auth.organizationId, userId: auth.userId, name: name.trim(), tokenHash: sha256(token), prefix: token.slice(0, 10) })
    .returning();
  await recordAudit(db, { organizationId: auth.organizationId, actorUserId: auth.userId, action: 'api_token.created', targetType: 'api_token', targetId: row!.id, metadata: { name: row!.name } });
  return { token, apiToken: toTokenView(row!) };
}

export async function listApiTokens(db: Db, auth: AuthContext) {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.organizationId, auth.organizationId), eq(apiTokens.userId, auth.userId), isNull(apiTokens.revokedAt)))
    .orderBy(apiTokens.createdAt);
  return rows.map(toTokenView);
}

export async function revokeApiToken(db: Db, auth: AuthContext, id: string): Promise<void> {
  const res = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.organizationId, auth.organizationId), eq(apiTokens.userId, auth.userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (res.length === 0) throw new AppError('NOT_FOUND', 'API token was not found.');
  await recordAudit(db, { organizationId: auth.organizationId, actorUserId: auth.userId, action: 'api_token.revoked', targetType: 'api_token', targetId: id });
}

/** Move the session to another organization the user belongs to. */
export async function switchOrganization(db: Db, auth: AuthContext, organizationId: string): Promise<void> {
  if (!auth.sessionId) throw new AppError('VALIDATION_FAILED', 'API tokens act in one organization; create a token in the other organization instead.');
  const [m] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, auth.userId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  if (!m) throw new AppError('NOT_FOUND', 'Organization was not found.');
  await db.update(sessions).set({ organizationId }).where(eq(sessions.id, auth.sessionId));
}

export async function listMyOrganizations(db: Db, userId: string) {
  return db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt);
}

function toUserView(u: typeof users.$inferSelect): UserView {
  return { id: u.id, email: u.email, name: u.name, createdAt: u.createdAt };
}

function toTokenView(t: typeof apiTokens.$inferSelect) {
  return { id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt };
}
