/**
 * Running a sandbox on its own: argument parsing for `crm-migrate sandbox`, `startSandbox` (tests and CLI) and
 * `runSandboxCli`, which prints exactly one line — "<CRM name> sandbox listening on <url>" — when ready.
 */
import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { ENTITY_TYPES, isCrmId, isEntityType, type CrmId } from '../../src/core/ids.js';
import type { RecordCounts } from './data/types.js';
import { sandboxOptions, type RateLimitMode, type SandboxDefinition, type SandboxInstance, type SandboxOptions } from './sandbox.js';

/** A bad command-line value; the message names the flag and what is accepted. */
export class SandboxArgsError extends Error {
  override name = 'SandboxArgsError';
}

function integer(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const m = /^(\d[\d_]*)([km]?)$/i.exec(raw.trim());
  const mult = m?.[2]?.toLowerCase() === 'k' ? 1_000 : m?.[2]?.toLowerCase() === 'm' ? 1_000_000 : 1;
  const n = m ? Number((m[1] as string).replace(/_/g, '')) * mult : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new SandboxArgsError(`${flag}: expected an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

/** Parses `contacts=N,accounts=N,…` (N may use _ separators or a k/m suffix) into counts, unset entities at default. */
export function parseRecordsSpec(spec: string, defaults: RecordCounts = sandboxOptions().records): RecordCounts {
  const out: RecordCounts = { ...defaults };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq).trim();
    if (!isEntityType(name)) throw new SandboxArgsError(`--records: unknown entity "${name}"; use ${ENTITY_TYPES.join(', ')}`);
    if (eq < 0) throw new SandboxArgsError(`--records: "${part}" needs a count, e.g. ${name}=1000`);
    out[name] = integer(`--records ${name}`, part.slice(eq + 1), 0, 10_000_000);
  }
  return out;
}

export function parseRateLimitMode(raw: string): RateLimitMode {
  if (raw === 'realistic' || raw === 'off') return raw;
  throw new SandboxArgsError(`--rate-limits: expected "realistic" or "off", got "${raw}"`);
}

export function parseFaultRate(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new SandboxArgsError(`--fault-rate: expected a number from 0 to 1, got "${raw}"`);
  return n;
}

/** Seconds (positive integer) or "never". */
export function parseTokenTtl(raw: string): number | null {
  if (raw === 'never') return null;
  return integer('--token-ttl', raw, 1, 10 * 365 * 86_400);
}

function redirectUri(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return raw;
  } catch {
    /* fall through */
  }
  throw new SandboxArgsError(`--redirect-uri: expected an absolute http(s) URL, got "${raw}"`);
}

export interface SandboxCliArgs {
  readonly crm: CrmId;
  readonly port: number;
  readonly host: string;
  readonly options: SandboxOptions;
}

/**
 * Parses `--crm <id> --port <n> [--host h] [--seed n] [--records …] [--rate-limits realistic|off]
 * [--fault-rate 0..1] [--token-ttl seconds|never] [--client-id …] [--client-secret …] [--redirect-uri …]
 * [--option key=value …]`. Throws SandboxArgsError with a message naming the flag.
 */
export function parseSandboxArgs(argv: readonly string[]): SandboxCliArgs {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        crm: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' },
        records: { type: 'string' }, 'rate-limits': { type: 'string' }, 'fault-rate': { type: 'string' },
        'token-ttl': { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' },
        'redirect-uri': { type: 'string' }, option: { type: 'string', multiple: true },
      },
    }));
  } catch (err) {
    throw new SandboxArgsError((err as Error).message);
  }
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const crm = str('crm');
  if (!isCrmId(crm)) throw new SandboxArgsError(`--crm: expected one of salesforce, hubspot, pipedrive, zoho, monday, got "${crm ?? ''}"`);
  const extras: Record<string, string> = {};
  for (const kv of (values.option as string[] | undefined) ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new SandboxArgsError(`--option: expected key=value, got "${kv}"`);
    extras[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const partial: { -readonly [K in keyof SandboxOptions]?: SandboxOptions[K] } = { extras };
  if (str('seed') !== undefined) partial.seed = integer('--seed', str('seed') as string, 0, 0xffffffff);
  if (str('records') !== undefined) partial.records = parseRecordsSpec(str('records') as string);
  if (str('rate-limits') !== undefined) partial.rateLimits = parseRateLimitMode(str('rate-limits') as string);
  if (str('fault-rate') !== undefined) partial.faultRate = parseFaultRate(str('fault-rate') as string);
  if (str('token-ttl') !== undefined) partial.tokenTtlSeconds = parseTokenTtl(str('token-ttl') as string);
  if (str('client-id') !== undefined) partial.clientId = str('client-id');
  if (str('client-secret') !== undefined) partial.clientSecret = str('client-secret');
  if (str('redirect-uri') !== undefined) partial.redirectUri = redirectUri(str('redirect-uri') as string);
  return {
    crm,
    port: str('port') === undefined ? 0 : integer('--port', str('port') as string, 0, 65_535),
    host: str('host') ?? '127.0.0.1',
    options: sandboxOptions(partial),
  };
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:43123 (no trailing slash). */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly instance: SandboxInstance;
  close(): Promise<void>;
}

/** Builds a Fastify server with the sandbox at its root and listens (port 0 = ephemeral). */
export async function startSandbox(
  definition: SandboxDefinition,
  options: Partial<SandboxOptions> = {},
  listen: { port?: number; host?: string; logger?: boolean } = {},
): Promise<RunningSandbox> {
  const instance = definition.create(sandboxOptions(options));
  // forceCloseConnections: SDK clients keep connections alive; close() must not wait for them.
  const app = Fastify({ logger: listen.logger ?? false, forceCloseConnections: true });
  await app.register(instance.plugin);
  const host = listen.host ?? '127.0.0.1';
  await app.listen({ port: listen.port ?? 0, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : listen.port ?? 0;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}`, app, instance, close: () => app.close() };
}

/**
 * `crm-migrate sandbox …`: parses argv, starts the CRM's sandbox, prints one line when ready and serves
 * until SIGINT/SIGTERM. `resolve` maps a CRM id to its definition (the sandbox registry).
 */
export async function runSandboxCli(
  argv: readonly string[],
  resolve: (crm: CrmId) => SandboxDefinition | Promise<SandboxDefinition>,
  io: { out?: (line: string) => void; handleSignals?: boolean } = {},
): Promise<RunningSandbox> {
  const args = parseSandboxArgs(argv);
  const definition = await resolve(args.crm);
  const running = await startSandbox(definition, args.options, { port: args.port, host: args.host });
  (io.out ?? ((line) => process.stdout.write(`${line}\n`)))(`${definition.displayName} sandbox listening on ${running.url}`);
  if (io.handleSignals ?? true) {
    const stop = (): void => {
      void running.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return running;
}
