/**
 * The generic /_sandbox routes every sandbox serves (not part of any real CRM API):
 *   GET  /_sandbox/stats          requests per endpoint, rejections, faults, peak usage per window, live tokens
 *   GET  /_sandbox/config         current limits, faults and token lifetime
 *   POST /_sandbox/config         change them at run time (JSON body, any subset of SandboxConfigPatch)
 *   POST /_sandbox/tokens/expire  expire every live access token now
 *   POST /_sandbox/reset          clear stats, limiter usage and the fault counter
 * Errors here use one plain shape, `{ error, message }`, whatever the CRM.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FAULT_KINDS } from './faults.js';
import type { SandboxConfigPatch, SandboxContext } from './sandbox.js';

const ConfigPatch = z.strictObject({
  rateLimits: z.enum(['realistic', 'off']).optional(),
  faultRate: z.number().min(0).max(1).optional(),
  faultWeights: z.partialRecord(z.enum(FAULT_KINDS), z.number().min(0)).optional(),
  slowMs: z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => a <= b, 'slowMs: min ≤ max').optional(),
  tokenTtlSeconds: z.number().int().positive().nullable().optional(),
  rotateRefreshTokens: z.boolean().optional(),
  limits: z.record(z.string(), z.strictObject({ limit: z.number().min(0).optional(), windowMs: z.number().positive().optional() })).optional(),
});

export function registerAdminRoutes(app: FastifyInstance, ctx: SandboxContext<unknown>): void {
  const config = { sandboxAdmin: true, faults: false };
  app.setErrorHandler<FastifyError>(async (error, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: error.code ?? 'SANDBOX_ERROR', message: error.message });
  });

  app.get('/stats', { config }, async () => ({
    crm: ctx.id,
    ...ctx.stats.snapshot(),
    rateLimits: { enabled: ctx.limits.enabled, windows: ctx.limits.peaks(), concurrency: ctx.concurrency.peaks() },
    tokens: ctx.oauth.liveTokens(),
  }));

  app.get('/config', { config }, async () => ctx.config());

  app.post('/config', { config }, async (request, reply) => {
    const parsed = ConfigPatch.safeParse(request.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({ error: 'INVALID_CONFIG', message: z.prettifyError(parsed.error) });
    }
    try {
      return ctx.configure(parsed.data as SandboxConfigPatch);
    } catch (err) {
      return reply.code(400).send({ error: 'INVALID_CONFIG', message: (err as Error).message });
    }
  });

  app.post('/tokens/expire', { config }, async () => ({ expired: ctx.oauth.expireAccessTokens() }));

  app.post('/reset', { config }, async () => {
    ctx.resetRuntime();
    return { reset: true };
  });
}
