/**
 * The contract every CRM implements. A CRM is one folder (src/crm/<id>/) exporting a `CrmModule`:
 *   - definition.ts: data (OAuth endpoints and scopes, PKCE, client authentication, limits, objects, paging caps)
 *   - oauth.ts:      what data cannot express about its OAuth (token response, identity call, revoke quirks)
 *   - errors.ts:     its error table: HTTP status + body → a provider-neutral CrmErrorKind
 *   - client.ts:     its CrmApiClient (requests built there; responses parsed by parse.ts)
 * src/crm/registry.ts holds the five, typed `satisfies Record<CrmId, CrmModule>`.
 */
import type { CrmId, EntityType } from '../core/ids.js';

// ---------------------------------------------------------------- hosts and OAuth

/** Where a CRM's endpoints live. Real CRMs use fixed hosts; a sandbox serves every host under its base URL. */
export interface CrmHosts {
  /** Host of the authorize (consent) page, e.g. https://login.salesforce.com. */
  authorize: string;
  /** Host of the token endpoint. */
  token: string;
  /** Host of the revoke endpoint (defaults to `token`). */
  revoke?: string;
  /** Fixed API host, for CRMs whose token response does not name one (HubSpot, monday). */
  api?: string;
}

export interface OAuthSpec {
  authorizePath: string;
  tokenPath: string;
  revokePath?: string;
  /** Minimum scopes to read accounts, contacts, leads, deals, activities, users and field metadata. Empty when the app's scopes are fixed in the CRM's app settings (Pipedrive). */
  scopes: readonly string[];
  scopeSeparator: ' ' | ',';
  /** PKCE S256 supported (and therefore used). */
  pkce: boolean;
  /** How the client authenticates at the token endpoint. */
  clientAuth: 'client_secret_post' | 'client_secret_basic';
  /** Extra authorize parameters, e.g. Zoho's access_type=offline. */
  extraAuthorizeParams?: Readonly<Record<string, string>>;
  /** Access-token lifetime when the token response has no expires_in; null = the token does not expire. */
  defaultAccessTokenTtlSeconds: number | null;
  /** Whether a refresh returns a new refresh token that replaces the old one. */
  refreshRotates: 'never' | 'always' | 'optional';
  /** Whether the CRM issues refresh tokens at all (legacy monday does not). */
  issuesRefreshToken: boolean;
  /** How the token endpoint wants its parameters: form-urlencoded (RFC 6749, the default) or a JSON object (monday OAuth 2.1). */
  tokenRequestEncoding?: 'form' | 'json';
}

/** Tokens and what came with them, normalised from a CRM's token response. */
export interface TokenSet {
  accessToken: string;
  /** Absent when the CRM kept the old one (no rotation) or issues none. */
  refreshToken?: string;
  /** Null when the token does not expire. */
  expiresAt: Date | null;
  /** The API base URL to call (Salesforce instance_url, Zoho/Pipedrive api_domain, or the fixed API host). */
  instanceUrl: string;
  scopes: string[];
  /** CRM-specific values the identity call needs (e.g. Salesforce's identity URL `id`). Never stored. */
  extra?: Record<string, string>;
}

/** Who and which CRM account a connection belongs to. */
export interface CrmIdentity {
  externalOrgId: string;
  externalUserId: string;
  username?: string;
  email?: string;
  isSandbox: boolean;
}

// ---------------------------------------------------------------- limits

/** One documented limit, e.g. HubSpot 190 requests / 10 s, Pipedrive 30,000 × plan tokens / day. */
export interface RateWindow {
  /** Stable name, also used in stats and messages: 'burst', 'daily', 'search', 'complexity' … */
  name: string;
  limit: number;
  windowMs: number;
  /** What a request spends: one per request, or its weight (Pipedrive token cost, monday complexity, Zoho credits). */
  unit: 'requests' | 'weight';
  /** Which requests count: all (default), or only those tagged with this class (e.g. 'search'). */
  appliesTo?: string;
  /** Exhausting it means waiting for a reset (a daily quota): the run pauses rather than retrying in a loop. */
  quota?: boolean;
}

export interface RateLimitSpec {
  /** Windows of the "realistic" profile (one plan tier, documented in the definition). */
  windows: readonly RateWindow[];
  /** Requests in flight at once per connection, if the CRM caps it (Zoho, monday, Salesforce long-running). */
  concurrency?: number;
}

// ---------------------------------------------------------------- errors

/** The provider-neutral error set retry logic and messages read. */
export type CrmErrorKind =
  | 'auth_expired' // refresh the token and retry once
  | 'auth_revoked' // refresh token rejected (invalid_grant): the user must reconnect
  | 'insufficient_scope'
  | 'rate_limited' // retry after a delay
  | 'quota_exhausted' // daily quota: pause until it resets
  | 'temporary' // 5xx, network: retry with backoff
  | 'not_found'
  | 'invalid_request'
  | 'unknown';

/** What a CRM's error table says about one response. */
export interface ClassifiedError {
  kind: CrmErrorKind;
  /** The CRM's own code (e.g. INVALID_SESSION_ID, EXPIRED_AUTHENTICATION), for logs and details. */
  code?: string;
  /** The CRM's message, for logs only (may be verbose). */
  detail?: string;
  /** Wait this long before retrying (Retry-After, monday retry_in_seconds …). */
  retryAfterMs?: number;
  /** When a quota resets, if the CRM says or it is documented (e.g. midnight UTC). */
  resetAt?: Date;
}

// ---------------------------------------------------------------- records and fields

/** One record as read from a CRM, in one flat shape whatever the CRM. */
export interface SourceRecord {
  /** The record's id in the CRM. */
  id: string;
  /** Field values under the CRM's own field names (scalars, or small objects the mapping flattens). */
  fields: Record<string, unknown>;
  /** Relationships as source ids, normalised: the parent account, contact and deal (whichever apply). */
  links: { account?: string; contact?: string; deal?: string };
  owner?: string;
  /** ISO-8601. */
  createdAt?: string;
  updatedAt?: string;
  /** For activities: what kind (note, task, call, meeting, email), when the CRM says. */
  activityType?: 'note' | 'task' | 'call' | 'meeting' | 'email';
}

export interface FieldDescriptor {
  /** The CRM's API name. */
  name: string;
  label: string;
  /** The CRM's type name (e.g. 'email', 'picklist', 'reference'). */
  type: string;
  custom: boolean;
  /** For picklists: the allowed values. */
  values?: string[];
}

/** One page of the standard API. `nextCursor` is opaque (and resumable); null = no more pages. */
export interface RecordPage {
  records: SourceRecord[];
  nextCursor: string | null;
}

/** One batch of a bulk read; `resume` restarts the read after this batch (null when done). */
export interface RecordBatch {
  records: SourceRecord[];
  resume: string | null;
}

export interface BulkOptions {
  /** A `resume` value from an earlier batch: continue after it. */
  resume?: string | null;
  signal?: AbortSignal;
}

/** The seed's CrmApiClient, on the real APIs (see ../shared/docs/crm-api-facts.md for where the seed was wrong). */
export interface CrmApiClient {
  /** Exact (or the CRM's best) count of live records. */
  getRecordCount(entity: EntityType): Promise<number>;
  /** One page of the standard API, starting at `cursor` (null = the first page). `limit` is capped at the CRM's page maximum. */
  fetchRecords(entity: EntityType, cursor: string | null, limit: number): Promise<RecordPage>;
  /** The CRM's bulk path (Salesforce Bulk API 2.0, HubSpot exports, Zoho Bulk Read; largest pages where there is none). */
  bulkFetchRecords(entity: EntityType, options?: BulkOptions): AsyncIterable<RecordBatch>;
  /** A cheap real call proving the token works. */
  testConnection(): Promise<{ isValid: boolean; error?: string }>;
  /** The CRM's fields for the entity, custom ones included, from its metadata API. */
  describeFields(entity: EntityType): Promise<FieldDescriptor[]>;
}

// ---------------------------------------------------------------- the module each CRM exports

export interface CrmPaging {
  /** Page size used by the standard path. */
  standardPageSize: number;
  /** Largest page the standard API allows. */
  maxPageSize: number;
  /** The CRM has a bulk/export API (Salesforce, HubSpot, Zoho); Pipedrive and monday do not. */
  hasBulkApi: boolean;
  /** Records at which the bulk path becomes the better choice (Salesforce's own guidance: 2,000). */
  bulkThreshold: number;
  /** Records per bulk result chunk or page, for estimates. */
  bulkBatchSize: number;
  /** Extra requests a bulk read costs besides downloading (create + polls), for estimates. */
  bulkOverheadRequests: number;
  /** Weight one page request spends in 'weight' windows (Pipedrive token cost, monday complexity, Zoho credits), for estimates. Default 1. */
  weightPerRequest?: number;
}

export interface CrmDefinition {
  id: CrmId;
  name: string;
  hosts: CrmHosts;
  oauth: OAuthSpec;
  limits: RateLimitSpec;
  paging: CrmPaging;
  /** The CRM's object per entity type (monday: the board's default name). */
  objects: Readonly<Record<EntityType, string>>;
}

// ---------------------------------------------------------------- the shared HTTP layer (src/crm/http)

export interface CrmHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** An absolute URL, or a path (starting with /) resolved against the connection's instanceUrl. */
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** At most one body: JSON, a form (x-www-form-urlencoded), or raw. */
  json?: unknown;
  form?: Record<string, string>;
  body?: string | Uint8Array;
  /** Which RateWindow.appliesTo classes this request also counts against (e.g. 'search', 'bulk'). */
  rateClass?: string;
  /** Weight spent in 'weight' windows (Pipedrive token cost, monday complexity, Zoho credits). Default 1. */
  weight?: number;
  timeoutMs?: number;
  /** Return without reading the body (bulk CSV or ZIP downloads); the caller must consume or cancel `body`. */
  stream?: boolean;
  /** Send no Authorization header (e.g. a pre-signed download URL). */
  anonymous?: boolean;
  /** Safe to send again after a network error or 5xx (default: true for GET, false otherwise). */
  idempotent?: boolean;
  /** Inspect a 2xx body for an error the CRM reports with HTTP 200 (monday's GraphQL `errors[]`). */
  inspect?: (status: number, headers: Headers, body: string) => ClassifiedError | null;
}

export interface CrmHttpResponse {
  status: number;
  headers: Headers;
  /** The body as text (already read unless `stream` was set). */
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
  /** Only with `stream: true`. */
  body: ReadableStream<Uint8Array> | null;
}

/** Authenticated, budgeted, retrying HTTP for one connection. Throws CrmError when a request finally fails. */
export interface CrmHttp {
  request(req: CrmHttpRequest): Promise<CrmHttpResponse>;
  /** The API base URL of the connection (may change after a refresh, e.g. a Salesforce instance move). */
  instanceUrl(): string;
}

/** Supplies a connection's tokens; implemented by the connection service (single-flight refresh across processes). */
export interface TokenProvider {
  /** A usable access token (refreshed first when it expires within a minute) and the API base URL. */
  current(): Promise<{ accessToken: string; instanceUrl: string }>;
  /** The CRM rejected `rejected`: refresh unless another process already did, and return the token to use. */
  refreshAfterRejection(rejected: string): Promise<{ accessToken: string; instanceUrl: string }>;
}

/** What a response's rate-limit headers say (Sforce-Limit-Info, X-HubSpot-RateLimit-*, x-ratelimit-*, RateLimit). */
export interface RateObservation {
  /** RateWindow.name this is about. */
  window: string;
  remaining?: number;
  limit?: number;
  /** Milliseconds until the window resets, if the CRM says. */
  resetMs?: number;
}

/** Opaque handle for a request admitted by a RateBudget, until it is settled. */
export type BudgetTicket = { readonly id: string } | null;

/** A per-connection budget shared by every worker (Postgres) or in memory (embedded). */
export interface RateBudget {
  /**
   * Wait until `weight` fits in every window this request counts against, then hold it for the request. Throws
   * CrmError('quota_exhausted') instead of waiting for a quota window to reset. The returned ticket goes to
   * `settle` once the CRM has answered (or the request failed).
   */
  acquire(rateClass: string | undefined, weight: number, signal?: AbortSignal): Promise<BudgetTicket>;
  /**
   * The request the ticket was for has been answered: it is counted at this moment. (The CRM counts a request when
   * it arrives, which is before we see the answer; counting held requests in full until then keeps network delay
   * from letting two requests land closer together than the window allows.)
   */
  settle?(ticket: BudgetTicket): Promise<void>;
  /** Adjust to what the CRM reported. */
  observe(observations: readonly RateObservation[]): Promise<void>;
  /** The CRM said stop until then (Retry-After on a 429, or a quota): no request is sent before. */
  blockUntil(until: Date, reason: 'rate_limited' | 'quota_exhausted'): Promise<void>;
}

export interface ClientDeps {
  http: CrmHttp;
  connection: {
    id: string;
    /** CRM-specific settings kept with the connection (monday: which board is which entity). */
    syncSettings: Record<string, unknown> | null;
  };
  /** Injected for tests (bulk job polling). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
  /** How long to wait for a bulk job before abandoning (aborting) it and falling back. Default 30 min. */
  bulkDeadlineMs?: number;
}

// ---------------------------------------------------------------- OAuth hooks each CRM provides

export interface TokenContext {
  now: Date;
  hosts: CrmHosts;
  /** On refresh: what the connection had, for values a refresh response omits (instance URL, refresh token). */
  previous?: { instanceUrl: string; scopes: string[] };
}

export interface CrmOAuthHooks {
  /** Normalise the token endpoint's JSON (authorization_code or refresh_token grant). Throws on a response without a usable token. */
  parseTokenResponse(body: Record<string, unknown>, ctx: TokenContext): TokenSet;
  /**
   * Where to exchange the code, from the callback's query (Zoho: `accounts-server`, to be checked against
   * `allowed`, the accounts hosts this server trusts). Default: hosts.token.
   */
  tokenHostFromCallback?(query: Readonly<Record<string, string>>, hosts: CrmHosts, allowed: readonly string[]): string;
  /** The identity call after connecting (or refreshing): who, which CRM account, sandbox or not. */
  fetchIdentity(fetch: typeof globalThis.fetch, tokens: TokenSet, hosts: CrmHosts): Promise<CrmIdentity>;
  /** Revoke at the CRM. Default: RFC 7009 POST to hosts.revoke + oauth.revokePath with `token`. */
  revoke?(fetch: typeof globalThis.fetch, args: { token: string; kind: 'refresh_token' | 'access_token'; hosts: CrmHosts; instanceUrl: string; clientId: string; clientSecret: string }): Promise<void>;
  /** Accounts hosts this CRM may name on the callback (Zoho's data centres). */
  trustedTokenHosts?: readonly string[];
}

export interface CrmModule {
  definition: CrmDefinition;
  oauth: CrmOAuthHooks;
  /** The CRM's error table: any non-2xx response (and network-level failures are 'temporary' in the HTTP layer). */
  classifyError(status: number, headers: Headers, body: string): ClassifiedError;
  /** Read the CRM's rate-limit headers, if it sends any. */
  readRateHeaders?(headers: Headers): RateObservation[];
  /** The Authorization header value for a token: `Bearer x`, `Zoho-oauthtoken x`, or the bare token (monday). */
  authorization(accessToken: string): string;
  createClient(deps: ClientDeps): CrmApiClient;
}
