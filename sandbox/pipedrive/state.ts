/**
 * Per-instance lookup tables of the Pipedrive sandbox (no records are cached): which world activities are served
 * as activities and which as notes (a pass over the types, built on first use), and the deals summary (a sum over
 * all deals, computed once: the world never changes).
 */
import type { SandboxContext, World } from '../common/index.js';

export interface DealsSummary {
  total_count: number;
  values_total: Record<string, { value: number; count: number; value_converted: number; value_formatted: string; value_converted_formatted: string }>;
}

export interface PdState {
  /** World indices of live activities served by /activities (ascending). */
  activityIndices(): Int32Array;
  /** World indices of live activities of type note, served by /v1/notes (ascending). */
  noteIndices(): Int32Array;
  /** World indices of leads in `GET /v1/leads` order: "sorted by the time they were created, from oldest to newest". */
  leadOrder(): Int32Array;
  dealsSummary(): DealsSummary;
}

function split(world: World): { activities: Int32Array; notes: Int32Array } {
  const n = world.counts.activities;
  const acts = new Int32Array(n);
  const notes = new Int32Array(n);
  let a = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (world.activity(i).type === 'note') notes[k++] = i;
    else acts[a++] = i;
  }
  return { activities: acts.slice(0, a), notes: notes.slice(0, k) };
}

const money = (v: number, c: string) => `${c} ${v.toFixed(2)}`;

export function createState(ctx: Omit<SandboxContext<PdState>, 'state'>): PdState {
  let parts: { activities: Int32Array; notes: Int32Array } | undefined;
  let summary: DealsSummary | undefined;
  let leads: Int32Array | undefined;
  return {
    leadOrder() {
      if (leads) return leads;
      const n = ctx.world.counts.leads;
      const created = new Float64Array(n);
      for (let i = 0; i < n; i++) created[i] = ctx.world.lead(i).createdAt;
      leads = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (created[a] as number) - (created[b] as number) || a - b);
      return leads;
    },
    activityIndices: () => (parts ??= split(ctx.world)).activities,
    noteIndices: () => (parts ??= split(ctx.world)).notes,
    dealsSummary() {
      if (summary) return summary;
      const values: DealsSummary['values_total'] = {};
      for (let i = 0; i < ctx.world.counts.deals; i++) {
        const d = ctx.world.deal(i);
        const v = (values[d.currency] ??= { value: 0, count: 0, value_converted: 0, value_formatted: '', value_converted_formatted: '' });
        v.value += d.amount ?? 0;
        v.count += 1;
      }
      for (const [c, v] of Object.entries(values)) {
        v.value = Math.round(v.value * 100) / 100;
        v.value_converted = v.value; // the sandbox converts nothing
        v.value_formatted = money(v.value, c);
        v.value_converted_formatted = money(v.value, c);
      }
      summary = { total_count: ctx.world.counts.deals, values_total: values };
      return summary;
    },
  };
}

/** First position in a sorted index array whose id (index + 1) is greater than `afterId`. */
export function firstAfter(indices: Int32Array, afterId: number): number {
  let lo = 0;
  let hi = indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((indices[mid] as number) + 1 > afterId) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
