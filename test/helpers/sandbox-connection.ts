/**
 * Connect to a running CRM sandbox the way the product does (authorize URL → consent page → code exchange) and
 * build a client on the shared HTTP layer, without the database: for client and contract tests.
 */
import { MemoryBudgetStore, UnlimitedBudget, WindowBudget } from '../../src/crm/http/budget.js';
import { createCrmHttp } from '../../src/crm/http/crm-http.js';
import { buildAuthorizeUrl, exchangeCode, refreshTokens, type ResolvedCrm } from '../../src/crm/oauth-flow.js';
import type { CrmApiClient, CrmHosts, CrmModule, RateBudget, TokenProvider, TokenSet } from '../../src/crm/types.js';
import { decideOnConsentPage } from './consent.js';

export const SANDBOX_CLIENT = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };
export const TEST_REDIRECT_URI = 'http://127.0.0.1:9/api/crm-integrations/callback';

export function sandboxHosts(url: string): CrmHosts {
  return { authorize: url, token: url, revoke: url, api: url };
}

export function resolveSandbox(module: CrmModule, url: string): ResolvedCrm {
  return { module, hosts: sandboxHosts(url), client: { ...SANDBOX_CLIENT, redirectUri: TEST_REDIRECT_URI }, mode: 'sandbox' };
}

/** In-memory token provider with single-flight refresh (the product's is in the database, across processes). */
export class MemoryTokenProvider implements TokenProvider {
  refreshes = 0;
  #inflight: Promise<TokenSet> | undefined;
  constructor(
    private readonly resolved: ResolvedCrm,
    public tokens: TokenSet,
  ) {}

  async current() {
    if (this.tokens.expiresAt && this.tokens.expiresAt.getTime() - Date.now() < 5_000) await this.#refresh();
    return { accessToken: this.tokens.accessToken, instanceUrl: this.tokens.instanceUrl };
  }

  async refreshAfterRejection(rejected: string) {
    if (rejected === this.tokens.accessToken) await this.#refresh();
    return { accessToken: this.tokens.accessToken, instanceUrl: this.tokens.instanceUrl };
  }

  async #refresh(): Promise<TokenSet> {
    this.#inflight ??= (async () => {
      if (!this.tokens.refreshToken) throw new Error('no refresh token to refresh with');
      const next = await refreshTokens(this.resolved, this.tokens.refreshToken, { instanceUrl: this.tokens.instanceUrl, scopes: this.tokens.scopes });
      this.refreshes += 1;
      this.tokens = { ...next, refreshToken: next.refreshToken ?? this.tokens.refreshToken };
      return this.tokens;
    })().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }
}

export interface SandboxConnection {
  resolved: ResolvedCrm;
  tokens: TokenSet;
  provider: MemoryTokenProvider;
}

/** The whole authorization-code flow against a sandbox, clicking Allow. */
export async function connectSandbox(module: CrmModule, url: string): Promise<SandboxConnection> {
  const resolved = resolveSandbox(module, url);
  const state = crypto.randomUUID();
  const { url: authUrl, codeVerifier } = await buildAuthorizeUrl(resolved, state);
  const back = await decideOnConsentPage(authUrl, 'allow');
  if (back.searchParams.get('state') !== state) throw new Error(`state not returned: ${back}`);
  const tokens = await exchangeCode(resolved, Object.fromEntries(back.searchParams), codeVerifier);
  return { resolved, tokens, provider: new MemoryTokenProvider(resolved, tokens) };
}

export interface TestClientOptions {
  /** 'off' → no throttling; 'realistic' → the definition's windows (in-memory store unless one is given). */
  budget?: 'off' | 'realistic' | RateBudget;
  syncSettings?: Record<string, unknown> | null;
  fetch?: typeof globalThis.fetch;
  bulkDeadlineMs?: number;
}

export function createTestClient(module: CrmModule, connection: SandboxConnection, options: TestClientOptions = {}): CrmApiClient {
  const budget: RateBudget =
    options.budget === 'realistic'
      ? new WindowBudget({ crm: module.definition.id, key: `test-${crypto.randomUUID()}`, windows: module.definition.limits.windows, store: new MemoryBudgetStore() })
      : options.budget && typeof options.budget === 'object'
        ? options.budget
        : new UnlimitedBudget(module.definition.id);
  const http = createCrmHttp({ module, tokens: connection.provider, budget, fetch: options.fetch, baseDelayMs: 50, maxDelayMs: 2_000 });
  return module.createClient({
    http,
    connection: { id: 'test-connection', syncSettings: options.syncSettings ?? null },
    bulkDeadlineMs: options.bulkDeadlineMs,
  });
}
