/**
 * Configuration → how this server talks to each CRM (a ResolvedCrm, src/crm/oauth-flow.ts):
 *   1. a real OAuth client (`<CRM>_CLIENT_ID` / `_SECRET`): the CRM's own hosts from its definition;
 *   2. a separately started sandbox (`<CRM>_SANDBOX_URL`): every host is that URL, the sandbox's client;
 *   3. the built-in demo sandbox (`DEMO_SANDBOXES`), mounted at `${PUBLIC_URL}/sandbox/<crm>`;
 *   otherwise the CRM is not configured (CRM_NOT_CONFIGURED).
 * The redirect URI is fixed by configuration (`${PUBLIC_URL}/api/crm-integrations/<crm>/callback`), never taken
 * from a request, so a forged Host header cannot redirect a code elsewhere.
 */
import type { AppConfig } from '../config.js';
import { CRM_IDS, CRM_NAMES, type CrmId } from '../core/ids.js';
import { AppError } from '../errors.js';
import type { ResolvedCrm } from './oauth-flow.js';
import { CrmModuleUnavailableError, getCrmModule } from './registry.js';
import type { CrmHosts, CrmModule } from './types.js';

/** The client every sandbox knows unless started with --client-id/--client-secret (sandbox/common). */
export const SANDBOX_CLIENT = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' } as const;

export type CrmSource = 'client' | 'sandbox_url' | 'demo' | 'none';

export interface CrmSetup {
  crmType: CrmId;
  name: string;
  /** Where this server's OAuth for the CRM goes. */
  source: CrmSource;
  mode: 'real' | 'sandbox';
  configured: boolean;
  /** The sandbox base URL (sandbox_url, demo). */
  sandboxUrl?: string;
}

export function redirectUriFor(config: Pick<AppConfig, 'publicUrl'>, crm: CrmId): string {
  return `${config.publicUrl}/api/crm-integrations/${crm}/callback`;
}

/** Where the demo sandbox of a CRM is mounted on this server. */
export function demoSandboxUrl(config: Pick<AppConfig, 'publicUrl'>, crm: CrmId): string {
  return `${config.publicUrl}/sandbox/${crm}`;
}

/** How one CRM is set up, from configuration alone (no module needed). */
export function crmSetup(config: AppConfig, crm: CrmId): CrmSetup {
  const base = { crmType: crm, name: CRM_NAMES[crm] };
  if (config.crmOAuth[crm]) return { ...base, source: 'client', mode: 'real', configured: true };
  const url = config.crmSandboxUrls[crm];
  if (url) return { ...base, source: 'sandbox_url', mode: 'sandbox', configured: true, sandboxUrl: url };
  if (config.demoSandboxes) return { ...base, source: 'demo', mode: 'sandbox', configured: true, sandboxUrl: demoSandboxUrl(config, crm) };
  return { ...base, source: 'none', mode: 'sandbox', configured: false };
}

export function allCrmSetups(config: AppConfig): CrmSetup[] {
  return CRM_IDS.map((crm) => crmSetup(config, crm));
}

function sandboxHosts(url: string): CrmHosts {
  return { authorize: url, token: url, revoke: url, api: url };
}

/** The ResolvedCrm for a module and configuration (pure; `resolveCrm` loads the module first). */
export function resolveWithModule(config: AppConfig, module: CrmModule, options: { fetch?: typeof globalThis.fetch } = {}): ResolvedCrm {
  const crm = module.definition.id;
  const setup = crmSetup(config, crm);
  const redirectUri = redirectUriFor(config, crm);
  const extra = options.fetch ? { fetch: options.fetch } : {};
  const real = config.crmOAuth[crm];
  if (setup.source === 'client' && real) {
    return {
      module,
      hosts: module.definition.hosts,
      client: { clientId: real.clientId, clientSecret: real.clientSecret.reveal(), redirectUri },
      mode: 'real',
      ...extra,
    };
  }
  if (setup.sandboxUrl) {
    return { module, hosts: sandboxHosts(setup.sandboxUrl), client: { ...SANDBOX_CLIENT, redirectUri }, mode: 'sandbox', ...extra };
  }
  throw notConfigured(crm);
}

function notConfigured(crm: CrmId): AppError {
  const v = crm.toUpperCase();
  return new AppError(
    'CRM_NOT_CONFIGURED',
    `${CRM_NAMES[crm]} is not set up on this server: set ${v}_CLIENT_ID and ${v}_CLIENT_SECRET, or ${v}_SANDBOX_URL, or enable DEMO_SANDBOXES.`,
    { crm },
  );
}

export interface ResolveOptions {
  /** Load the module some other way (tests substitute a module for a sandbox of their own). */
  loadModule?: (crm: CrmId) => Promise<CrmModule>;
  fetch?: typeof globalThis.fetch;
}

/** The ResolvedCrm of one CRM; AppError CRM_NOT_CONFIGURED when the server has no way to reach it. */
export async function resolveCrm(config: AppConfig, crm: CrmId, options: ResolveOptions = {}): Promise<ResolvedCrm> {
  if (!crmSetup(config, crm).configured) throw notConfigured(crm);
  let module: CrmModule;
  try {
    module = await (options.loadModule ?? getCrmModule)(crm);
  } catch (err) {
    if (err instanceof CrmModuleUnavailableError) {
      throw new AppError('CRM_NOT_CONFIGURED', `The ${CRM_NAMES[crm]} integration is not available in this build.`, { crm }, { cause: err });
    }
    throw err;
  }
  return resolveWithModule(config, module, options);
}
