/**
 * `POST /v2`: monday's GraphQL endpoint (https://api.monday.com/v2). `Authorization: <token>` (bare; "Bearer"
 * accepted too), `API-Version: YYYY-MM`. Order of checks: token → concurrency → parse/validate → limits
 * (IP, minute, daily and the query's complexity, charged together) → execute. Every answered request carries
 * RateLimit-Policy / RateLimit headers and `extensions.request_id`.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorizationToken, type SandboxContext } from '../common/index.js';
import { complexityExhausted, graphqlErrors, maxComplexityExceeded, tooMany, unauthenticated, type ErrorReply } from './errors.js';
import { analyze, execute, prepare } from './graphql/executor.js';
import { ACCOUNT, parseUserId } from './ids.js';
import { verifyJwt } from './jwt.js';
import { MAX_QUERY_COMPLEXITY, setRateHeaders } from './limits.js';
import { costEnv, mondaySchema, type MondayCtx } from './schema/index.js';
import type { MondayState } from './state.js';

type Ctx = SandboxContext<MondayState>;

/** The version a request without (or with a malformed) API-Version header gets: the SDK's current one. */
export const DEFAULT_API_VERSION = '2026-01';

function send(reply: FastifyReply, e: ErrorReply): FastifyReply {
  for (const [k, v] of Object.entries(e.headers ?? {})) void reply.header(k, v);
  return reply.code(e.status).send(e.body);
}

interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

function readBody(req: FastifyRequest): { query: string | null; variables: Record<string, unknown>; operationName: string | null } {
  const raw = req.body;
  if (typeof raw === 'string') return { query: raw, variables: {}, operationName: null }; // application/graphql
  const b = (raw && typeof raw === 'object' && !Buffer.isBuffer(raw) ? raw : {}) as GraphqlBody;
  let variables = b.variables;
  if (typeof variables === 'string') {
    try {
      variables = JSON.parse(variables) as unknown;
    } catch {
      variables = {};
    }
  }
  return {
    query: typeof b.query === 'string' ? b.query : null,
    variables: variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {},
    operationName: typeof b.operationName === 'string' ? b.operationName : null,
  };
}

export function registerApiRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/v2', async (req, reply) => {
    const raw = authorizationToken(req, ['Bearer'], { bare: true });
    const claims = raw ? verifyJwt(ctx.state.secret, raw) : null;
    const auth = ctx.authenticate(claims ? claims.jti : raw ? `not-a-sandbox-jwt:${raw.slice(0, 8)}` : undefined);
    if (!auth.ok) return send(reply, unauthenticated(auth.reason));
    const account = auth.token.subject.orgId;

    const slot = ctx.acquire(reply, 'concurrency', account);
    if (!slot.allowed) return send(reply, tooMany('maxConcurrencyExceeded', 'Concurrency limit exceeded', 1));

    const header = req.headers['api-version'];
    const version = typeof header === 'string' && /^\d{4}-(01|04|07|10)$/.test(header) ? header : DEFAULT_API_VERSION;
    const requestId = randomUUID();
    const reqChecks = [
      { policy: 'ip', key: req.ip },
      { policy: 'minute', key: account },
      { policy: 'daily', key: account },
    ];

    // An answer that is not an execution (parse/validation errors) still counts as a call.
    const reject = (e: ErrorReply) => {
      const d = ctx.consume(reqChecks);
      setRateHeaders(reply, ctx, account, d.results, slot.inFlight);
      return send(reply, d.denied ? deniedReply(d.denied.policy, d.denied.retryAfterMs) : e);
    };

    const { query, variables, operationName } = readBody(req);
    if (!query) return reject({ status: 200, body: graphqlErrors([{ message: 'No query string was present', extensions: { code: 'NO_QUERY' } }]) });
    const prepared = prepare(query, operationName);
    if ('errors' in prepared) return reject({ status: 200, body: graphqlErrors(prepared.errors) });
    const analysis = analyze(mondaySchema, prepared, variables, costEnv({ world: ctx.world, cursorSecret: ctx.state.secret }));
    if (analysis.errors.length > 0) return reject({ status: 200, body: graphqlErrors(analysis.errors) });
    if (analysis.complexity > MAX_QUERY_COMPLEXITY) return reject(maxComplexityExceeded(analysis.complexity, MAX_QUERY_COMPLEXITY));

    const d = ctx.consume([...reqChecks, { policy: 'complexity', key: account, cost: analysis.complexity }]);
    if (d.denied) {
      // "Rate-limited requests count 0.1" towards the daily call limit (rate-limits doc).
      if (d.denied.policy !== 'daily') ctx.consume([{ policy: 'daily', key: account, cost: 0.1 }]);
      setRateHeaders(reply, ctx, account, d.results, slot.inFlight);
      if (d.denied.policy === 'complexity') {
        const c = d.results[3]!;
        return send(reply, complexityExhausted(version, analysis.complexity, Math.floor(c.remaining), c.limit, Math.max(1, Math.ceil(d.denied.retryAfterMs / 1000))));
      }
      return send(reply, deniedReply(d.denied.policy, d.denied.retryAfterMs));
    }
    setRateHeaders(reply, ctx, account, d.results, slot.inFlight);

    const c = d.results[3]!;
    const scopes = auth.token.scope.split(/[\s,]+/).filter(Boolean);
    const mctx: MondayCtx = {
      world: ctx.world,
      now: ctx.clock.now(),
      apiVersion: version,
      userIndex: parseUserId(auth.token.subject.userId) ?? 0,
      scopes: scopes.length > 0 ? new Set(scopes) : null,
      complexity: { query: analysis.complexity, before: Math.floor(c.remaining + analysis.complexity), after: Math.floor(c.remaining), resetInSeconds: Math.ceil(c.resetMs / 1000) },
      cursorSecret: ctx.state.secret,
      cursorTtlMs: ctx.state.cursorTtlMs,
      time: (e) => ctx.state.time(e),
    };
    const result = execute(mondaySchema, prepared, variables, mctx);
    const body = JSON.stringify({
      data: result.data,
      ...(result.errors.length > 0 ? { errors: result.errors } : {}),
      account_id: Number(ACCOUNT.id),
      extensions: { request_id: requestId },
    });
    return reply.type('application/json; charset=utf-8').send(utf8(body));
  });
}

/**
 * A page as UTF-8 bytes, encoded once. Given a string, Fastify measures its UTF-8 length (Buffer.byteLength)
 * and the socket then encodes it again; names in many scripts make these two-byte strings, for which the
 * measuring pass alone cost about as much as running the query.
 */
function utf8(body: string): Buffer {
  return Buffer.from(body, 'utf8');
}

function deniedReply(policy: string, retryAfterMs: number): ErrorReply {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  switch (policy) {
    case 'daily':
      return tooMany('DAILY_LIMIT_EXCEEDED', 'Daily limit exceeded', seconds);
    case 'ip':
      return tooMany('IP_RATE_LIMIT_EXCEEDED', 'IP rate limit exceeded', seconds);
    default:
      return tooMany('RATE_LIMIT_EXCEEDED', 'Rate Limit Exceeded', seconds);
  }
}
