/**
 * API types, derived from the server's own zod schemas (type-only imports: erased at build, so no server code
 * reaches the bundle). `Wire<T>` is what JSON turns a response into: dates arrive as ISO strings.
 */
import type { z } from 'zod';
import type { CRM_IDS, ENTITY_TYPES, SOURCE_SYSTEMS } from '../../../src/core/ids.js';
import type { DUPLICATE_POLICIES } from '../../../src/core/import/options.js';
import type { Reconciliation as ServerReconciliation, RunPlan as ServerRunPlan } from '../../../src/import/run-state.js';
import type { crmCountResponse, crmFieldsResponse } from '../../../src/server/routes/crm-data.js';
import type { SessionResponse } from '../../../src/server/routes/auth.js';
import type { AuditEntry as ServerAuditEntry, IntegrationView, connectionView } from '../../../src/server/routes/crm-integrations.js';
import type {
  importApiBody,
  importCsvBody,
  migrationIdResponse,
  migrationView,
  previewBody,
  previewResponse,
  statsResponse,
  suggestion,
  undoResponse,
  uploadView,
} from '../../../src/server/routes/import-export-schemas.js';
import type { errorResponse, organizationView, role } from '../../../src/server/schemas/common.js';
import type { suggestMappingRequestSchema, suggestValueMappingRequestSchema, transformSchema } from '../../../src/core/mapping/schema.js';
import type { fieldMappingSchema } from '../../../src/core/import/mapping.js';

/** A value after JSON.stringify/parse: Date → string, recursively. */
export type Wire<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type CrmId = (typeof CRM_IDS)[number];
export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];
export type EntityType = (typeof ENTITY_TYPES)[number];
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];
export type Role = z.infer<typeof role>;

export type ApiErrorBody = z.infer<typeof errorResponse>;
export type Organization = z.infer<typeof organizationView>;
export type Session = Wire<SessionResponse>;
export interface Me {
  user: { id: string; email: string };
  organization: Organization;
  role: Role;
  via: 'session' | 'token';
  csrfToken: string | null;
  organizations: Array<Organization & { role: Role }>;
}

export type Connection = Wire<z.infer<typeof connectionView>>;
export type Integration = IntegrationView;
export type AuditEntry = Wire<ServerAuditEntry>;

export type CrmCount = z.infer<typeof crmCountResponse>;
export type CrmField = z.infer<typeof crmFieldsResponse>['fields'][number];

export type Suggestion = z.infer<typeof suggestion>;
export type SuggestMappingRequest = z.input<typeof suggestMappingRequestSchema>;
export type SuggestValueMappingRequest = z.input<typeof suggestValueMappingRequestSchema>;
export interface ValueSuggestion {
  sourceValue: string;
  targetValue: string | null;
  confidence: number;
  reason: string;
}
export type Transform = z.infer<typeof transformSchema>;
export type FieldMappingInput = z.input<typeof fieldMappingSchema>;

export type Upload = z.infer<typeof uploadView>;
export type ImportApiBody = z.input<typeof importApiBody>;
export type ImportCsvBody = z.input<typeof importCsvBody>;
export type PreviewBody = z.input<typeof previewBody>;
export type PreviewResult = z.infer<typeof previewResponse>;
export type PreviewRecord = PreviewResult['entities'][number]['records'][number];
export type MigrationId = z.infer<typeof migrationIdResponse>;

/** A run as the API returns it; `plan` and `reconciliation` are typed from the runner's own types. */
export type Migration = Omit<Wire<z.infer<typeof migrationView>>, 'plan' | 'reconciliation'> & {
  plan: ServerRunPlan | null;
  reconciliation: ServerReconciliation | null;
};
export type MigrationStatus = Migration['status'];
export type Reconciliation = ServerReconciliation;
export type EntityReconciliation = NonNullable<Reconciliation['entities'][EntityType]>;
export type Stats = z.infer<typeof statsResponse>;
export type UndoResult = z.infer<typeof undoResponse>;

/** A stored record (the columns depend on the entity; `id`, `externalId`, `source` … are common). */
export type StoredRecord = Record<string, unknown> & { id: string; externalId: string; source: SourceSystem; migrationId: string | null };
export interface RecordPage {
  records: StoredRecord[];
  nextCursor: string | null;
}
export interface RecordDetail {
  record: StoredRecord;
  related: { account?: StoredRecord | null; contact?: StoredRecord | null; deal?: StoredRecord | null };
  children: Partial<Record<EntityType, { count: number; records: StoredRecord[] }>>;
}
