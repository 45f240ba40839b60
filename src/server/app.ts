/**
 * buildApp(ctx): the Fastify application, without listening (tests drive it with inject(); src/server/listen.ts
 * serves it). One plugin per area; every /api route declares its access in `config.access`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { errorBody, errorHandler } from './plugins/errors.js';
import { registerAuth } from './plugins/auth.js';
import { registerMetrics } from './plugins/metrics.js';
import { apiRoutePlugins } from './routes/index.js';
import type { RegisteredRoute } from './route-types.js';

export interface BuildOptions {
  /** Extra plugins mounted beside the API (the demo sandboxes register here). */
  mounts?: Array<(app: FastifyInstance) => Promise<void>>;
}

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 5 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Every route, with its declared access: the tenant-isolation and RBAC suites enumerate these.
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access: route.config?.access });
  });

  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: ctx.config.uploadMaxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
    throwFileSizeLimit: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'crm-migrate API',
        version: '0.1.0',
        description:
          'Move CRM data (CSV or direct API from Salesforce, HubSpot, Pipedrive, Zoho CRM, monday.com) into Postgres. Errors: `{ "error": { "code", "message", "details" } }`, codes in docs/errors.md.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cm_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });

  registerMetrics(app, ctx);

  await app.register(
    async (api) => {
      registerAuth(api, ctx);
      api.get('/openapi.json', { config: { access: { auth: 'public' } }, schema: { hide: true } }, async () => app.swagger());
      for (const plugin of apiRoutePlugins) await plugin(api, ctx);
    },
    { prefix: '/api' },
  );

  for (const mount of options.mounts ?? []) await app.register(mount);

  const webIndex = join(ctx.config.webDistDir, 'index.html');
  const hasWeb = existsSync(webIndex);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: ctx.config.webDistDir, wildcard: false, index: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path === '/api' || request.method !== 'GET') {
      return reply.status(404).send(errorBody('ROUTE_NOT_FOUND', `There is no endpoint ${request.method} ${path}.`));
    }
    if (hasWeb) return reply.type('text/html').sendFile('index.html'); // the web app routes client-side
    return reply
      .status(200)
      .type('text/html')
      .send('<!doctype html><html lang="en"><title>crm-migrate</title><body><main><h1>crm-migrate</h1><p>The web app is not built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it). The API is at <a href="/api/docs">/api/docs</a>.</p></main></body></html>');
  });

  return app;
}
