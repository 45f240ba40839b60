/** A live preview of the first records as they will be stored, with validation errors (POST /preview). */
import { useEffect, useState } from 'react';
import { api, type EntityType, type PreviewRecord } from '../api';
import { Alert, Badge, ErrorAlert, Spinner } from '../components/ui';
import { COMMON_FIELD_COUNT, ENTITY_LABELS, targetFields, targetLabel } from '../lib/crms';
import { toFieldMappings, type MappingRow, type WizardState } from './state';

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function PreviewPanel({ state, entity, rows }: { state: WizardState; entity: EntityType; rows: readonly MappingRow[] }) {
  const [records, setRecords] = useState<PreviewRecord[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const body = JSON.stringify(toFieldMappings(rows));

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      const source = state.method === 'csv' ? { uploadId: state.upload!.uploadId } : { connectionId: state.connectionId! };
      api
        .preview(
          {
            ...source,
            entityType: entity,
            fieldMappings: JSON.parse(body) as ReturnType<typeof toFieldMappings>,
            limit: 5,
            ...(state.defaultCountry ? { options: { defaultCountry: state.defaultCountry } } : {}),
          },
          controller.signal,
        )
        .then((r) => {
          setRecords(r.entities[0]?.records ?? []);
          setError(null);
        })
        .catch((err) => {
          if ((err as Error).name === 'AbortError') return;
          setError(err);
          setRecords(null);
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, 500);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body, entity, state.method, state.upload, state.connectionId, state.defaultCountry]);

  // The entity's own fields first (names, e-mail …), then the common ones (ids, owner, dates).
  const all = targetFields(entity).map((f) => f.name);
  const columns = [...all.slice(COMMON_FIELD_COUNT), ...all.slice(0, COMMON_FIELD_COUNT)]
    .filter((name) => rows.some((r) => r.targetField === name) || (records ?? []).some((r) => r.values[name] !== undefined && r.values[name] !== null && name !== 'externalId'))
    .filter((name) => name !== 'fullName');
  const invalid = (records ?? []).filter((r) => !r.valid || r.errors.length > 0);

  return (
    <section aria-labelledby="preview-title" className="rounded-3xl bg-sand p-5 sm:p-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="preview-title" className="font-semibold">
          Preview: the first {ENTITY_LABELS[entity].many} as they will be stored
        </h3>
        <span aria-live="polite" className="text-sm text-quiet">
          {loading ? <Spinner label="Updating…" /> : records ? `${records.length} shown` : ''}
        </span>
      </div>
      {error !== null && <ErrorAlert error={error} title="This mapping cannot be imported yet" className="mt-3" />}
      {records && records.length === 0 && <p className="mt-3">No records to preview.</p>}
      {records && records.length > 0 && (
        <>
          <div className="mt-3 overflow-x-auto rounded-2xl bg-white" role="region" aria-label="Preview of the first records" tabIndex={0}>
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-sand-dark">
                  <th scope="col" className="px-3 py-2 whitespace-nowrap">
                    Record
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Check
                  </th>
                  {columns.map((c) => (
                    <th key={c} scope="col" className="px-3 py-2 whitespace-nowrap">
                      {targetLabel(entity, c)}
                    </th>
                  ))}
                  <th scope="col" className="px-3 py-2 whitespace-nowrap">
                    Custom fields
                  </th>
                </tr>
              </thead>
              <tbody>
                {records.map((r, i) => (
                  <tr key={i} className="border-b border-sand align-top last:border-0">
                    <th scope="row" className="px-3 py-2 font-normal whitespace-nowrap">
                      {r.rowNumber !== null ? `Row ${r.rowNumber}` : `ID ${r.sourceId ?? '?'}`}
                    </th>
                    <td className="px-3 py-2">{r.valid && r.errors.length === 0 ? <Badge tone="green">OK</Badge> : <Badge tone="red">{r.errors.length || 1} error{r.errors.length === 1 ? '' : 's'}</Badge>}</td>
                    {columns.map((c) => (
                      <td key={c} className="max-w-60 truncate px-3 py-2" title={show(r.values[c])}>
                        {show(r.values[c])}
                      </td>
                    ))}
                    <td className="px-3 py-2 whitespace-nowrap">{Object.keys(r.customFields).length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {invalid.length > 0 && (
            <Alert tone="warning" className="mt-3" title="Some records would not be imported as they are">
              <ul className="list-disc pl-5">
                {invalid.flatMap((r, i) =>
                  (r.errors.length ? r.errors : [{ field: '', reason: 'invalid record', code: '' }]).map((e, j) => (
                    <li key={`${i}-${j}`}>
                      {r.rowNumber !== null ? `Row ${r.rowNumber}` : `Record ${r.sourceId ?? '?'}`}
                      {e.field ? `, ${targetLabel(entity, e.field)}` : ''}: {e.reason}
                    </li>
                  )),
                )}
              </ul>
              <p className="mt-2">Change the mapping above, or import anyway: these records are listed in the error report to fix and import again.</p>
            </Alert>
          )}
          {records.some((r) => r.warnings.length > 0) && (
            <p className="mt-2 text-sm text-quiet">
              {records.reduce((n, r) => n + r.warnings.length, 0)} value(s) will be stored as written because they could not be normalised (for example a phone number without a
              country).
            </p>
          )}
        </>
      )}
    </section>
  );
}
