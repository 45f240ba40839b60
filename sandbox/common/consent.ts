/**
 * The OAuth consent page every sandbox shows at its authorize endpoint, and the handling of its form post.
 * The page is plain, accessible HTML (lang, <main>, headings, real buttons labelled Allow and Deny) so that an
 * axe-core check passes and a browser test can click through it.
 */
import type { OAuthErrorCode, OAuthFailure, OAuthStore, OAuthSubject } from './oauth.js';

/** Standard authorize parameters carried through the consent form as hidden fields. */
export const CONSENT_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f5f5;color:#111}
main{max-width:32rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;border:1px solid #ccc}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem}code{background:#eee;padding:0 .2em}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
button{font:inherit;padding:.6rem 1.4rem;border-radius:6px;cursor:pointer;border:2px solid #1e3a8a}
button[value=allow]{background:#1e3a8a;color:#fff}button[value=deny]{background:#fff;color:#1e3a8a}
button:focus-visible{outline:3px solid #b45309;outline-offset:2px}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

export interface ConsentPageInput {
  /** e.g. "HubSpot". The title reads "<crmName> sandbox — authorize <clientName>". */
  readonly crmName: string;
  readonly clientName: string;
  readonly clientId: string;
  /** Already split (by space or comma, as the CRM does). */
  readonly scopes: readonly string[];
  /** Absolute or relative URL the form POSTs to (usually the authorize path itself). */
  readonly action: string;
  /** Hidden fields posted back: the authorize parameters (see CONSENT_FIELDS) plus any CRM extras. */
  readonly fields: Readonly<Record<string, string | undefined>>;
  /** Who is signed in to the sandbox, shown to the user. */
  readonly userLabel?: string;
}

/** The consent page: a form with hidden fields and two submit buttons, Allow and Deny (name="decision"). */
export function renderConsentPage(input: ConsentPageInput): string {
  const title = `${input.crmName} sandbox — authorize ${input.clientName}`;
  const hidden = Object.entries(input.fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  const scopes = input.scopes.length
    ? `<ul>${input.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>`
    : '<p>No specific permissions were requested.</p>';
  const who = input.userLabel ? ` as <strong>${escapeHtml(input.userLabel)}</strong>` : '';
  return page(
    title,
    `<p>The application <strong>${escapeHtml(input.clientName)}</strong> (client id <code>${escapeHtml(input.clientId)}</code>)
wants to access your ${escapeHtml(input.crmName)} sandbox data${who}.</p>
<section aria-labelledby="scopes-heading"><h2 id="scopes-heading">Requested permissions</h2>${scopes}</section>
<form method="post" action="${escapeHtml(input.action)}" aria-label="Authorize ${escapeHtml(input.clientName)}">
${hidden}
<div class="actions"><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></div>
</form>
<p>This is a local simulator: no real ${escapeHtml(input.crmName)} account is involved.</p>`,
  );
}

/** An error page for authorize requests that must not redirect (unknown client, bad redirect URI). */
export function renderOAuthErrorPage(crmName: string, failure: Pick<OAuthFailure, 'error' | 'description'>): string {
  return page(`${crmName} sandbox — authorization failed`, `<p role="alert">${escapeHtml(failure.description)}</p>
<p>Error code: <code>${escapeHtml(failure.error)}</code></p>`);
}

/** Appends query parameters to a redirect URI, keeping its own. */
export function withQuery(uri: string, params: Readonly<Record<string, string | undefined>>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

export interface ConsentDecisionOptions {
  readonly subject: OAuthSubject;
  /** How PKCE parameters are treated (see OAuthStore.validateAuthorize). */
  readonly pkce?: 'required' | 'optional' | 'unsupported';
  /** Added to the success redirect (Zoho: location, accounts-server). */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** Error code on Deny; default 'access_denied' (Pipedrive uses 'user_denied'). */
  readonly deniedError?: string;
  /** Issue a refresh token at exchange (default true). */
  readonly offline?: boolean;
  /** Stored on the grant and returned with its tokens. */
  readonly extra?: Record<string, string>;
}

export type ConsentDecision =
  | { readonly ok: true; readonly location: string; readonly code: string | null }
  | (OAuthFailure & { readonly redirectable: boolean; readonly location?: string });

/**
 * Handles the consent form post. Re-validates the client and redirect URI (the hidden fields can be forged).
 * Allow → redirect with code & state (+ extraParams); Deny → redirect with error=access_denied & state.
 * When `ok` is false and `redirectable` is false, render an error page instead of redirecting.
 */
export function decideConsent(store: OAuthStore, form: Readonly<Record<string, unknown>>, options: ConsentDecisionOptions): ConsentDecision {
  const str = (k: string): string | undefined => (typeof form[k] === 'string' && form[k] !== '' ? (form[k] as string) : undefined);
  const check = store.validateAuthorize({
    clientId: str('client_id'), redirectUri: str('redirect_uri'), responseType: str('response_type'),
    codeChallenge: str('code_challenge'), codeChallengeMethod: str('code_challenge_method'), pkce: options.pkce,
  });
  const state = str('state');
  if (!check.ok) {
    if (!check.redirectable || check.redirectUri === undefined) return check;
    return { ...check, location: withQuery(check.redirectUri, { error: check.error, error_description: check.description, state }) };
  }
  const decision = str('decision')?.toLowerCase();
  if (decision !== 'allow') {
    const error = (options.deniedError ?? 'access_denied') as OAuthErrorCode;
    return { ok: true, code: null, location: withQuery(check.redirectUri, { error, state }) };
  }
  const usePkce = options.pkce !== 'unsupported' && str('code_challenge') !== undefined;
  const method = str('code_challenge_method') === 'S256' ? 'S256' : 'plain';
  const code = store.issueCode({
    clientId: check.client.id,
    redirectUri: str('redirect_uri') ?? null,
    scope: str('scope') ?? '',
    subject: options.subject,
    codeChallenge: usePkce ? str('code_challenge') : null,
    codeChallengeMethod: usePkce ? method : null,
    offline: options.offline,
    extra: options.extra,
  });
  return { ok: true, code, location: withQuery(check.redirectUri, { code, state, ...options.extraParams }) };
}
