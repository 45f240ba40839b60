/**
 * OAuth `state`: 256 random bits handed to the browser, stored only as a SHA-256 digest with who started the
 * flow (organization, user, the session or API token's credential hash), for which CRM, the redirect URI and the
 * PKCE verifier (sealed). Single use (consumed under a row lock), valid for 10 minutes, and only from the session
 * that started it: a state replayed, tampered with, expired, or presented by another user, another session or for
 * another CRM is refused.
 */
import { randomUUID } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { oauthStates } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Keyring } from '../../security/keyring.js';
import { randomToken, sha256 } from '../../security/random.js';
import { open, seal } from '../../security/sealed-columns.js';

export const STATE_TTL_MS = 10 * 60_000;
/** Used and expired states are kept this long (for "already used" vs "unknown"), then deleted. */
const STATE_RETENTION_MS = 24 * 3_600_000;

export interface NewState {
  organizationId: string;
  userId: string;
  /** AuthContext.credentialHash of the session (or API token) starting the flow. */
  sessionHash: string;
  crmType: string;
  redirectUri: string;
  codeVerifier: string | undefined;
}

/** A fresh state value: 256 random bits, base64url. Sent to the CRM and back; only its digest is stored. */
export function newStateValue(): string {
  return randomToken(32);
}

/** Store a state (as its digest) with everything the callback must match. */
export async function createOAuthState(db: Db, keyring: Keyring, state: string, input: NewState, now = new Date()): Promise<void> {
  const id = randomUUID();
  await db.delete(oauthStates).where(lt(oauthStates.expiresAt, new Date(now.getTime() - STATE_RETENTION_MS)));
  await db.insert(oauthStates).values({
    id,
    stateHash: sha256(state),
    organizationId: input.organizationId,
    userId: input.userId,
    sessionHash: input.sessionHash,
    crmType: input.crmType,
    codeVerifier: input.codeVerifier === undefined ? null : seal(keyring, 'oauth_states', 'code_verifier', id, input.codeVerifier),
    redirectUri: input.redirectUri,
    expiresAt: new Date(now.getTime() + STATE_TTL_MS),
  });
}

export interface Presenter {
  organizationId: string;
  userId: string;
  sessionHash: string;
  crmType: string;
}

export interface ConsumedState {
  id: string;
  organizationId: string;
  userId: string;
  redirectUri: string;
  codeVerifier: string | undefined;
}

type Refusal = 'unknown' | 'used' | 'expired' | 'other_crm' | 'other_user' | 'other_session';

/** Why a stored state does not admit this callback, or null when it does. Pure. */
export function checkState(
  row: { usedAt: Date | null; expiresAt: Date; crmType: string; userId: string; organizationId: string; sessionHash: string },
  who: Presenter,
  now: Date,
): Refusal | null {
  if (row.usedAt) return 'used';
  if (row.crmType !== who.crmType) return 'other_crm';
  if (row.userId !== who.userId || row.organizationId !== who.organizationId) return 'other_user';
  if (row.sessionHash !== who.sessionHash) return 'other_session';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}

/**
 * Consume a state: exactly one callback wins (row lock + used_at), and the PKCE verifier is wiped as it is read.
 * A state presented by someone it does not belong to is left untouched, so a stranger cannot burn it.
 */
export async function consumeOAuthState(db: Db, keyring: Keyring, state: string, who: Presenter, logger?: Logger, now = new Date()): Promise<ConsumedState> {
  const stateHash = sha256(state);
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(oauthStates).where(eq(oauthStates.stateHash, stateHash)).for('update').limit(1);
    if (!row) return { refused: 'unknown' as Refusal };
    const refused = checkState(row, who, now);
    if (refused) return { refused, crmType: row.crmType };
    await tx
      .update(oauthStates)
      .set({ usedAt: now, codeVerifier: null })
      .where(eq(oauthStates.id, row.id));
    return { row };
  });
  if ('refused' in outcome) {
    logger?.info({ crm: who.crmType, reason: outcome.refused }, 'OAuth callback refused: state does not match');
    if (outcome.refused === 'expired') throw new AppError('OAUTH_STATE_EXPIRED');
    throw new AppError('OAUTH_STATE_INVALID');
  }
  const { row } = outcome;
  return {
    id: row.id,
    organizationId: row.organizationId,
    userId: row.userId,
    redirectUri: row.redirectUri,
    codeVerifier: row.codeVerifier ? await open(keyring, 'oauth_states', 'code_verifier', row.id, row.codeVerifier) : undefined,
  };
}
