/**
 * Step 3 (Direct API): what to import (one kind of record, or the whole CRM in dependency order), the record
 * count and fetch plan from the CRM, monday's board per entity; then the CRM's fields and suggested mappings.
 */
import { useEffect, useId, useState } from 'react';
import { api, type Connection, type CrmCount, type CrmId, type EntityType, type PreviewResult } from '../api';
import { Alert, Button, ErrorAlert, Loading, TextField } from '../components/ui';
import { capitalize, crmName, ENTITY_LABELS, ENTITY_TYPES } from '../lib/crms';
import { managerOnly } from '../lib/messages';
import { useMe } from '../lib/session';
import { RecordCountPanel } from './record-count-panel';
import { rowsFromSuggestions, toFieldMappings, type MappingRow, type WizardState } from './state';

/** Sample values per source field, read from a preview that keeps every unmapped field as a custom field. */
function samplesFromPreview(preview: PreviewResult, rows: readonly MappingRow[]): Record<string, string[]> {
  const records = preview.entities[0]?.records ?? [];
  const out: Record<string, string[]> = {};
  for (const row of rows) {
    const values = records.map((r) => (row.targetField ? r.values[row.targetField] : r.customFields[row.sourceField]));
    out[row.sourceField] = [...new Set(values.filter((v) => v !== null && v !== undefined && String(v).trim() !== '').map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))))].slice(0, 3);
  }
  return out;
}

export async function buildApiMappings(connectionId: string, crm: CrmId, entity: EntityType): Promise<MappingRow[]> {
  const { fields } = await api.crmFields(connectionId, entity);
  if (fields.length === 0) return [];
  const { mappings } = await api.suggestMapping({
    entityType: entity,
    crmType: crm,
    sourceFields: fields.map((f) => ({ name: f.name, label: f.label, type: f.type })),
  });
  const meta = Object.fromEntries(fields.map((f) => [f.name, { label: f.label, type: f.type, ...(f.values ? { values: f.values } : {}) }]));
  let rows = rowsFromSuggestions(mappings, {}, meta);
  try {
    const preview = await api.preview({ connectionId, entityType: entity, fieldMappings: toFieldMappings(rows), limit: 5 });
    const samples = samplesFromPreview(preview, rows);
    rows = rows.map((r) => ({ ...r, samples: samples[r.sourceField] ?? [] }));
  } catch {
    // Samples are a help, not a requirement: the mapping step shows its own preview and its errors.
  }
  return rows;
}

function MondayBoards({ connection, onSaved }: { connection: Connection; onSaved(): void }) {
  const me = useMe();
  const current = ((connection.syncSettings?.boards ?? {}) as Partial<Record<EntityType, string>>) ?? {};
  const [boards, setBoards] = useState<Partial<Record<EntityType, string>>>(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const headingId = useId();

  async function save() {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const clean = Object.fromEntries(Object.entries(boards).filter(([, v]) => v && v.trim() !== '').map(([k, v]) => [k, v!.trim()]));
      await api.updateConnection(connection.id, { boards: clean });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="rounded-3xl border border-sand-dark bg-white p-5" open={Object.keys(current).length > 0}>
      <summary className="cursor-pointer font-semibold" id={headingId}>
        Which monday.com board holds which records?
      </summary>
      <p className="mt-2 text-sm text-quiet">
        crm-migrate finds each board by its name (Accounts, Contacts, Leads, Deals, Activities), as in monday's sales CRM template. If your boards are named differently,
        enter each board's ID: it is the number in the board's address, after <code>/boards/</code>. Leave a field empty to find the board by name.
      </p>
      <div className="mt-4 grid gap-3 sm:grid-cols-2">
        {ENTITY_TYPES.map((e) => (
          <TextField
            key={e}
            label={`${capitalize(ENTITY_LABELS[e].many)} board ID`}
            inputMode="numeric"
            value={boards[e] ?? ''}
            disabled={!me.canManage}
            onChange={(ev) => setBoards({ ...boards, [e]: ev.target.value })}
          />
        ))}
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => void save()} busy={busy} disabled={busy || !me.canManage}>
          Save boards
        </Button>
        {saved && <span role="status">Saved. The records are counted again.</span>}
        {!me.canManage && <span className="text-sm text-quiet">{managerOnly(me.role)}</span>}
      </div>
      {error !== null && <ErrorAlert error={error} className="mt-3" />}
    </details>
  );
}

export function ApiSourceStep({
  state,
  update,
  connection,
  connectionsLoaded,
  onConnectionChanged,
  onBack,
  onNext,
}: {
  state: WizardState;
  update(p: Partial<WizardState>): void;
  connection: Connection | null;
  connectionsLoaded: boolean;
  onConnectionChanged(): Promise<void> | void;
  onBack(): void;
  onNext(): void;
}) {
  const me = useMe();
  const crm = state.crm as CrmId;
  const [count, setCount] = useState<CrmCount | null>(null);
  const [countError, setCountError] = useState<unknown>(null);
  const [counting, setCounting] = useState(false);
  const [recount, setRecount] = useState(0);
  const [preparing, setPreparing] = useState(false);
  const [prepareError, setPrepareError] = useState<unknown>(null);

  const connectionId = connection?.id;
  useEffect(() => {
    if (!connectionId || !me.canManage) return;
    let live = true;
    setCounting(true);
    setCountError(null);
    setCount(null);
    api
      .crmCount(connectionId, state.scope)
      .then((c) => live && setCount(c))
      .catch((err) => live && setCountError(err))
      .finally(() => live && setCounting(false));
    return () => {
      live = false;
    };
  }, [connectionId, state.scope, recount, me.canManage]);

  async function next() {
    if (!connection || !count) return;
    const key = `api:${connection.id}:${state.scope}`;
    if (state.mappingsFor === key && Object.keys(state.mappings).length > 0) {
      onNext();
      return;
    }
    const entities: EntityType[] = state.scope === 'all' ? (count.entities ?? []).filter((e) => e.count > 0).map((e) => e.entityType) : [state.scope];
    if (entities.length === 0) {
      setPrepareError(new Error(`${crmName(crm)} has no records to import here.`));
      return;
    }
    setPreparing(true);
    setPrepareError(null);
    try {
      const built = await Promise.all(entities.map(async (e) => [e, await buildApiMappings(connection.id, crm, e)] as const));
      const mappings = Object.fromEntries(built.filter(([, rows]) => rows.length > 0));
      const counts = Object.fromEntries(state.scope === 'all' ? (count.entities ?? []).map((e) => [e.entityType, e.count]) : [[state.scope, count.count]]);
      update({ mappings, mappingsFor: key, mappingEntity: entities[0]!, connectionId: connection.id, counts });
      onNext();
    } catch (err) {
      setPrepareError(err);
    } finally {
      setPreparing(false);
    }
  }

  if (!connectionsLoaded) return <Loading label="Checking your connection…" />;
  if (!connection) {
    return (
      <div className="space-y-4">
        <Alert tone="warning" title={`${crmName(crm)} is not connected`}>
          Go back one step and connect {crmName(crm)}, or choose CSV upload.
        </Alert>
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
      </div>
    );
  }

  const scopeName = 'import-scope';
  return (
    <div className="space-y-6">
      <p>
        Connected to <strong>{crmName(crm)}</strong> as {connection.username ?? connection.email ?? 'your account'}.
      </p>
      <fieldset>
        <legend className="mb-2 font-medium">What do you want to import?</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(['all', ...ENTITY_TYPES] as const).map((scope) => (
            <label key={scope} className={`flex min-h-11 cursor-pointer items-start gap-3 rounded-2xl border-2 px-4 py-3 ${state.scope === scope ? 'border-ink bg-sand' : 'border-sand-dark bg-white'}`}>
              <input
                type="radio"
                name={scopeName}
                value={scope}
                checked={state.scope === scope}
                onChange={() => update({ scope })}
                className="mt-1 h-5 w-5 accent-[#1a1a1a]"
              />
              <span>
                <span className="block font-medium">{scope === 'all' ? 'Everything' : capitalize(ENTITY_LABELS[scope].many)}</span>
                {scope === 'all' && <span className="block text-sm text-quiet">Accounts, then contacts, leads, deals and activities, so every link is kept.</span>}
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {crm === 'monday' && (
        <MondayBoards
          connection={connection}
          onSaved={() => {
            void onConnectionChanged();
            setRecount((n) => n + 1);
          }}
        />
      )}

      {!me.canManage && <Alert tone="warning">{managerOnly(me.role)} Counting records uses your CRM's API quota.</Alert>}
      {counting && <Loading label={`Counting your records in ${crmName(crm)}…`} />}
      {countError !== null && (
        <div className="space-y-2">
          <ErrorAlert error={countError} title={`${crmName(crm)} could not be counted`} />
          <Button variant="secondary" onClick={() => setRecount((n) => n + 1)}>
            Try again
          </Button>
        </div>
      )}
      {count && <RecordCountPanel count={count} crm={crm} />}

      {preparing && <Loading label={`Reading ${crmName(crm)}'s fields and suggesting a mapping…`} />}
      {prepareError !== null && <ErrorAlert error={prepareError} title="The field mapping could not be prepared" />}

      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
        <Button onClick={() => void next()} disabled={!count || preparing || count.count === 0}>
          Continue to field mapping
        </Button>
      </div>
    </div>
  );
}
