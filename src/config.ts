/**
 * Configuration, parsed once at start-up from the environment. A bad value stops start-up with a message that
 * names the variable. Secrets are wrapped in `Secret` so a stray log line prints "[redacted]".
 * Every variable is listed in README.md ("Configuration").
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { CRM_IDS, type CrmId } from './core/ids.js';

/** A value that must not be logged or serialised by accident. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

export interface CrmOAuthConfig {
  clientId: string;
  clientSecret: Secret;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** The URL users reach this server at; OAuth redirect URIs are built from it, never from the request. */
  publicUrl: string;
  dataDir: string;
  /** postgres://… for a real server; undefined → embedded PGlite in dataDir. */
  databaseUrl: Secret | undefined;
  databasePoolSize: number;
  /** `id:base64key,…`; the first is the active key. Undefined → generated into dataDir (embedded only). */
  encryptionKeys: Secret | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  /** Run a worker inside `serve` (the embedded default). `crm-migrate worker` runs workers only. */
  inProcessWorker: boolean;
  workerConcurrency: number;
  /** Import runs at once per organization. */
  orgConcurrency: number;
  uploadMaxBytes: number;
  sessionTtlHours: number;
  smtpUrl: Secret | undefined;
  mailFrom: string;
  llm: { baseUrl: string; apiKey: Secret; model: string; sendSamples: boolean; timeoutMs: number } | undefined;
  /** Real OAuth clients per CRM; a CRM without one runs against its sandbox. */
  crmOAuth: Partial<Record<CrmId, CrmOAuthConfig>>;
  /** A separately started sandbox per CRM (`<CRM>_SANDBOX_URL`). */
  crmSandboxUrls: Partial<Record<CrmId, string>>;
  /** Mount the built-in sandboxes under /sandbox/<crm> for CRMs with no real client (demo mode). */
  demoSandboxes: boolean;
  /** Serve the built web app from this folder when it exists. */
  webDistDir: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Configuration error in ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), 'expected true or false')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const positiveInt = z.coerce.number().int().positive();
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

function parseVar<T>(env: NodeJS.ProcessEnv, name: string, schema: z.ZodType<T>, fallback: T): T;
function parseVar<T>(env: NodeJS.ProcessEnv, name: string, schema: z.ZodType<T>): T | undefined;
function parseVar<T>(env: NodeJS.ProcessEnv, name: string, schema: z.ZodType<T>, fallback?: T): T | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(name, result.error.issues.map((i) => i.message).join('; '));
  }
  return result.data;
}

/** Parse the environment into a validated config. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const nodeEnv = parseVar(env, 'NODE_ENV', z.enum(['development', 'production', 'test']), 'development');
  const port = parseVar(env, 'PORT', z.coerce.number().int().min(0).max(65535), 3000);
  const host = parseVar(env, 'HOST', z.string().min(1), '0.0.0.0');
  const databaseUrl = parseVar(
    env,
    'DATABASE_URL',
    z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL'),
  );

  const crmOAuth: Partial<Record<CrmId, CrmOAuthConfig>> = {};
  const crmSandboxUrls: Partial<Record<CrmId, string>> = {};
  for (const crm of CRM_IDS) {
    const prefix = crm.toUpperCase();
    const id = parseVar(env, `${prefix}_CLIENT_ID`, z.string().min(1));
    const secret = parseVar(env, `${prefix}_CLIENT_SECRET`, z.string().min(1));
    if ((id === undefined) !== (secret === undefined)) {
      throw new ConfigError(
        id === undefined ? `${prefix}_CLIENT_ID` : `${prefix}_CLIENT_SECRET`,
        `set both ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET, or neither`,
      );
    }
    if (id !== undefined && secret !== undefined) crmOAuth[crm] = { clientId: id, clientSecret: new Secret(secret) };
    const sandboxUrl = parseVar(env, `${prefix}_SANDBOX_URL`, url);
    if (sandboxUrl) crmSandboxUrls[crm] = sandboxUrl;
  }

  const llmBase = parseVar(env, 'LLM_BASE_URL', url);
  const llmKey = parseVar(env, 'LLM_API_KEY', z.string().min(1));
  const llmModel = parseVar(env, 'LLM_MODEL', z.string().min(1));
  const llmSet = [llmBase, llmKey, llmModel].filter((v) => v !== undefined).length;
  if (llmSet > 0 && llmSet < 3) {
    throw new ConfigError('LLM_BASE_URL', 'set LLM_BASE_URL, LLM_API_KEY and LLM_MODEL together, or none of them');
  }

  const config: AppConfig = {
    env: nodeEnv,
    host,
    port,
    publicUrl: parseVar(env, 'PUBLIC_URL', url, `http://localhost:${port === 0 ? 3000 : port}`),
    dataDir: resolve(parseVar(env, 'DATA_DIR', z.string().min(1), './.data')),
    databaseUrl: databaseUrl === undefined ? undefined : new Secret(databaseUrl),
    databasePoolSize: parseVar(env, 'DATABASE_POOL_SIZE', positiveInt, 10),
    encryptionKeys: parseVar(env, 'ENCRYPTION_KEYS', z.string().min(1).transform((v) => new Secret(v))),
    logLevel: parseVar(
      env,
      'LOG_LEVEL',
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    trustProxy: parseVar(env, 'TRUST_PROXY', bool, false),
    inProcessWorker: parseVar(env, 'IN_PROCESS_WORKER', bool, true),
    workerConcurrency: parseVar(env, 'WORKER_CONCURRENCY', positiveInt, 2),
    orgConcurrency: parseVar(env, 'ORG_CONCURRENCY', positiveInt, 2),
    uploadMaxBytes: parseVar(env, 'UPLOAD_MAX_BYTES', positiveInt, 1024 * 1024 * 1024),
    sessionTtlHours: parseVar(env, 'SESSION_TTL_HOURS', positiveInt, 24 * 14),
    smtpUrl: parseVar(env, 'SMTP_URL', z.string().regex(/^smtps?:\/\//, 'expected smtp:// or smtps://').transform((v) => new Secret(v))),
    mailFrom: parseVar(env, 'MAIL_FROM', z.string().min(3), 'crm-migrate <no-reply@localhost>'),
    llm:
      llmBase && llmKey && llmModel
        ? {
            baseUrl: llmBase,
            apiKey: new Secret(llmKey),
            model: llmModel,
            sendSamples: parseVar(env, 'LLM_SEND_SAMPLES', bool, true),
            timeoutMs: parseVar(env, 'LLM_TIMEOUT_MS', positiveInt, 8000),
          }
        : undefined,
    crmOAuth,
    crmSandboxUrls,
    demoSandboxes: parseVar(env, 'DEMO_SANDBOXES', bool, true),
    webDistDir: resolve(parseVar(env, 'WEB_DIST_DIR', z.string().min(1), './dist/web')),
    ...overrides,
  };
  return config;
}
