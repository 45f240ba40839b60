/**
 * The contract every CRM sandbox implements, and `defineSandbox`, which assembles one from a small spec:
 * a world, an OAuth store, limiters, fault injection and stats (the SandboxContext), then a Fastify plugin
 * that works at the root of its own server or under a prefix in a bigger app (`/sandbox/<crm>`).
 *
 * Plugin layout (each part an encapsulated scope):
 *   root        body parsers, base-URL capture, stats, the CRM's error and not-found renderers
 *   /_sandbox   stats, config, tokens/expire, reset (generic; no faults, not counted)
 *   oauth       the CRM's OAuth and consent routes (no faults)
 *   api         the CRM's data routes (seeded faults unless a route sets `config: { faults: false }`)
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CrmId } from '../../src/core/ids.js';
import { systemClock, type Clock } from './clock.js';
import { createWorld, type World } from './data/index.js';
import type { RecordCounts } from './data/types.js';
import { defaultFaultRenderer, installFaultHooks } from './fault-hooks.js';
import { FaultInjector, type FaultDecision, type FaultKind } from './faults.js';
import { ConcurrencyLimiter, RateLimiter, type ConcurrencyPolicy, type ConcurrencySlot, type LimitCheck, type LimitDecision, type WindowPolicy } from './limits.js';
import { OAuthStore, type AccessTokenCheck, type OAuthStoreOptions } from './oauth.js';
import { registerSandboxParsers } from './parsers.js';
import { SandboxStats, type RejectReason } from './stats.js';
import { registerAdminRoutes } from './admin.js';

export type RateLimitMode = 'realistic' | 'off';

/** Start-up options of one sandbox (CLI flags or test settings). See `sandboxOptions()` for defaults. */
export interface SandboxOptions {
  readonly seed: number;
  readonly records: RecordCounts;
  readonly rateLimits: RateLimitMode;
  /** 0..1. */
  readonly faultRate: number;
  /** Access-token lifetime; undefined = the CRM's real one; null = never expires. */
  readonly tokenTtlSeconds?: number | null;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Pins the only accepted redirect URI; otherwise any http(s) URI on localhost/127.0.0.1. */
  readonly redirectUri?: string;
  /** Injected time (tests); default the system clock. */
  readonly clock?: Clock;
  /** CRM-specific settings (`--option key=value`), e.g. { oauthFlow: '2.1' } for monday. */
  readonly extras?: Readonly<Record<string, string>>;
}

/** Limits, faults and token lifetime as changed at run time by `POST /_sandbox/config`. */
export interface SandboxRuntimeConfig {
  rateLimits: RateLimitMode;
  faultRate: number;
  faultWeights: Record<FaultKind, number>;
  slowMs: [number, number];
  tokenTtlSeconds: number | null;
  rotateRefreshTokens: boolean;
  /** Window policies (limit, windowMs) and concurrency policies (limit) by name. */
  limits: Record<string, { limit: number; windowMs?: number }>;
}

export type SandboxConfigPatch = Partial<Omit<SandboxRuntimeConfig, 'limits' | 'faultWeights'>> & {
  faultWeights?: Partial<Record<FaultKind, number>>;
  limits?: Record<string, { limit?: number; windowMs?: number }>;
};

/** Everything a CRM's routes need, per sandbox instance. */
export interface SandboxContext<S = unknown> {
  readonly id: CrmId;
  readonly displayName: string;
  readonly options: SandboxOptions;
  readonly clock: Clock;
  readonly world: World;
  readonly oauth: OAuthStore;
  readonly limits: RateLimiter;
  readonly concurrency: ConcurrencyLimiter;
  readonly faults: FaultInjector;
  readonly stats: SandboxStats;
  /** The CRM's own mutable state (bulk jobs, cursors …), from `spec.state`. */
  readonly state: S;
  /** Public base URL of this sandbox for the request (protocol, host, mount prefix). */
  baseUrl(request: FastifyRequest): string;
  /** Checks a bearer token; counts a rejection as 'unauthorized' when it is not live. */
  authenticate(token: string | undefined | null): AccessTokenCheck;
  /** Charges rate-limit windows atomically; counts a denial under its policy's reason. */
  consume(checks: readonly LimitCheck[]): LimitDecision;
  /** Takes a concurrency slot released automatically when the response ends; counts a denial as 'concurrency'. */
  acquire(reply: FastifyReply, policy: string, key: string): ConcurrencySlot;
  reject(reason: RejectReason): void;
  config(): SandboxRuntimeConfig;
  /** Validated by the caller (the /_sandbox/config route uses a schema); throws on unknown limit names. */
  configure(patch: SandboxConfigPatch): SandboxRuntimeConfig;
  /** Clears stats, limiter usage and the fault counter (tokens stay). */
  resetRuntime(): void;
}

/** How a CRM renders errors. Each may send the reply itself or return a body (status set on `reply`). */
export interface SandboxRenderers<S> {
  /** Errors thrown by routes, hooks or body parsers (`error.statusCode` is set for 4xx from Fastify/parsers). */
  error?(error: FastifyError, request: FastifyRequest, reply: FastifyReply, ctx: SandboxContext<S>): unknown;
  notFound?(request: FastifyRequest, reply: FastifyReply, ctx: SandboxContext<S>): unknown;
  /** An injected 429/500/502/503: the status is already set on `reply`. */
  fault?(fault: FaultDecision, request: FastifyRequest, reply: FastifyReply, ctx: SandboxContext<S>): unknown;
}

/** What a CRM writes: `export const hubspotSandbox = defineSandbox({ … })`. */
export interface SandboxSpec<S = undefined> {
  readonly id: CrmId;
  readonly displayName: string;
  /** The real access-token lifetime in seconds (null: never expires). */
  readonly tokenTtlSeconds: number | null;
  /** OAuth behaviour: code TTL, rotation, token prefixes … (clients, clock and TTL come from the options). */
  readonly oauth?: Omit<OAuthStoreOptions, 'clients' | 'clock' | 'accessTokenTtlSeconds'>;
  /** The real documented windows (applied when rateLimits is 'realistic'). */
  readonly rateLimits?: readonly WindowPolicy[];
  readonly concurrency?: readonly ConcurrencyPolicy[];
  readonly faultWeights?: Partial<Record<FaultKind, number>>;
  /** Builds the CRM's per-instance state. */
  readonly state?: (ctx: Omit<SandboxContext<S>, 'state'>) => S;
  /** OAuth and consent routes: never faulted. */
  readonly oauthRoutes?: (app: FastifyInstance, ctx: SandboxContext<S>) => void | Promise<void>;
  /** Data API routes: faulted at the configured rate. */
  readonly apiRoutes: (app: FastifyInstance, ctx: SandboxContext<S>) => void | Promise<void>;
  readonly render?: SandboxRenderers<S>;
}

export interface SandboxInstance<S = unknown> {
  readonly id: CrmId;
  readonly displayName: string;
  readonly ctx: SandboxContext<S>;
  /** Register at the root of a server or under a prefix: `app.register(instance.plugin, { prefix: '/sandbox/hubspot' })`. */
  readonly plugin: FastifyPluginAsync;
}

export interface SandboxDefinition {
  readonly id: CrmId;
  readonly displayName: string;
  readonly tokenTtlSeconds: number | null;
  create(options: SandboxOptions): SandboxInstance;
}

export const DEFAULT_RECORDS: Readonly<RecordCounts> = { accounts: 500, contacts: 2000, leads: 800, deals: 1000, activities: 3000 };
export const DEFAULT_SEED = 42;
export const DEFAULT_CLIENT_ID = 'sandbox-client-id';
export const DEFAULT_CLIENT_SECRET = 'sandbox-client-secret';

/** Fills defaults: seed 42, a few thousand related records, realistic limits, no faults, the sandbox client. */
export function sandboxOptions(partial: Partial<SandboxOptions> = {}): SandboxOptions {
  return {
    seed: DEFAULT_SEED,
    rateLimits: 'realistic',
    faultRate: 0,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    ...partial,
    records: { ...DEFAULT_RECORDS, ...partial.records },
  };
}

const kPrefix = Symbol('sandbox.prefix');

/** Public base URL of the sandbox serving `request`: protocol + host + mount prefix (no trailing slash). */
export function baseUrl(request: FastifyRequest): string {
  const prefix = (request as FastifyRequest & { [kPrefix]?: string })[kPrefix] ?? '';
  return `${request.protocol}://${request.host}${prefix}`;
}

/** Extracts the token from `Authorization: <scheme> <token>`; with `bare`, a header without scheme is the token (monday). */
export function authorizationToken(request: FastifyRequest, schemes: readonly string[] = ['Bearer'], options: { bare?: boolean } = {}): string | undefined {
  const h = request.headers.authorization?.trim();
  if (!h) return undefined;
  const sp = h.indexOf(' ');
  if (sp > 0) {
    const scheme = h.slice(0, sp).toLowerCase();
    if (schemes.some((s) => s.toLowerCase() === scheme)) return h.slice(sp + 1).trim() || undefined;
  }
  return options.bare ? h : undefined;
}

/** Builds the runtime context of one sandbox instance. Exposed for CRMs that write `create()` by hand. */
export function createSandboxContext<S>(spec: SandboxSpec<S>, options: SandboxOptions): SandboxContext<S> {
  const clock = options.clock ?? systemClock;
  const realistic = options.rateLimits === 'realistic';
  const world = createWorld({ seed: options.seed, counts: options.records });
  const oauth = new OAuthStore({
    ...spec.oauth,
    clients: [{ id: options.clientId, secret: options.clientSecret, redirectUri: options.redirectUri, name: 'Sandbox client' }],
    clock,
    accessTokenTtlSeconds: options.tokenTtlSeconds === undefined ? spec.tokenTtlSeconds : options.tokenTtlSeconds,
  });
  const limits = new RateLimiter(spec.rateLimits ?? [], { clock, enabled: realistic });
  const concurrency = new ConcurrencyLimiter(spec.concurrency ?? [], { enabled: realistic });
  const faults = new FaultInjector(options.seed, { rate: options.faultRate, weights: { ...spec.faultWeights } });
  const stats = new SandboxStats();

  const base: Omit<SandboxContext<S>, 'state'> = {
    id: spec.id, displayName: spec.displayName, options, clock, world, oauth, limits, concurrency, faults, stats,
    baseUrl,
    authenticate(token) {
      const r = oauth.checkAccessToken(token);
      if (!r.ok) stats.reject('unauthorized');
      return r;
    },
    consume(checks) {
      const d = limits.consume(checks);
      if (d.denied) stats.reject(d.denied.reason);
      return d;
    },
    acquire(reply, policy, key) {
      const slot = concurrency.tryAcquire(policy, key);
      if (!slot.allowed) stats.reject('concurrency');
      else {
        reply.raw.once('finish', slot.release);
        reply.raw.once('close', slot.release);
      }
      return slot;
    },
    reject: (reason) => stats.reject(reason),
    config() {
      const lim: SandboxRuntimeConfig['limits'] = {};
      for (const p of limits.policies()) lim[p.name] = { limit: p.limit, windowMs: p.windowMs };
      for (const p of concurrency.policies()) lim[p.name] = { limit: p.limit };
      return {
        rateLimits: limits.enabled ? 'realistic' : 'off',
        faultRate: faults.settings.rate,
        faultWeights: { ...faults.settings.weights },
        slowMs: [...faults.settings.slowMs],
        tokenTtlSeconds: oauth.accessTokenTtlSeconds,
        rotateRefreshTokens: oauth.rotateRefreshTokens,
        limits: lim,
      };
    },
    configure(patch) {
      const windows = new Set(limits.policies().map((p) => p.name));
      const caps = new Set(concurrency.policies().map((p) => p.name));
      for (const name of Object.keys(patch.limits ?? {})) {
        if (!windows.has(name) && !caps.has(name)) throw new RangeError(`unknown limit "${name}"; known: ${[...windows, ...caps].join(', ')}`);
      }
      faults.configure({ rate: patch.faultRate, weights: patch.faultWeights, slowMs: patch.slowMs });
      if (patch.rateLimits !== undefined) limits.enabled = concurrency.enabled = patch.rateLimits === 'realistic';
      if (patch.tokenTtlSeconds !== undefined) oauth.accessTokenTtlSeconds = patch.tokenTtlSeconds;
      if (patch.rotateRefreshTokens !== undefined) oauth.rotateRefreshTokens = patch.rotateRefreshTokens;
      for (const [name, p] of Object.entries(patch.limits ?? {})) {
        if (windows.has(name)) limits.configure(name, p);
        else concurrency.configure(name, { limit: p.limit });
      }
      return base.config();
    },
    resetRuntime() {
      stats.reset();
      limits.reset();
      concurrency.reset();
      faults.reset();
    },
  };
  const state = spec.state ? spec.state(base) : (undefined as S);
  return { ...base, state };
}

/** Builds the Fastify plugin of a sandbox from its context and spec. */
export function createSandboxPlugin<S>(spec: SandboxSpec<S>, ctx: SandboxContext<S>): FastifyPluginAsync {
  return async (app) => {
    const prefix = app.prefix;
    registerSandboxParsers(app);
    // Requests are counted on arrival (a reset or cut-short response never reaches onResponse); statuses on completion.
    app.addHook('onRequest', (request, _reply, done) => {
      (request as FastifyRequest & { [kPrefix]?: string })[kPrefix] = prefix;
      if (!request.routeOptions.config?.sandboxAdmin) {
        const url = request.routeOptions.url;
        ctx.stats.request(url === undefined ? `${request.method} <unmatched>` : `${request.method} ${url.slice(prefix.length) || '/'}`);
      }
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      if (!request.routeOptions.config?.sandboxAdmin) ctx.stats.status(reply.statusCode);
      done();
    });
    app.setErrorHandler<FastifyError>(async (error, request, reply) => {
      const render = spec.render?.error;
      if ((error.statusCode ?? 500) === 400) ctx.stats.reject('bad_request');
      const body = render
        ? await render(error, request, reply, ctx)
        : (reply.code(error.statusCode && error.statusCode >= 400 ? error.statusCode : 500),
          { error: error.code ?? 'INTERNAL_ERROR', message: error.message });
      if (!reply.sent) return reply.send(body);
      return reply;
    });
    app.setNotFoundHandler(async (request, reply) => {
      const render = spec.render?.notFound;
      const body = render
        ? await render(request, reply, ctx)
        : (reply.code(404), { error: 'NOT_FOUND', message: `No route ${request.method} ${request.url}` });
      if (!reply.sent) return reply.send(body);
      return reply;
    });

    await app.register(async (admin) => registerAdminRoutes(admin, ctx), { prefix: '/_sandbox' });
    const oauthRoutes = spec.oauthRoutes;
    if (oauthRoutes) await app.register(async (scope) => oauthRoutes(scope, ctx));
    await app.register(async (scope) => {
      const render = spec.render?.fault;
      installFaultHooks(scope, {
        faults: ctx.faults, stats: ctx.stats,
        render: render ? (f, req, rep) => render(f, req, rep, ctx) : defaultFaultRenderer,
      });
      await spec.apiRoutes(scope, ctx);
    });
  };
}

/** Turns a CRM's spec into a SandboxDefinition (what the registry, the CLI and the main server use). */
export function defineSandbox<S = undefined>(spec: SandboxSpec<S>): SandboxDefinition {
  return {
    id: spec.id,
    displayName: spec.displayName,
    tokenTtlSeconds: spec.tokenTtlSeconds,
    create(options) {
      const ctx = createSandboxContext(spec, options);
      return { id: spec.id, displayName: spec.displayName, ctx, plugin: createSandboxPlugin(spec, ctx) } as SandboxInstance;
    },
  };
}
