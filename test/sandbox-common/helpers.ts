import { pkceChallengeS256 } from '../../sandbox/common/oauth.js';

export const CLIENT = { id: 'sandbox-client-id', secret: 'sandbox-client-secret' };
export const REDIRECT = 'http://127.0.0.1:5555/callback';

type Send = (method: string, path: string, init?: { body?: string; headers?: Record<string, string> }) => Promise<{ status: number; headers: Record<string, unknown>; text: string }>;

/** Runs the consent flow (GET page, POST Allow) and the code exchange; returns the token response. */
export async function authorize(send: Send, scope = 'contacts'): Promise<Record<string, unknown>> {
  const verifier = 'v'.repeat(60);
  const q = new URLSearchParams({ client_id: CLIENT.id, redirect_uri: REDIRECT, response_type: 'code', scope, state: 'st', code_challenge: pkceChallengeS256(verifier), code_challenge_method: 'S256' });
  const page = await send('GET', `/oauth/authorize?${q}`);
  if (page.status !== 200 || !page.text.includes('>Allow</button>')) throw new Error(`consent page: ${page.status}`);
  const form = new URLSearchParams([...q, ['decision', 'allow']]);
  const post = await send('POST', '/oauth/authorize', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const location = new URL(String(post.headers.location));
  const code = location.searchParams.get('code') ?? '';
  const token = await send('POST', '/oauth/token', {
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: REDIRECT, code_verifier: verifier }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${token.text}`);
  return JSON.parse(token.text) as Record<string, unknown>;
}
