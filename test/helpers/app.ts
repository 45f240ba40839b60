/** An application on a fresh test database, driven with inject(); plus helpers to sign up and call as a user. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { formatKeyring, generateKey } from '../../src/security/keyring.js';
import { buildApp, type BuildOptions } from '../../src/server/app.js';
import { openTestDatabase } from './db.js';
import type { DestinationStream } from 'pino';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  config: AppConfig;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  startQueue?: boolean;
  /** Capture log lines (JSON) here. */
  logDestination?: DestinationStream;
  logLevel?: AppConfig['logLevel'];
  build?: BuildOptions;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cm-test-'));
  const testDb = await openTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ENCRYPTION_KEYS: formatKeyring([generateKey('test1')]),
    WEB_DIST_DIR: join(dataDir, 'no-web'),
    ...(testDb.url ? { DATABASE_URL: testDb.url } : {}),
    ...options.env,
  });
  const logger = createLogger({ level: options.logLevel ?? (options.logDestination ? 'info' : 'silent'), destination: options.logDestination });
  const ctx = await createContext(config, { logger, startQueue: options.startQueue ?? false, database: testDb.database });
  const app = await buildApp(ctx, options.build);
  await app.ready();
  return {
    app,
    ctx,
    config,
    dataDir,
    async close() {
      await app.close();
      await ctx.close();
      await testDb.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  organizationId: string;
  email: string;
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}@example.com`;
}

export const PASSWORD = 'correct horse battery';

function cookieFrom(res: LightMyRequestResponse): string {
  const set = res.cookies.find((c) => c.name === 'cm_session');
  if (!set) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `cm_session=${set.value}`;
}

export async function signup(app: FastifyInstance, email = uniqueEmail(), organizationName = 'Acme Inc'): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password: PASSWORD, organizationName } });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { cookie: cookieFrom(res), csrf: body.csrfToken, userId: body.user.id, organizationId: body.organization.id, email };
}

let addressCounter = 0;
/** A distinct client address per test login, so suites that log in many users stay under the per-IP login limit (tested on its own in auth.db.test.ts). */
function nextAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: nextAddress() });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { cookie: cookieFrom(res), csrf: body.csrfToken, userId: body.user.id, organizationId: body.organization.id, email };
}

/** inject() as a signed-in browser: session cookie plus CSRF header. */
export function as(app: FastifyInstance, session: Session) {
  return (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(opts.headers ?? {}) } });
}

/** Add a member with a role to the session's organization and return their session. */
export async function addMember(app: FastifyInstance, owner: Session, role: 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER'): Promise<Session> {
  const email = uniqueEmail(role.toLowerCase());
  const res = await as(app, owner)({ method: 'POST', url: '/api/organizations/members', payload: { email, password: PASSWORD, role } });
  if (res.statusCode !== 201) throw new Error(`add member failed: ${res.statusCode} ${res.body}`);
  return login(app, email);
}
