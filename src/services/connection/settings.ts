/**
 * A connection's `syncSettings`: what the user chose (monday's board per entity, the rate-limit profile) beside
 * what the system recorded when connecting (whether the CRM was a simulator, which token host to refresh at).
 * Users may change only their own keys; the system keys are kept whatever a PATCH says, so nobody can switch a
 * real connection's rate limits off or point its refreshes at another host.
 */
import { z } from 'zod';
import { ENTITY_TYPES } from '../../core/ids.js';

/** Settings the system writes when connecting (never patchable). */
export interface SystemSettings {
  /** Connected to a local CRM simulator (a sandbox), not the real CRM. */
  simulator: boolean;
  /** The token host named on the callback when it differs from the CRM's default (Zoho's data centres). */
  tokenHost?: string;
}

const boardId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a board id (letters, digits, _ or -, at most 64)' });

/** What a user may set with PATCH /api/crm-integrations/connections/:id. */
export const userSettingsPatch = z.strictObject({
  /** Which board (monday) holds each entity type. */
  boards: z.partialRecord(z.enum(ENTITY_TYPES), boardId).optional(),
  /** 'off' (no client-side throttling) is allowed on simulator connections only, for benchmarks. */
  rateLimits: z.enum(['realistic', 'off']).optional(),
});
export type UserSettingsPatch = z.infer<typeof userSettingsPatch>;

export type ConnectionSettings = SystemSettings & UserSettingsPatch & Record<string, unknown>;

const SYSTEM_KEYS = ['simulator', 'tokenHost'] as const;

export function readSettings(raw: Record<string, unknown> | null | undefined): ConnectionSettings {
  const s = raw ?? {};
  return { ...s, simulator: s.simulator === true, ...(typeof s.tokenHost === 'string' ? { tokenHost: s.tokenHost } : {}) } as ConnectionSettings;
}

/** Settings after (re)connecting: the user's choices kept, the system keys replaced. */
export function settingsAfterConnect(previous: Record<string, unknown> | null | undefined, system: SystemSettings): ConnectionSettings {
  const kept: Record<string, unknown> = { ...(previous ?? {}) };
  for (const key of SYSTEM_KEYS) delete kept[key];
  const next = { ...kept, ...system } as ConnectionSettings;
  if (!next.simulator && next.rateLimits === 'off') delete next.rateLimits;
  return next;
}

export class SettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Apply a user's patch; throws SettingsError for a choice this connection may not make. */
export function applySettingsPatch(current: Record<string, unknown> | null | undefined, patch: UserSettingsPatch): ConnectionSettings {
  const settings = readSettings(current);
  if (patch.rateLimits === 'off' && !settings.simulator) {
    throw new SettingsError('syncSettings.rateLimits', 'Rate limits can be switched off only for a connection to a CRM sandbox (simulator), never for a real CRM.');
  }
  const next: ConnectionSettings = { ...settings };
  if (patch.boards !== undefined) next.boards = { ...patch.boards };
  if (patch.rateLimits !== undefined) next.rateLimits = patch.rateLimits;
  return next;
}

/** No client-side throttling: only when the user chose it on a simulator connection. */
export function rateLimitsOff(raw: Record<string, unknown> | null | undefined): boolean {
  const s = readSettings(raw);
  return s.simulator && s.rateLimits === 'off';
}
