/** Per-instance state of the HubSpot sandbox: index lists, export tasks, revoked refresh tokens, the portal. */
import type { SandboxContext, World } from '../common/index.js';
import { ObjectIndex, type ObjectType } from './objects.js';

export interface ExportJob {
  readonly id: string;
  readonly object: ObjectType;
  readonly exportName: string;
  readonly properties: readonly string[];
  readonly associated: readonly ObjectType[];
  /** exportInternalValuesOptions: NAMES → internal names as headers; VALUES → internal values (else labels). */
  readonly names: boolean;
  readonly values: boolean;
  readonly requestedAt: number;
  readonly startedAt: number;
  readonly completedAt: number;
  readonly outcome: ExportOutcome;
  readonly orgId: string;
}

/** How exports end: normally, CANCELED (HubSpot's failure status), or stuck in PROCESSING (deadline tests). */
export type ExportOutcome = 'complete' | 'canceled' | 'stuck';

export interface HubSpotState {
  readonly index: ObjectIndex;
  readonly exports: Map<string, ExportJob>;
  /** Exports run one at a time per account; the next one starts when this one is done. */
  exportQueueFreeAt: number;
  exportOutcome: ExportOutcome;
  /** Processing time of an export: base + per 1,000 rows (ms). */
  exportBaseMs: number;
  exportMsPer1k: number;
  /** Above this many rows an export is delivered as a ZIP (HubSpot zips exports over 1,000,000 rows). */
  exportZipRows: number;
  /** Refresh tokens deleted via the legacy DELETE endpoint (their access tokens live on, as in HubSpot). */
  readonly revokedRefreshTokens: Set<string>;
  /** HubSpot account type reported by account-info (STANDARD, DEVELOPER_TEST, SANDBOX). */
  accountType: string;
  nextExportId: number;
}

/** The sandbox portal (hub) and user. */
export const HUB_ID = '48151623';
export const USER_ID = '2620142';
export const APP_ID = '3141592';

export type Ctx = SandboxContext<HubSpotState>;

function num(v: string | undefined, fallback: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function createState(ctx: { world: World; options: { extras?: Readonly<Record<string, string>> } }): HubSpotState {
  const x = ctx.options.extras ?? {};
  const outcome = x.exportOutcome === 'canceled' || x.exportOutcome === 'stuck' ? x.exportOutcome : 'complete';
  return {
    index: new ObjectIndex(ctx.world),
    exports: new Map(),
    exportQueueFreeAt: 0,
    exportOutcome: outcome,
    exportBaseMs: num(x.exportBaseMs, 1_500),
    exportMsPer1k: num(x.exportMsPer1k, 20),
    exportZipRows: num(x.exportZipRows, 1_000_000),
    revokedRefreshTokens: new Set(),
    accountType: x.accountType ?? 'STANDARD',
    nextExportId: 52_000_001,
  };
}
