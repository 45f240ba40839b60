/**
 * monday access tokens are JWTs (personal and OAuth ones alike: `eyJhbGciOiJIUzI1NiJ9…` with claims such as
 * `uid`, `actid`, `rgn`, `per`); OAuth 2.1 tokens carry `exp`, which clients read because the token response has
 * no expires_in (fact sheet §5). The sandbox wraps the OAuthStore's opaque token in `jti` and signs with a
 * per-instance secret, so the store stays the single source of truth for expiry and revocation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface MondayClaims {
  readonly jti: string;
  readonly uid: number;
  readonly actid: number;
  readonly aai: number;
  readonly rgn: string;
  readonly per: string;
  readonly scp?: string;
  readonly iat: number;
  readonly exp?: number;
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signJwt(secret: Buffer, claims: MondayClaims): string {
  const body = `${HEADER}.${b64(JSON.stringify(claims))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The claims of a token this sandbox signed, or null (not a JWT, bad signature). */
export function verifyJwt(secret: Buffer, token: string): MondayClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2] as string, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as MondayClaims;
    return typeof claims.jti === 'string' ? claims : null;
  } catch {
    return null;
  }
}
