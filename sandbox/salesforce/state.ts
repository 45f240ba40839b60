/** Per-instance state of the Salesforce sandbox: object spaces, query cursors, Bulk API 2.0 jobs and switches. */
import type { SandboxContext } from '../common/index.js';
import { createSpaces, type ObjectSpace } from './objects.js';
import type { Plan } from './query.js';
import type { ObjectSpec } from './schema.js';

export interface QueryCursor {
  id: string;
  plan: Plan;
  userId: string;
  batchSize: number;
  lastUsedAt: number;
}

export type JobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface BulkJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  plan: Plan;
  apiVersion: string;
  createdById: string;
  createdAt: number;
  columnDelimiter: string;
  lineEnding: 'LF' | 'CRLF';
  /** Set when aborted, or decided at creation when the object is switched to fail. */
  forcedState: 'Aborted' | 'Failed' | null;
  endedAt: number | null;
}

export interface SalesforceState {
  spaces: (object: ObjectSpec) => ObjectSpace;
  cursors: Map<string, QueryCursor>;
  jobs: Map<string, BulkJob>;
  seq: number;
  /** Start times of the data requests in flight, per org (the long-running request cap). */
  inFlight: Map<string, Set<{ startedAt: number }>>;
  switches: {
    /** Organization.IsSandbox (`--option sandboxOrg=true`). */
    sandboxOrg: boolean;
    /** Objects whose Bulk API 2.0 jobs end Failed (`--option bulkFail=Contact,Task`). */
    bulkFail: Set<string>;
    /** Time from job creation to JobComplete (`--option bulkProcessingMs=300`). */
    bulkProcessingMs: number;
  };
}

export type SalesforceCtx = SandboxContext<SalesforceState>;

export function createState(ctx: Omit<SalesforceCtx, 'state'>): SalesforceState {
  const extras = ctx.options.extras ?? {};
  const switches = {
    sandboxOrg: extras.sandboxOrg === 'true',
    bulkFail: new Set((extras.bulkFail ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)),
    bulkProcessingMs: extras.bulkProcessingMs === undefined ? 300 : Number(extras.bulkProcessingMs),
  };
  if (!Number.isFinite(switches.bulkProcessingMs) || switches.bulkProcessingMs < 0) throw new RangeError('--option bulkProcessingMs must be a non-negative number');
  return {
    spaces: createSpaces(ctx.world, () => ({ isSandbox: switches.sandboxOrg })),
    cursors: new Map(),
    jobs: new Map(),
    seq: 0,
    inFlight: new Map(),
    switches,
  };
}
