/**
 * One CRM object record as the v3 API renders it: `{id, properties, createdAt, updatedAt, archived, archivedAt?,
 * associations?}` with every property value a string (or null when requested but empty).
 */
import { isoTimestamp, type World } from '../common/index.js';
import { v3Associations } from './associations.js';
import { resolveObjectType, type ObjectType } from './objects.js';
import { defaultPropertiesOf, propertyOf, type PropDef, type RenderCtx } from './properties.js';

export const ownerId = (index: number): string => String(52_550_153 + index);
export const ownerUserId = (index: number): string => String(2_620_142 + index);

export function renderCtx(world: World): RenderCtx {
  // Company names are read for every contact row; a bounded name table keeps exports fast (names only, not records).
  const names = new Map<number, string>();
  return {
    world, ownerId,
    companyName(index: number): string {
      let name = names.get(index);
      if (name === undefined) {
        if (names.size >= 100_000) names.clear();
        name = world.account(index).name;
        names.set(index, name);
      }
      return name;
    },
  };
}

/** `properties=a,b` or repeated `properties=a&properties=b`; unknown names are ignored, as HubSpot does on reads. */
export function requestedProperties(t: ObjectType, raw: unknown): PropDef[] {
  const names = listParam(raw);
  const list = names.length > 0 ? names : defaultPropertiesOf(t);
  const out: PropDef[] = [];
  const seen = new Set<string>();
  for (const n of list) {
    const p = propertyOf(t, n);
    if (p && !seen.has(n)) {
      seen.add(n);
      out.push(p);
    }
  }
  return out;
}

/** `associations=companies,0-1`: the targets as object names (unknown ones dropped). */
export function requestedAssociations(raw: unknown): string[] {
  return listParam(raw).map((n) => resolveObjectType(n)?.name).filter((n): n is string => n !== undefined);
}

export function listParam(raw: unknown): string[] {
  const parts = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return parts.flatMap((p) => String(p).split(',')).map((s) => s.trim()).filter(Boolean);
}

export interface RenderedRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
}

export function renderRecord(t: ObjectType, index: number, props: readonly PropDef[], associations: readonly string[], rc: RenderCtx): RenderedRecord {
  const r = rc.world.get(t.entity, index);
  const properties: Record<string, string | null> = {};
  for (const p of props) properties[p.name] = p.get(r as never, rc);
  const out: RenderedRecord = {
    id: String(index + 1), properties, createdAt: isoTimestamp(r.createdAt), updatedAt: isoTimestamp(r.updatedAt), archived: r.deleted,
  };
  if (r.deleted && r.deletedAt !== null) out.archivedAt = isoTimestamp(r.deletedAt);
  const assoc = v3Associations(t, r, associations);
  if (assoc) out.associations = assoc;
  return out;
}
