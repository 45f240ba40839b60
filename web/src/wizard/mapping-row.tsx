/** One source field in the mapping step: its samples, where it goes (searchable), how sure the suggestion is and why. */
import { useEffect, useId, useState } from 'react';
import { api, type EntityType } from '../api';
import { Combobox, type ComboOption } from '../components/combobox';
import { Badge, RichText } from '../components/ui';
import { picklistTarget, targetFields, targetLabel } from '../lib/crms';
import type { MappingRow } from './state';

export const KEEP = '__custom__';
export const SKIP = '__skip__';

export function confidenceBadge(confidence: number) {
  const pct = Math.round(confidence * 100);
  if (confidence >= 0.85) return <Badge tone="green">High confidence · {pct}%</Badge>;
  if (confidence >= 0.6) return <Badge tone="amber">Medium confidence · {pct}%</Badge>;
  return <Badge tone="red">Low confidence · {pct}%</Badge>;
}

export function targetOptions(entity: EntityType, rows: readonly MappingRow[], self: MappingRow): ComboOption[] {
  const usedBy = new Map<string, string>();
  for (const r of rows) if (r.targetField && r !== self) usedBy.set(r.targetField, r.sourceField);
  const options: ComboOption[] = [
    { value: KEEP, label: 'Keep as custom field', hint: `Stored as it is, under the name “${self.sourceField}”` },
    { value: SKIP, label: 'Skip this field', hint: 'Not imported' },
  ];
  for (const f of targetFields(entity)) {
    const hints = [f.name];
    if (f.required) hints.push(f.requiredUnless ? `required (or ${targetLabel(entity, f.requiredUnless)})` : 'required');
    const holder = usedBy.get(f.name);
    if (holder) hints.push(`already used by “${holder}”`);
    options.push({ value: f.name, label: f.label, hint: hints.join(' · ') });
  }
  return options;
}

function ValueMapEditor({ entity, row, onChange }: { entity: EntityType; row: MappingRow; onChange(valueMap: Record<string, string | null>): void }) {
  const target = row.targetField!;
  const allowed = picklistTarget(entity, target);
  const sourceValues = [...new Set([...Object.keys(row.valueMap ?? {}), ...(row.values ?? []), ...row.samples])].slice(0, 50);
  const [loading, setLoading] = useState(false);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const id = useId();

  // First time a picklist target is chosen: ask the server how each value maps.
  useEffect(() => {
    if (row.valueMap && Object.keys(row.valueMap).length > 0) return;
    if (sourceValues.length === 0) return;
    let live = true;
    setLoading(true);
    api
      .suggestValueMapping({ entityType: entity, targetField: target, values: sourceValues })
      .then(({ mappings }) => {
        if (!live) return;
        onChange(Object.fromEntries(mappings.map((m) => [m.sourceValue, m.targetValue])));
        setReasons(Object.fromEntries(mappings.map((m) => [m.sourceValue, m.reason])));
      })
      .catch(() => undefined)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [target]);

  if (sourceValues.length === 0) return null;
  const map = row.valueMap ?? {};
  return (
    <fieldset className="mt-3 rounded-2xl bg-white p-3 ring-1 ring-sand-dark">
      <legend className="px-1 text-sm font-medium">Values of “{row.label ?? row.sourceField}” → {targetLabel(entity, target)}</legend>
      {loading && <p className="text-sm text-quiet">Suggesting values…</p>}
      <ul className="space-y-2">
        {sourceValues.map((v, i) => {
          const inputId = `${id}-${i}`;
          return (
            <li key={v} className="grid items-center gap-1 sm:grid-cols-[1fr_1fr]">
              <label htmlFor={inputId} className="text-sm break-words">
                <span className="font-mono">{v}</span>
                {reasons[v] && <span className="block text-xs text-quiet">{reasons[v]}</span>}
              </label>
              {allowed ? (
                <select
                  id={inputId}
                  value={map[v] ?? ''}
                  onChange={(e) => onChange({ ...map, [v]: e.target.value === '' ? null : e.target.value })}
                  className="rounded-xl border border-[#8a8a8a] bg-white px-2 py-1.5 text-sm"
                >
                  <option value="">(leave empty)</option>
                  {allowed.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={inputId}
                  value={map[v] ?? ''}
                  onChange={(e) => onChange({ ...map, [v]: e.target.value === '' ? null : e.target.value })}
                  className="rounded-xl border border-[#8a8a8a] bg-white px-2 py-1.5 text-sm"
                />
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

export function MappingRowView({ entity, row, rows, onChange, disabled }: { entity: EntityType; row: MappingRow; rows: readonly MappingRow[]; onChange(row: MappingRow): void; disabled?: boolean }) {
  const reasonId = useId();
  const value = row.targetField ?? (row.keepAsCustom ? KEEP : SKIP);
  const changed = row.targetField !== row.suggestedTarget || (row.targetField === null && !row.keepAsCustom);
  const conflict = row.targetField ? rows.find((r) => r !== row && r.targetField === row.targetField) : undefined;
  const showValues = !!row.targetField && (!!picklistTarget(entity, row.targetField) || (row.valueMap !== undefined && row.targetField === row.suggestedTarget));

  function choose(next: string) {
    if (next === KEEP) return onChange({ ...row, targetField: null, keepAsCustom: true, valueMap: undefined });
    if (next === SKIP) return onChange({ ...row, targetField: null, keepAsCustom: false, valueMap: undefined });
    const suggestedValues = next === row.suggestedTarget && row.suggestedTransform?.kind === 'valueMap' ? { ...row.suggestedTransform.values } : undefined;
    onChange({ ...row, targetField: next, keepAsCustom: false, valueMap: suggestedValues });
  }

  return (
    <li className="grid gap-3 border-b border-sand-dark py-4 last:border-0 md:grid-cols-[minmax(0,1fr)_minmax(0,1.3fr)]" data-source-field={row.sourceField}>
      <div className="min-w-0">
        <p className="font-medium break-words">{row.label ?? row.sourceField}</p>
        {row.label && <p className="font-mono text-xs break-all text-quiet">{row.sourceField}</p>}
        <p className="mt-1 text-sm break-words text-quiet">
          {row.samples.length > 0 ? (
            <>
              <span className="sr-only">Sample values: </span>
              <span aria-hidden="true">e.g. </span>
              {row.samples.map((s, i) => (
                <span key={i}>
                  {i > 0 && ', '}
                  <span className="rounded bg-white px-1 text-ink ring-1 ring-sand-dark">{s.length > 60 ? `${s.slice(0, 57)}…` : s}</span>
                </span>
              ))}
            </>
          ) : (
            'No values in the first records'
          )}
        </p>
      </div>
      <div className="min-w-0">
        <Combobox
          label={`Import “${row.label ?? row.sourceField}” into`}
          options={targetOptions(entity, rows, row)}
          value={value}
          onChange={choose}
          describedBy={reasonId}
          disabled={disabled}
        />
        <div id={reasonId} className="mt-2 space-y-1 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            {changed ? <Badge tone="ink">Changed by you</Badge> : confidenceBadge(row.confidence)}
            {row.targetField === null && <span>{row.keepAsCustom ? 'Kept as a custom field' : 'Skipped: not imported'}</span>}
          </div>
          <p className="text-quiet">
            {changed && `Suggested: ${row.suggestedTarget ? targetLabel(entity, row.suggestedTarget) : 'keep as custom field'}. `}
            <RichText text={row.reason} />
          </p>
          {conflict && (
            <p className="text-[#9b1c1c]">
              “{conflict.label ?? conflict.sourceField}” also goes into {targetLabel(entity, row.targetField)}; each field can take only one source.
            </p>
          )}
        </div>
        {showValues && <ValueMapEditor entity={entity} row={row} onChange={(valueMap) => onChange({ ...row, valueMap })} />}
      </div>
    </li>
  );
}
