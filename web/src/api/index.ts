/** One typed function per API endpoint the web app uses (shapes in ./types, from the server's schemas). */
import { request, uploadFile, type UploadProgress } from './client';
import type {
  AuditEntry,
  Connection,
  CrmCount,
  CrmField,
  CrmId,
  EntityType,
  ImportApiBody,
  ImportCsvBody,
  Integration,
  Me,
  Migration,
  MigrationId,
  PreviewBody,
  PreviewResult,
  RecordDetail,
  RecordPage,
  Session,
  Stats,
  SuggestMappingRequest,
  Suggestion,
  SuggestValueMappingRequest,
  UndoResult,
  Upload,
  ValueSuggestion,
} from './types';

export * from './types';
export { ApiError, onUnauthenticated } from './client';

export const api = {
  signup: (body: { email: string; password: string; organizationName: string; name?: string }) => request<Session>('POST', '/api/auth/signup', { body }),
  login: (body: { email: string; password: string }) => request<Session>('POST', '/api/auth/login', { body }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<Me>('GET', '/api/auth/me'),

  integrations: () => request<Integration[]>('GET', '/api/crm-integrations'),
  authorize: (crm: CrmId) => request<{ authUrl: string; state: string }>('GET', `/api/crm-integrations/${crm}/authorize`),
  connections: () => request<Connection[]>('GET', '/api/crm-integrations/connections'),
  testConnection: (id: string) => request<{ isValid: boolean; error?: string }>('POST', `/api/crm-integrations/connections/${id}/test`),
  updateConnection: (id: string, syncSettings: { boards?: Partial<Record<EntityType, string>>; rateLimits?: 'realistic' | 'off' }) =>
    request<Connection>('PATCH', `/api/crm-integrations/connections/${id}`, { body: { syncSettings } }),
  disconnect: (id: string) => request<void>('DELETE', `/api/crm-integrations/connections/${id}`),
  connectionAudit: (id: string) => request<AuditEntry[]>('GET', `/api/crm-integrations/connections/${id}/audit`),

  crmCount: (connectionId: string, entityType: EntityType | 'all') => request<CrmCount>('POST', '/api/import-export/crm-count', { body: { connectionId, entityType } }),
  crmFields: (connectionId: string, entityType: EntityType) =>
    request<{ fields: CrmField[] }>('GET', '/api/import-export/crm-fields', { query: { connectionId, entityType } }),
  suggestMapping: (body: SuggestMappingRequest) => request<{ mappings: Suggestion[] }>('POST', '/api/import-export/suggest-mapping', { body }),
  suggestValueMapping: (body: SuggestValueMappingRequest) => request<{ mappings: ValueSuggestion[] }>('POST', '/api/import-export/suggest-value-mapping', { body }),

  uploadCsv: (file: File, entityType: EntityType, onProgress: (p: UploadProgress) => void, signal?: AbortSignal) =>
    uploadFile<Upload>('/api/import-export/csv/upload', file, { entityType }, onProgress, signal),
  upload: (id: string, entityType: EntityType) => request<Upload>('GET', `/api/import-export/uploads/${id}`, { query: { entityType } }),
  preview: (body: PreviewBody, signal?: AbortSignal) => request<PreviewResult>('POST', '/api/import-export/preview', { body, ...(signal ? { signal } : {}) }),
  importCsv: (body: ImportCsvBody) => request<MigrationId>('POST', '/api/import-export/import-csv', { body }),
  importApi: (body: ImportApiBody) => request<MigrationId>('POST', '/api/import-export/import-api', { body }),

  migrations: (query: { limit?: number; cursor?: string | null } = {}) =>
    request<{ migrations: Migration[]; nextCursor: string | null }>('GET', '/api/import-export/migrations', { query }),
  migration: (id: string) => request<Migration>('GET', `/api/import-export/migrations/${id}`),
  cancelMigration: (id: string) => request<Migration>('POST', `/api/import-export/migrations/${id}/cancel`),
  resumeMigration: (id: string) => request<Migration>('POST', `/api/import-export/migrations/${id}/resume`),
  undoMigration: (id: string) => request<UndoResult>('POST', `/api/import-export/migrations/${id}/undo`),
  errorsCsvUrl: (id: string) => `/api/import-export/migrations/${id}/errors.csv`,
  eventsUrl: (id: string) => `/api/import-export/migrations/${id}/events`,
  stats: () => request<Stats>('GET', '/api/import-export/stats'),

  records: (entityType: EntityType, query: { limit?: number; cursor?: string | null; q?: string; migrationId?: string }) =>
    request<RecordPage>('GET', `/api/records/${entityType}`, { query }),
  recordCount: (entityType: EntityType, query: { q?: string; migrationId?: string }) => request<{ count: number }>('GET', `/api/records/${entityType}/count`, { query }),
  record: (entityType: EntityType, id: string) => request<RecordDetail>('GET', `/api/records/${entityType}/${id}`),
};
