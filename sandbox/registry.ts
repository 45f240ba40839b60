/**
 * The five CRM sandboxes, loaded lazily (demo mode mounts only the ones without a real client; `crm-migrate
 * sandbox --crm x` starts one). Typed `satisfies Record<CrmId, …>`, like src/crm/registry.ts.
 */
import { CRM_NAMES, type CrmId } from '../src/core/ids.js';
import type { SandboxDefinition } from './common/sandbox.js';

export type SandboxLoader = () => Promise<SandboxDefinition>;

export const sandboxLoaders = {
  salesforce: () => import('./salesforce/index.js').then((m) => m.salesforceSandbox),
  hubspot: () => import('./hubspot/index.js').then((m) => m.hubspotSandbox),
  pipedrive: () => import('./pipedrive/index.js').then((m) => m.pipedriveSandbox),
  zoho: () => import('./zoho/index.js').then((m) => m.zohoSandbox),
  monday: () => import('./monday/index.js').then((m) => m.mondaySandbox),
} satisfies Record<CrmId, SandboxLoader>;

/** The sandbox of one CRM; throws an Error naming the missing folder when it is not part of this build. */
export async function getSandboxDefinition(id: CrmId): Promise<SandboxDefinition> {
  let definition: SandboxDefinition | undefined;
  try {
    definition = await sandboxLoaders[id]();
  } catch (err) {
    throw new Error(`The ${CRM_NAMES[id]} sandbox (sandbox/${id}/index.ts) could not be loaded`, { cause: err });
  }
  if (!definition || definition.id !== id) throw new Error(`sandbox/${id}/index.ts exports no SandboxDefinition for "${id}"`);
  return definition;
}
