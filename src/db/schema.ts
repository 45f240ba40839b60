/**
 * The database schema (Drizzle). Migrations in drizzle/ are generated from this file with `npm run db:generate`;
 * test/db/schema-drift.test.ts fails when the two disagree. Every tenant-owned table carries organization_id.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  date,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const orgRef = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

export const roleEnum = pgEnum('member_role', ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER']);
export const importMethodEnum = pgEnum('import_method', ['csv', 'api']);
export const migrationStatusEnum = pgEnum('migration_status', [
  'queued',
  'running',
  'paused',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
]);
export const sourceEnum = pgEnum('record_source', ['salesforce', 'hubspot', 'pipedrive', 'zoho', 'monday', 'csv']);

// ---------------------------------------------------------------- identity and tenancy

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    name: text('name'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const organizations = pgTable('organizations', {
  id: id(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    organizationId: orgRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('memberships_org_user_key').on(t.organizationId, t.userId), index('memberships_user_idx').on(t.userId)],
);

/** Browser sessions. The cookie carries a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: orgRef(),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: ts('expires_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Personal API tokens: shown once, stored as SHA-256, acting in one organization as their creator. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    organizationId: orgRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, to recognise it in a list. */
    prefix: text('prefix').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_org_idx').on(t.organizationId)],
);

/** Fixed-window counters for throttling (login attempts, …), shared by every server process. */
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: ts('reset_at').notNull(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    organizationId: orgRef(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_org_target_idx').on(t.organizationId, t.targetType, t.targetId, t.createdAt)],
);

// ---------------------------------------------------------------- CRM connections

/** The five CRMs (kept in step with src/crm/registry.ts at start-up). */
export const crmIntegrations = pgTable('crm_integrations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  isEnabled: boolean('is_enabled').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The seed's CrmConnection. Tokens are ciphertexts from src/security/keyring.ts, never plaintext. */
export const crmConnections = pgTable(
  'crm_connections',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    organizationId: orgRef(),
    integrationId: text('integration_id')
      .notNull()
      .references(() => crmIntegrations.id),
    instanceUrl: text('instance_url').notNull(),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    /** Null when the CRM's token does not expire (monday's legacy OAuth). */
    expiresAt: ts('expires_at'),
    externalOrgId: text('external_org_id'),
    externalUserId: text('external_user_id'),
    username: text('username'),
    email: text('email'),
    isActive: boolean('is_active').notNull().default(true),
    isSandbox: boolean('is_sandbox').notNull().default(false),
    /** The CRM rejected the refresh token: the user must reconnect. */
    needsReauth: boolean('needs_reauth').notNull().default(false),
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    syncSettings: jsonb('sync_settings').$type<Record<string, unknown>>(),
    lastSyncAt: ts('last_sync_at'),
    lastError: text('last_error'),
    /** Bumped on every token change; lets a refresher see that another process refreshed first. */
    tokenVersion: integer('token_version').notNull().default(0),
    lastRefreshedAt: ts('last_refreshed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('crm_connections_org_idx').on(t.organizationId, t.integrationId),
    uniqueIndex('crm_connections_account_key').on(t.organizationId, t.integrationId, t.externalOrgId, t.externalUserId),
  ],
);

/** OAuth `state` values in flight: single use, short-lived, bound to user, organization, CRM and session. */
export const oauthStates = pgTable(
  'oauth_states',
  {
    id: id(),
    stateHash: text('state_hash').notNull(),
    organizationId: orgRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The session (or API token) that started the flow; the callback must come from the same one. */
    sessionHash: text('session_hash').notNull(),
    crmType: text('crm_type').notNull(),
    /** PKCE verifier, encrypted. */
    codeVerifier: text('code_verifier'),
    redirectUri: text('redirect_uri').notNull(),
    /** Where the browser goes afterwards (a path of this app). */
    returnTo: text('return_to'),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('oauth_states_hash_key').on(t.stateHash)],
);

/** Per-connection API budgets shared by every worker process (sliding windows, see src/crm/budget). */
export const crmRateBudgets = pgTable('crm_rate_budgets', {
  key: text('key').primaryKey(),
  /** Recent request times and weights within the longest window, oldest first. */
  events: jsonb('events').$type<Array<[number, number]>>().notNull().default([]),
  /** The CRM said stop until this time (quota exhausted, Retry-After). */
  blockedUntil: ts('blocked_until'),
  state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- migrations (import runs)

export const uploads = pgTable(
  'uploads',
  {
    id: id(),
    organizationId: orgRef(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    filename: text('filename').notNull(),
    /** Path under DATA_DIR where the bytes are kept. */
    storagePath: text('storage_path').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    encoding: text('encoding').notNull(),
    delimiter: text('delimiter').notNull(),
    hasBom: boolean('has_bom').notNull().default(false),
    headers: jsonb('headers').$type<string[]>().notNull(),
    rowCount: integer('row_count').notNull(),
    sample: jsonb('sample').$type<Array<Record<string, string>>>().notNull().default([]),
    detectedSource: text('detected_source'),
    createdAt: createdAt(),
  },
  (t) => [index('uploads_org_idx').on(t.organizationId)],
);

export const migrations = pgTable(
  'migrations',
  {
    id: id(),
    organizationId: orgRef(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    importMethod: importMethodEnum('import_method').notNull().default('csv'),
    crmConnectionId: uuid('crm_connection_id').references(() => crmConnections.id, { onDelete: 'set null' }),
    uploadId: uuid('upload_id').references(() => uploads.id, { onDelete: 'set null' }),
    source: sourceEnum('source').notNull(),
    /** One of the canonical entity types, or `all` for a whole-CRM run in dependency order. */
    entityType: text('entity_type').notNull(),
    status: migrationStatusEnum('status').notNull().default('queued'),
    /** What the run is doing now, e.g. `counting`, `fetching contacts`, `resolving links`. */
    phase: text('phase'),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** The plan (strategy per entity) chosen when the run started. */
    plan: jsonb('plan').$type<Record<string, unknown>>(),
    /** Where to resume: cursor, locator, page token, CSV offset … saved with each committed batch. */
    checkpoint: jsonb('checkpoint').$type<Record<string, unknown>>(),
    totalRecords: integer('total_records').notNull().default(0),
    apiRecordsFetched: integer('api_records_fetched').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    reconciliation: jsonb('reconciliation').$type<Record<string, unknown>>(),
    error: text('error'),
    pausedUntil: ts('paused_until'),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    /** The worker holding the run (a lease renewed while it works; src/import/lease.ts). Null: nobody. */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: ts('lease_expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('migrations_org_idx').on(t.organizationId, t.createdAt),
    index('migrations_active_idx').on(t.status, t.leaseExpiresAt).where(sql`${t.status} in ('queued', 'running', 'paused')`),
  ],
);

export const migrationFieldMappings = pgTable(
  'migration_field_mappings',
  {
    id: id(),
    organizationId: orgRef(),
    migrationId: uuid('migration_id')
      .notNull()
      .references(() => migrations.id, { onDelete: 'cascade' }),
    entityType: text('entity_type').notNull(),
    sourceField: text('source_field').notNull(),
    /** Null: keep as a custom field (or skip, per `keepAsCustom`). */
    targetField: text('target_field'),
    keepAsCustom: boolean('keep_as_custom').notNull().default(false),
    transform: jsonb('transform').$type<Record<string, unknown>>(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('migration_field_mappings_migration_idx').on(t.migrationId)],
);

/** Mappings an organization accepted, preferred by the mapping engine next time (the "memory of corrections"). */
export const mappingMemory = pgTable(
  'mapping_memory',
  {
    organizationId: orgRef(),
    source: sourceEnum('source').notNull(),
    entityType: text('entity_type').notNull(),
    sourceField: text('source_field').notNull(),
    targetField: text('target_field'),
    transform: jsonb('transform').$type<Record<string, unknown>>(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.source, t.entityType, t.sourceField] })],
);

/** One row per record that failed validation or loading, with where it came from and why. */
export const migrationErrors = pgTable(
  'migration_errors',
  {
    id: id(),
    organizationId: orgRef(),
    migrationId: uuid('migration_id')
      .notNull()
      .references(() => migrations.id, { onDelete: 'cascade' }),
    entityType: text('entity_type').notNull(),
    rowNumber: integer('row_number'),
    sourceId: text('source_id'),
    field: text('field'),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('migration_errors_migration_idx').on(t.migrationId, t.rowNumber)],
);

// ---------------------------------------------------------------- canonical records

const recordColumns = () => ({
  id: id(),
  organizationId: orgRef(),
  source: sourceEnum('source').notNull(),
  externalId: text('external_id').notNull(),
  migrationId: uuid('migration_id').references(() => migrations.id, { onDelete: 'set null' }),
  /** The run that created the record (never changed by later runs): what "undo a run" deletes. */
  createdMigrationId: uuid('created_migration_id').references(() => migrations.id, { onDelete: 'set null' }),
  owner: text('owner'),
  sourceCreatedAt: ts('source_created_at'),
  sourceUpdatedAt: ts('source_updated_at'),
  customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

const address = () => ({
  street: text('street'),
  city: text('city'),
  state: text('state'),
  postalCode: text('postal_code'),
  country: text('country'),
});

export const accounts = pgTable(
  'accounts',
  {
    ...recordColumns(),
    name: text('name').notNull(),
    domain: text('domain'),
    website: text('website'),
    industry: text('industry'),
    phone: text('phone'),
    employees: integer('employees'),
    annualRevenue: doublePrecision('annual_revenue'),
    description: text('description'),
    type: text('type'),
    linkedinUrl: text('linkedin_url'),
    ...address(),
  },
  (t) => [
    uniqueIndex('accounts_org_source_ext_key').on(t.organizationId, t.source, t.externalId),
    index('accounts_org_name_idx').on(t.organizationId, sql`lower(${t.name})`),
    index('accounts_org_domain_idx').on(t.organizationId, sql`lower(${t.domain})`),
    index('accounts_migration_idx').on(t.migrationId),
    index('accounts_created_migration_idx').on(t.createdMigrationId),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    ...recordColumns(),
    firstName: text('first_name'),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    mobilePhone: text('mobile_phone'),
    title: text('title'),
    department: text('department'),
    lifecycleStage: text('lifecycle_stage'),
    leadSource: text('lead_source'),
    description: text('description'),
    birthdate: date('birthdate', { mode: 'string' }),
    linkedinUrl: text('linkedin_url'),
    ...address(),
    accountExternalId: text('account_external_id'),
    accountName: text('account_name'),
    accountId: uuid('account_id').references((): AnyPgColumn => accounts.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('contacts_org_source_ext_key').on(t.organizationId, t.source, t.externalId),
    index('contacts_org_email_idx').on(t.organizationId, sql`lower(${t.email})`),
    index('contacts_unresolved_account_idx').on(t.organizationId, t.source, t.accountExternalId).where(sql`${t.accountId} is null and ${t.accountExternalId} is not null`),
    index('contacts_unresolved_account_name_idx').on(t.organizationId, sql`lower(${t.accountName})`).where(sql`${t.accountId} is null and ${t.accountName} is not null`),
    index('contacts_migration_idx').on(t.migrationId),
    index('contacts_created_migration_idx').on(t.createdMigrationId),
  ],
);

export const leads = pgTable(
  'leads',
  {
    ...recordColumns(),
    firstName: text('first_name'),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    mobilePhone: text('mobile_phone'),
    company: text('company'),
    title: text('title'),
    status: text('status'),
    leadSource: text('lead_source'),
    industry: text('industry'),
    website: text('website'),
    employees: integer('employees'),
    annualRevenue: doublePrecision('annual_revenue'),
    rating: text('rating'),
    description: text('description'),
    ...address(),
  },
  (t) => [
    uniqueIndex('leads_org_source_ext_key').on(t.organizationId, t.source, t.externalId),
    index('leads_org_email_idx').on(t.organizationId, sql`lower(${t.email})`),
    index('leads_migration_idx').on(t.migrationId),
    index('leads_created_migration_idx').on(t.createdMigrationId),
  ],
);

export const deals = pgTable(
  'deals',
  {
    ...recordColumns(),
    name: text('name').notNull(),
    amount: doublePrecision('amount'),
    currency: text('currency'),
    stage: text('stage'),
    pipeline: text('pipeline'),
    probability: doublePrecision('probability'),
    closeDate: date('close_date', { mode: 'string' }),
    status: text('status'),
    type: text('type'),
    leadSource: text('lead_source'),
    description: text('description'),
    accountExternalId: text('account_external_id'),
    accountName: text('account_name'),
    contactExternalId: text('contact_external_id'),
    accountId: uuid('account_id').references((): AnyPgColumn => accounts.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references((): AnyPgColumn => contacts.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('deals_org_source_ext_key').on(t.organizationId, t.source, t.externalId),
    index('deals_unresolved_account_idx').on(t.organizationId, t.source, t.accountExternalId).where(sql`${t.accountId} is null and ${t.accountExternalId} is not null`),
    index('deals_unresolved_account_name_idx').on(t.organizationId, sql`lower(${t.accountName})`).where(sql`${t.accountId} is null and ${t.accountName} is not null`),
    index('deals_unresolved_contact_idx').on(t.organizationId, t.source, t.contactExternalId).where(sql`${t.contactId} is null and ${t.contactExternalId} is not null`),
    index('deals_migration_idx').on(t.migrationId),
    index('deals_created_migration_idx').on(t.createdMigrationId),
  ],
);

export const activities = pgTable(
  'activities',
  {
    ...recordColumns(),
    type: text('type').notNull(),
    subject: text('subject'),
    body: text('body'),
    dueAt: ts('due_at'),
    completedAt: ts('completed_at'),
    status: text('status'),
    priority: text('priority'),
    accountExternalId: text('account_external_id'),
    contactExternalId: text('contact_external_id'),
    dealExternalId: text('deal_external_id'),
    accountId: uuid('account_id').references((): AnyPgColumn => accounts.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references((): AnyPgColumn => contacts.id, { onDelete: 'set null' }),
    dealId: uuid('deal_id').references((): AnyPgColumn => deals.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('activities_org_source_ext_key').on(t.organizationId, t.source, t.externalId),
    index('activities_unresolved_account_idx').on(t.organizationId, t.source, t.accountExternalId).where(sql`${t.accountId} is null and ${t.accountExternalId} is not null`),
    index('activities_unresolved_contact_idx').on(t.organizationId, t.source, t.contactExternalId).where(sql`${t.contactId} is null and ${t.contactExternalId} is not null`),
    index('activities_unresolved_deal_idx').on(t.organizationId, t.source, t.dealExternalId).where(sql`${t.dealId} is null and ${t.dealExternalId} is not null`),
    index('activities_migration_idx').on(t.migrationId),
    index('activities_created_migration_idx').on(t.createdMigrationId),
  ],
);

/** The canonical record tables by entity type. */
export const recordTables = { accounts, contacts, leads, deals, activities } as const;
