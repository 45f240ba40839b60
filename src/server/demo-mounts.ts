/**
 * Demo mode: each CRM without a real OAuth client or an external sandbox gets its built-in sandbox mounted at
 * `/sandbox/<crm>` of this server, so `npm start` can connect all five CRMs with no account anywhere. Each
 * sandbox accepts only this server's redirect URI for that CRM.
 */
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config.js';
import { CRM_IDS, type CrmId } from '../core/ids.js';
import { crmSetup, redirectUriFor } from '../crm/resolve.js';
import type { Logger } from '../logger.js';
import { sandboxOptions } from '../../sandbox/common/sandbox.js';
import { getSandboxDefinition } from '../../sandbox/registry.js';

export type Mount = (app: FastifyInstance) => Promise<void>;

/** The CRMs that run on their built-in sandbox with this configuration. */
export function demoCrms(config: AppConfig): CrmId[] {
  return CRM_IDS.filter((crm) => crmSetup(config, crm).source === 'demo');
}

/** One mount per demo CRM whose sandbox is part of this build (a missing one is logged and skipped). */
export async function demoSandboxMounts(config: AppConfig, logger?: Logger): Promise<Mount[]> {
  const mounts: Mount[] = [];
  for (const crm of demoCrms(config)) {
    try {
      const definition = await getSandboxDefinition(crm);
      const instance = definition.create(sandboxOptions({ redirectUri: redirectUriFor(config, crm) }));
      mounts.push(async (app) => {
        await app.register(instance.plugin, { prefix: `/sandbox/${crm}` });
      });
    } catch (err) {
      logger?.warn({ crm, err }, 'demo sandbox not available; this CRM cannot be connected in demo mode');
    }
  }
  return mounts;
}
