/**
 * Applies FaultInjector decisions to a Fastify scope (the data-API routes of a sandbox only):
 * status faults are rendered by the CRM's hook, 'reset' destroys the socket before any byte is sent,
 * 'slow' delays the request, 'truncate' sends part of the body (with the full Content-Length) then cuts the
 * connection. A route opts out with `config: { faults: false }`.
 */
import { Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FaultDecision, FaultInjector } from './faults.js';
import type { SandboxStats } from './stats.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Sandbox routes: false exempts the route from fault injection. */
    faults?: boolean;
    /** Sandbox routes: marks /_sandbox/* (not counted in stats). */
    sandboxAdmin?: boolean;
  }
}

const kFault = Symbol('sandbox.fault');
type WithFault = FastifyRequest & { [kFault]?: FaultDecision };

/** The fault decided for this request, if any (e.g. to log it). */
export function requestFault(request: FastifyRequest): FaultDecision | undefined {
  return (request as WithFault)[kFault];
}

export type FaultRenderer = (fault: FaultDecision, request: FastifyRequest, reply: FastifyReply) => unknown;

/** Default body of a status fault when the CRM supplies none. */
export const defaultFaultRenderer: FaultRenderer = (fault) => ({
  error: fault.status === 429 ? 'TOO_MANY_REQUESTS' : 'SANDBOX_FAULT',
  message: `Injected fault #${fault.n}: ${fault.kind}`,
});

export function installFaultHooks(
  scope: FastifyInstance,
  deps: { faults: FaultInjector; stats: SandboxStats; render: FaultRenderer },
): void {
  scope.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.faults === false) return;
    const fault = deps.faults.next();
    if (fault === null) return;
    (request as WithFault)[kFault] = fault;
    deps.stats.fault(fault.kind);
    if (fault.kind === 'slow') {
      await sleep(fault.delayMs);
      return;
    }
    if (fault.kind === 'truncate') return; // handled in onSend, once the body exists
    deps.stats.reject('fault');
    if (fault.kind === 'reset') {
      reply.hijack();
      request.raw.socket?.destroy();
      reply.raw.destroy();
      return reply;
    }
    reply.code(fault.status ?? 500);
    if (fault.status === 429) reply.header('retry-after', '1');
    const body = await deps.render(fault, request, reply);
    if (!reply.sent) await reply.send(body);
    return reply;
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    const fault = (request as WithFault)[kFault];
    if (fault?.kind !== 'truncate' || payload === null || payload === undefined) return payload;
    deps.stats.reject('fault');
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      const buf = typeof payload === 'string' ? Buffer.from(payload) : payload;
      const cut = Math.floor(buf.length * fault.cutFraction);
      reply.header('content-length', String(buf.length));
      return cutStream(buf.subarray(0, cut));
    }
    if (typeof (payload as Readable).pipe === 'function') {
      // Unknown length: pass through a share of the first 256 kB, then fail; a short stream fails at its end.
      return (payload as Readable).pipe(truncatingTransform(Math.max(1, Math.floor(262_144 * fault.cutFraction))));
    }
    return payload;
  });
}

function cutStream(part: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        if (part.length > 0) this.push(part);
        // Fail after the partial chunk is flushed: Fastify then destroys the response mid-body.
        setImmediate(() => this.destroy(new Error('sandbox fault: body cut short')));
      }
    },
  });
}

function truncatingTransform(limit: number): Transform {
  let passed = 0;
  return new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (passed + b.length < limit) {
        passed += b.length;
        return done(null, b);
      }
      this.push(b.subarray(0, limit - passed));
      passed = limit;
      setImmediate(() => this.destroy(new Error('sandbox fault: body cut short')));
      done();
    },
    flush(done) {
      done(new Error('sandbox fault: body cut short'));
    },
  });
}
