/** Prometheus metrics at GET /metrics (prom-client), with request counts and latencies per route. */
import type { FastifyInstance } from 'fastify';
import { Histogram } from 'prom-client';
import type { AppContext } from '../../context.js';

export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const duration = new Histogram({
    name: 'crm_migrate_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [ctx.metrics],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route.startsWith('/sandbox/')) return; // demo sandboxes are not part of the service's own traffic
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { access: { auth: 'public' } }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', ctx.metrics.contentType);
    return ctx.metrics.metrics();
  });
}
