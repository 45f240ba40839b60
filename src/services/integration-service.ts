/** Keeps the crm_integrations table in step with the CRMs this build supports. */
import { sql } from 'drizzle-orm';
import { CRM_IDS, CRM_NAMES } from '../core/ids.js';
import type { Db } from '../db/client.js';
import { crmIntegrations } from '../db/schema.js';

export async function syncIntegrations(db: Db): Promise<void> {
  await db
    .insert(crmIntegrations)
    .values(CRM_IDS.map((id) => ({ id, name: CRM_NAMES[id] })))
    .onConflictDoUpdate({ target: crmIntegrations.id, set: { name: sql`excluded.name`, updatedAt: sql`now()` } });
}
