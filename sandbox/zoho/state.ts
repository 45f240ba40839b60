/**
 * Per-instance state of the Zoho sandbox: the module index lists and name caches, Bulk Read jobs, the key that
 * signs page tokens, which (client, user) pairs already received a refresh token, cached sort orders, and the
 * `--option` settings (bulk job speed and page size, forced bulk failures, org type, data-centre location).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxContext } from '../common/index.js';
import { createModuleData, findModule, type ModuleData, type ModuleSpec } from './modules.js';
import { createRenderCtx, type RenderCtx } from './refs.js';

export interface BulkJob {
  readonly id: string;
  readonly module: ModuleSpec;
  /** Columns in order, `id` first. */
  readonly columns: readonly string[];
  /** 1-based Bulk Read page: records (page-1)×200,000 … page×200,000. */
  readonly page: number;
  readonly count: number;
  readonly moreRecords: boolean;
  readonly createdAt: number;
  readonly userId: string;
  readonly orgId: string;
  readonly fail: boolean;
  /** The request's `query`, echoed in the job details. */
  readonly query: Record<string, unknown>;
}

export interface ZohoSettings {
  /** Time a job spends ADDED then QUEUED before it runs. */
  readonly bulkQueueMs: number;
  /** Speed of a running job (records/s) — IN PROGRESS lasts count / this. */
  readonly bulkRecordsPerSecond: number;
  /** Modules whose Bulk Read jobs end in FAILURE (tests of the client's fallback). */
  readonly bulkFailModules: ReadonlySet<string>;
  /** `org.type`: 'production' or 'sandbox' (a Zoho sandbox org, crmsandbox.zoho.com). */
  readonly orgType: 'production' | 'sandbox';
  /** Data centre named in the OAuth callback's `location`. */
  readonly location: string;
  /** Records per Bulk Read job: Zoho's 200,000 unless a test shrinks it to exercise job continuation cheaply. */
  readonly bulkPageSize: number;
}

export interface ZohoState {
  readonly modules: ModuleData;
  readonly render: RenderCtx;
  readonly tokenKey: Buffer;
  readonly jobs: Map<string, BulkJob>;
  jobSeq: number;
  /** `${clientId} ${userId}` pairs that got a refresh token from an access_type=offline consent. */
  readonly offlineGranted: Set<string>;
  /** Positions sorted by Created_Time / Modified_Time, per module and sort key. */
  readonly sortCache: Map<string, Uint32Array>;
  readonly settings: ZohoSettings;
}

function settingsFrom(extras: Readonly<Record<string, string>> | undefined): ZohoSettings {
  const e = extras ?? {};
  const number = (k: string, d: number): number => {
    const n = Number(e[k]);
    return e[k] !== undefined && Number.isFinite(n) && n >= 0 ? n : d;
  };
  const fail = (e.bulkFailModules ?? '').split(',').map((s) => findModule(s.trim())?.api).filter((m): m is ModuleSpec['api'] => m !== undefined);
  return {
    bulkQueueMs: number('bulkQueueMs', 200),
    bulkRecordsPerSecond: Math.max(1, number('bulkRecordsPerSecond', 250_000)),
    bulkFailModules: new Set(fail),
    orgType: e.orgType === 'sandbox' ? 'sandbox' : 'production',
    location: e.location ?? 'us',
    bulkPageSize: Math.max(1, Math.floor(number('bulkPageSize', 200_000))),
  };
}

export function createState(ctx: Omit<SandboxContext<ZohoState>, 'state'>): ZohoState {
  return {
    modules: createModuleData(ctx.world),
    render: createRenderCtx(ctx.world),
    tokenKey: randomBytes(32),
    jobs: new Map(),
    jobSeq: 0,
    offlineGranted: new Set(),
    sortCache: new Map(),
    settings: settingsFrom(ctx.options.extras),
  };
}
