/**
 * monday.com ids in the sandbox: numeric strings derived from world indices, and back. Real item ids are
 * account-wide increasing integers (10 digits today), boards, users and workspaces have their own sequences.
 * Each board here owns a range of 100,000,000 item ids, so an id alone says which board and which index.
 */
import type { EntityType } from '../../src/core/ids.js';

/** The one monday account the sandbox serves (`me.account.id`, `account_id` in every response). */
export const ACCOUNT = { id: '27403121', name: 'Sandbox CRM Co', slug: 'sandbox-crm', tier: 'pro', countryCode: 'US' } as const;

export const WORKSPACES = {
  main: { id: '4400001', name: 'Main workspace', kind: 'open', description: null as string | null },
  crm: { id: '4400021', name: 'CRM', kind: 'open', description: 'monday sales CRM' },
} as const;

/** Board id of each entity's board (the monday sales CRM template names them Accounts, Contacts, Leads, Deals, Activities). */
export const BOARD_IDS: Readonly<Record<EntityType, string>> = {
  accounts: '7300000101',
  contacts: '7300000102',
  leads: '7300000103',
  deals: '7300000104',
  activities: '7300000105',
};

/** An unrelated board in the main workspace, so board discovery has to pick by name. */
export const OTHER_BOARD_ID = '7300000199';

const ITEM_BASE: Readonly<Record<EntityType, number>> = {
  accounts: 8_100_000_000,
  contacts: 8_200_000_000,
  leads: 8_300_000_000,
  deals: 8_400_000_000,
  activities: 8_500_000_000,
};
const RANGE = 100_000_000;

export function itemId(entity: EntityType, index: number): string {
  return String(ITEM_BASE[entity] + index + 1);
}

/** The entity and world index of an item id, or null when it is no sandbox item (unknown ids are simply absent in monday). */
export function parseItemId(id: string): { entity: EntityType; index: number } | null {
  if (!/^\d{10}$/.test(id)) return null;
  const n = Number(id);
  for (const [entity, base] of Object.entries(ITEM_BASE) as [EntityType, number][]) {
    if (n > base && n <= base + RANGE) return { entity, index: n - base - 1 };
  }
  return null;
}

/** monday user id of a world owner; user 0 is the one who connects (the token's subject). */
export function userId(ownerIndex: number): string {
  return String(60_000_001 + ownerIndex);
}

export function parseUserId(id: string): number | null {
  const n = Number(id) - 60_000_001;
  return Number.isInteger(n) && n >= 0 ? n : null;
}
