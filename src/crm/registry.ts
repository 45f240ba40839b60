/**
 * The five CRM modules, loaded lazily (each CRM's folder pulls in its client, parser and error table; a process
 * that never talks to a CRM never loads them). Typed `satisfies Record<CrmId, …>`, so adding a CRM id makes the
 * compiler point here.
 */
import { CRM_IDS, CRM_NAMES, isCrmId, type CrmId } from '../core/ids.js';
import type { CrmModule } from './types.js';

export type CrmModuleLoader = () => Promise<CrmModule>;

export const crmModuleLoaders = {
  salesforce: () => import('./salesforce/index.js').then((m) => m.salesforceCrm),
  hubspot: () => import('./hubspot/index.js').then((m) => m.hubspotCrm),
  pipedrive: () => import('./pipedrive/index.js').then((m) => m.pipedriveCrm),
  zoho: () => import('./zoho/index.js').then((m) => m.zohoCrm),
  monday: () => import('./monday/index.js').then((m) => m.mondayCrm),
} satisfies Record<CrmId, CrmModuleLoader>;

/** A CRM whose module cannot be loaded (not part of this build, or broken). */
export class CrmModuleUnavailableError extends Error {
  constructor(
    readonly crm: CrmId,
    options?: { cause?: unknown },
  ) {
    super(`The ${CRM_NAMES[crm]} integration (src/crm/${crm}/index.ts) could not be loaded`, options);
    this.name = 'CrmModuleUnavailableError';
  }
}

const cache = new Map<CrmId, Promise<CrmModule>>();

/** The module of one CRM. Fails loudly (CrmModuleUnavailableError) when it is missing or does not match its id. */
export function getCrmModule(id: CrmId): Promise<CrmModule> {
  if (!isCrmId(id)) return Promise.reject(new TypeError(`unknown CRM "${String(id)}"; expected one of ${CRM_IDS.join(', ')}`));
  let loading = cache.get(id);
  if (!loading) {
    loading = crmModuleLoaders[id]()
      .then((module) => {
        if (!module || module.definition?.id !== id) throw new Error(`src/crm/${id}/index.ts exports no CrmModule for "${id}"`);
        return module;
      })
      .catch((err: unknown) => {
        cache.delete(id); // a module that lands later (or is fixed) is picked up on the next call
        throw new CrmModuleUnavailableError(id, { cause: err });
      });
    cache.set(id, loading);
  }
  return loading;
}
