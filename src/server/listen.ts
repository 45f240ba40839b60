/** `crm-migrate serve`: the HTTP server, with the in-process worker on the embedded default. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { startWorkers } from '../jobs/workers.js';
import { buildApp, type BuildOptions } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
}

export async function serve(ctx: AppContext, options: BuildOptions = {}): Promise<RunningServer> {
  if (ctx.config.inProcessWorker && ctx.queue) {
    await startWorkers(ctx, { concurrency: ctx.config.workerConcurrency, schedule: true });
  }
  const app = await buildApp(ctx, options);
  ctx.closers.push(() => app.close());
  const address = await app.listen({ port: ctx.config.port, host: ctx.config.host });
  const port = new URL(address).port;
  const url = ctx.config.port === 0 ? `http://localhost:${port}` : ctx.config.publicUrl;
  return { app, url };
}
