/**
 * Step 4: field mapping. Each source field with sample values, the suggested target with a confidence badge and
 * its reason, a searchable list to change it, custom-or-skip for fields without a target, required targets
 * flagged, picklist values mapped, and a live preview with validation errors. Several entities (a whole-CRM
 * import) are tabs.
 */
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { EntityType } from '../api';
import { Alert, Badge, Button } from '../components/ui';
import { capitalize, ENTITY_LABELS, ENTITY_TYPES, targetFields, targetLabel } from '../lib/crms';
import { useMe } from '../lib/session';
import { MappingRowView } from './mapping-row';
import { PreviewPanel } from './preview-panel';
import type { MappingRow, WizardState } from './state';

/** Required targets an API run fills from the CRM record itself (src/core/import/mapping.ts API_IMPLICIT_TARGETS). */
const API_FILLED = new Set(['type', 'externalId', 'owner']);

export interface RequiredStatus {
  target: string;
  label: string;
  from: string | null;
  note?: string;
}

export function requiredStatus(entity: EntityType, rows: readonly MappingRow[], method: 'csv' | 'api' | null): RequiredStatus[] {
  const byTarget = new Map(rows.filter((r) => r.targetField).map((r) => [r.targetField!, r]));
  const splits = rows.some((r) => r.targetField && r.targetField === r.suggestedTarget && r.suggestedTransform?.kind === 'splitFullName');
  return targetFields(entity)
    .filter((f) => f.required)
    .map((f) => {
      const direct = byTarget.get(f.name);
      if (direct) return { target: f.name, label: f.label, from: direct.label ?? direct.sourceField };
      const alt = f.requiredUnless ? byTarget.get(f.requiredUnless) : undefined;
      if (alt) return { target: f.name, label: f.label, from: alt.label ?? alt.sourceField, note: `split from ${targetLabel(entity, f.requiredUnless)}` };
      if (f.name === 'lastName' && splits) return { target: f.name, label: f.label, from: 'a full name', note: 'split from a full name' };
      if (method === 'api' && API_FILLED.has(f.name)) return { target: f.name, label: f.label, from: 'the CRM record', note: 'filled from the CRM record' };
      return { target: f.name, label: f.label, from: null, ...(f.requiredUnless ? { note: `or map ${targetLabel(entity, f.requiredUnless)}` } : {}) };
    });
}

/** Problems that stop an import: required targets unmapped, two fields onto one target. */
export function blockingProblems(state: WizardState): string[] {
  const out: string[] = [];
  for (const entity of ENTITY_TYPES) {
    const rows = state.mappings[entity];
    if (!rows) continue;
    const name = capitalize(ENTITY_LABELS[entity].many);
    for (const r of requiredStatus(entity, rows, state.method)) {
      if (!r.from) out.push(`${name}: map a field into ${r.label}${r.note ? ` (${r.note})` : ''}.`);
    }
    const seen = new Map<string, string>();
    for (const row of rows) {
      if (!row.targetField) continue;
      const prev = seen.get(row.targetField);
      if (prev) out.push(`${name}: “${prev}” and “${row.label ?? row.sourceField}” both go into ${targetLabel(entity, row.targetField)}; choose one.`);
      else seen.set(row.targetField, row.label ?? row.sourceField);
    }
  }
  return out;
}

function EntityTabs({ entities, current, onSelect, panelId }: { entities: EntityType[]; current: EntityType; onSelect(e: EntityType): void; panelId: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, i: number) {
    let j: number;
    if (e.key === 'ArrowRight') j = (i + 1) % entities.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + entities.length) % entities.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = entities.length - 1;
    else return;
    e.preventDefault();
    onSelect(entities[j]!);
    refs.current[entities[j]!]?.focus();
  }
  return (
    <div role="tablist" aria-label="Kinds of records" className="flex flex-wrap gap-2">
      {entities.map((e, i) => (
        <button
          key={e}
          ref={(el) => {
            refs.current[e] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${e}`}
          aria-selected={e === current}
          aria-controls={panelId}
          tabIndex={e === current ? 0 : -1}
          onClick={() => onSelect(e)}
          onKeyDown={(ev) => onKeyDown(ev, i)}
          className={`min-h-11 rounded-full px-4 py-2 ${e === current ? 'bg-ink text-white' : 'border border-ink bg-white text-ink hover:bg-sand'}`}
        >
          {capitalize(ENTITY_LABELS[e].many)}
        </button>
      ))}
    </div>
  );
}

export function MappingStep({ state, update, onBack, onNext }: { state: WizardState; update(p: Partial<WizardState> | ((s: WizardState) => Partial<WizardState>)): void; onBack(): void; onNext(): void }) {
  const me = useMe();
  const panelId = useId();
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const [attentionOnly, setAttentionOnly] = useState(false);
  const entities = ENTITY_TYPES.filter((e) => state.mappings[e]);
  const entity = state.mappingEntity && state.mappings[state.mappingEntity] ? state.mappingEntity : entities[0];
  if (!entity) {
    return (
      <Alert tone="warning" title="There is nothing to map yet">
        <Button variant="ghost" onClick={onBack}>
          Go back and choose your data
        </Button>
      </Alert>
    );
  }
  const rows = state.mappings[entity]!;
  const setRow = (index: number, row: MappingRow) =>
    update((s) => {
      const list = [...(s.mappings[entity] ?? [])];
      list[index] = row;
      return { mappings: { ...s.mappings, [entity]: list } };
    });
  const required = requiredStatus(entity, rows, state.method);
  const mapped = rows.filter((r) => r.targetField).length;
  const custom = rows.filter((r) => !r.targetField && r.keepAsCustom).length;
  const skipped = rows.length - mapped - custom;
  const q = filter.trim().toLowerCase();
  const visible = rows
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => !q || row.sourceField.toLowerCase().includes(q) || (row.label ?? '').toLowerCase().includes(q) || targetLabel(entity, row.targetField).toLowerCase().includes(q))
    .filter(({ row }) => !attentionOnly || row.confidence < 0.85 || !row.targetField);
  const problems = blockingProblems(state);

  return (
    <div className="space-y-6">
      {entities.length > 1 && <EntityTabs entities={entities} current={entity} onSelect={(e) => update({ mappingEntity: e })} panelId={panelId} />}
      <div id={panelId} role={entities.length > 1 ? 'tabpanel' : undefined} aria-labelledby={entities.length > 1 ? `tab-${entity}` : undefined} className="space-y-6">
        <div className="grid gap-4 lg:grid-cols-2">
          <section aria-labelledby="required-title" className="rounded-3xl bg-sand p-5">
            <h3 id="required-title" className="font-semibold">
              Required for {ENTITY_LABELS[entity].many}
            </h3>
            <ul className="mt-2 space-y-1">
              {required.map((r) => (
                <li key={r.target} className="flex flex-wrap items-center gap-2">
                  {r.from ? <Badge tone="green">✓ Mapped</Badge> : <Badge tone="red">✗ Not mapped</Badge>}
                  <span>
                    <strong>{r.label}</strong> {r.from ? `← ${r.from}` : ''} {r.note ? <span className="text-quiet">({r.note})</span> : null}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="summary-title" className="rounded-3xl bg-sand p-5">
            <h3 id="summary-title" className="font-semibold">
              {rows.length} source fields
            </h3>
            <p className="mt-2">
              {mapped} go into standard fields, {custom} kept as custom fields, {skipped} skipped.
            </p>
            <p className="mt-1 text-sm text-quiet">Suggestions below 85% confidence are worth a look. Your changes are remembered for the next import.</p>
          </section>
        </div>

        <div className="flex flex-wrap items-end gap-4">
          <div className="min-w-60 flex-1">
            <label htmlFor={filterId} className="block text-sm font-medium">
              Find a field
            </label>
            <input
              id={filterId}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              className="mt-1 block w-full rounded-xl border border-[#8a8a8a] bg-white px-3 py-2"
            />
          </div>
          <label className="flex min-h-11 items-center gap-2">
            <input type="checkbox" checked={attentionOnly} onChange={(e) => setAttentionOnly(e.target.checked)} className="h-5 w-5 accent-[#1a1a1a]" />
            Only fields that need a look
          </label>
        </div>

        <section aria-label={`Fields of ${ENTITY_LABELS[entity].many}`} className="rounded-3xl border border-sand-dark bg-white px-4 sm:px-6">
          {visible.length === 0 ? (
            <p className="py-4 text-quiet">No field matches.</p>
          ) : (
            <ul>
              {visible.map(({ row, index }) => (
                <MappingRowView key={row.sourceField} entity={entity} row={row} rows={rows} onChange={(r) => setRow(index, r)} disabled={!me.canManage} />
              ))}
            </ul>
          )}
        </section>

        <PreviewPanel state={state} entity={entity} rows={rows} />
      </div>

      {problems.length > 0 && (
        <Alert tone="warning" title="Before you continue">
          <ul className="list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext} disabled={problems.length > 0}>
          Continue to review
        </Button>
      </div>
    </div>
  );
}
