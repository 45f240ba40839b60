/**
 * One HTTP layer for all five CRMs: budget (throttle before the CRM says no), timeouts, retries with capped
 * exponential backoff and full jitter on 429/5xx/network errors, the CRM's own retry signals (Retry-After,
 * monday retry_in_seconds, HubSpot policyName via the CRM's error table), one token refresh on a 401, and
 * daily-quota exhaustion surfaced as CrmError('quota_exhausted') — never retried in a loop.
 */
import type { Logger } from '../../logger.js';
import { CrmError } from '../errors.js';
import type { ClassifiedError, CrmHttp, CrmHttpRequest, CrmHttpResponse, CrmModule, RateBudget, TokenProvider } from '../types.js';
import { defaultSleep } from './budget.js';

export interface CrmHttpOptions {
  module: CrmModule;
  tokens: TokenProvider;
  budget: RateBudget;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  logger?: Logger;
  /** Attempts for temporary failures (5xx, network, timeouts). */
  maxRetries?: number;
  /** Attempts when the CRM keeps answering 429. */
  maxRateLimitRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Full jitter: a random delay in [0, min(cap, base·2^attempt)] (AWS architecture blog, "Exponential Backoff and Jitter"). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

function buildUrl(url: string, base: string, query: CrmHttpRequest['query']): string {
  const u = /^https?:\/\//.test(url) ? new URL(url) : new URL(base.replace(/\/+$/, '') + url);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

function encodeBody(req: CrmHttpRequest, headers: Record<string, string>): BodyInit | undefined {
  if (req.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return JSON.stringify(req.json);
  }
  if (req.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return new URLSearchParams(req.form).toString();
  }
  return req.body as BodyInit | undefined;
}

class Response_ implements CrmHttpResponse {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly textBody: string | null,
    readonly body: ReadableStream<Uint8Array> | null,
  ) {}
  async text(): Promise<string> {
    if (this.textBody !== null) return this.textBody;
    if (!this.body) return '';
    return new Response(this.body).text();
  }
  async json<T>(): Promise<T> {
    return JSON.parse(await this.text()) as T;
  }
}

const isNetworkError = (err: unknown) =>
  err instanceof TypeError || (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError' || /terminated|socket|ECONN|EPIPE|premature|aborted/i.test(err.message)));

export function createCrmHttp(options: CrmHttpOptions): CrmHttp {
  const {
    module,
    tokens,
    budget,
    fetch = globalThis.fetch,
    sleep = defaultSleep,
    random = Math.random,
    logger,
    maxRetries = 6,
    maxRateLimitRetries = 12,
    baseDelayMs = 500,
    maxDelayMs = 30_000,
    timeoutMs = 60_000,
  } = options;
  const crm = module.definition.id;
  let lastInstanceUrl = '';

  async function request(req: CrmHttpRequest): Promise<CrmHttpResponse> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    let attempts = 0;
    let rateLimited = 0;
    let refreshed = false;
    let forcedToken: { accessToken: string; instanceUrl: string } | undefined;

    for (;;) {
      options.signal?.throwIfAborted();
      const { accessToken, instanceUrl } = forcedToken ?? (await tokens.current());
      forcedToken = undefined;
      lastInstanceUrl = instanceUrl;
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      if (!req.anonymous) headers.authorization = module.authorization(accessToken);
      const body = encodeBody(req, headers);
      const url = buildUrl(req.url, instanceUrl, req.query);

      const ticket = await budget.acquire(req.rateClass, req.weight ?? 1, options.signal);
      let settled = false;
      const settle = async () => {
        if (settled) return;
        settled = true;
        await budget.settle?.(ticket);
      };
      const controller = new AbortController();
      const onAbort = () => controller.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => controller.abort(new DOMException('request timed out', 'TimeoutError')), req.timeoutMs ?? timeoutMs);
      let classified: ClassifiedError | null;
      let status: number | undefined;
      try {
        const res = await fetch(url, { method: req.method, headers, body, signal: controller.signal });
        await settle(); // the CRM has received it
        status = res.status;
        const observations = module.readRateHeaders?.(res.headers) ?? [];
        if (observations.length > 0) await budget.observe(observations);
        if (res.ok && req.stream) {
          clearTimeout(timer); // the caller reads the stream at its own pace
          return new Response_(res.status, res.headers, null, res.body);
        }
        const text = await res.text();
        if (res.ok) {
          classified = req.inspect?.(res.status, res.headers, text) ?? null;
          if (!classified) return new Response_(res.status, res.headers, text, null);
        } else {
          classified = module.classifyError(res.status, res.headers, text);
        }
      } catch (err) {
        if (options.signal?.aborted) throw err;
        if (err instanceof CrmError) throw err;
        if (!isNetworkError(err)) throw err;
        classified = { kind: 'temporary', code: 'NETWORK', detail: (err as Error).message };
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        await settle();
      }

      // Failure: decide what to do from the classification.
      const c = classified!;
      switch (c.kind) {
        case 'auth_expired':
          if (!refreshed && !req.anonymous) {
            refreshed = true;
            logger?.info({ crm, code: c.code }, 'CRM rejected the access token; refreshing once');
            forcedToken = await tokens.refreshAfterRejection(accessToken);
            continue;
          }
          throw new CrmError(crm, c, status);
        case 'rate_limited': {
          if (rateLimited >= maxRateLimitRetries) throw new CrmError(crm, c, status);
          const wait = c.retryAfterMs ?? backoffDelay(rateLimited, baseDelayMs * 2, maxDelayMs, random) + baseDelayMs;
          rateLimited += 1;
          logger?.debug({ crm, wait, code: c.code }, 'CRM rate limit hit; waiting');
          await budget.blockUntil(new Date(Date.now() + wait), 'rate_limited');
          await sleep(wait, options.signal);
          continue;
        }
        case 'quota_exhausted': {
          const resetAt = c.resetAt ?? new Date(Date.now() + (c.retryAfterMs ?? 3_600_000));
          await budget.blockUntil(resetAt, 'quota_exhausted');
          throw new CrmError(crm, { ...c, resetAt }, status);
        }
        case 'temporary':
          if (idempotent && attempts < maxRetries) {
            const wait = c.retryAfterMs ?? backoffDelay(attempts, baseDelayMs, maxDelayMs, random);
            attempts += 1;
            logger?.debug({ crm, wait, attempt: attempts, code: c.code }, 'CRM request failed; retrying');
            await sleep(wait, options.signal);
            continue;
          }
          throw new CrmError(crm, c, status);
        default:
          throw new CrmError(crm, c, status);
      }
    }
  }

  return {
    request,
    instanceUrl: () => lastInstanceUrl,
  };
}
