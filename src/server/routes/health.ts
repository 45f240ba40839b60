/** GET /api/health: is the database answering, and which driver is it. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';

export async function healthRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/health',
    {
      config: { access: { auth: 'public' } },
      schema: {
        tags: ['system'],
        summary: 'Health: database reachability and driver, queue state',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.object({ driver: z.enum(['pglite', 'postgres']), ok: z.boolean(), latencyMs: z.number() }), queue: z.object({ running: z.boolean() }) }),
          503: z.object({ status: z.literal('error'), database: z.object({ driver: z.enum(['pglite', 'postgres']), ok: z.boolean(), error: z.string() }) }),
        },
      },
    },
    async (_request, reply) => {
      const started = performance.now();
      try {
        await ctx.database.raw.query('select 1');
        return { status: 'ok' as const, database: { driver: ctx.database.driver, ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 }, queue: { running: ctx.queue !== undefined } };
      } catch (err) {
        return reply.status(503).send({ status: 'error' as const, database: { driver: ctx.database.driver, ok: false, error: (err as Error).message } });
      }
    },
  );
}
