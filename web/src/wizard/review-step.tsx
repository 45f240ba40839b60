/** Step 5: what will be imported, how duplicates are treated (explained), then start. */
import { useId, useState } from 'react';
import { api, type DuplicatePolicy, type EntityType } from '../api';
import { ChoiceCards } from '../components/choice-cards';
import { Alert, Button, DisabledReason, ErrorAlert, Panel, TextField } from '../components/ui';
import { capitalize, crmName, ENTITY_LABELS, ENTITY_TYPES } from '../lib/crms';
import { formatNumber } from '../lib/format';
import { managerOnly } from '../lib/messages';
import { useMe } from '../lib/session';
import { blockingProblems } from './mapping-step';
import { toFieldMappings, type WizardState } from './state';

export const DUPLICATE_POLICY_TEXT: Record<DuplicatePolicy, { title: string; description: string }> = {
  overwrite: {
    title: 'Update with the incoming values',
    description:
      'New records are added. A record imported before from this source is updated: the mapped fields take the incoming values (empty ones clear the field); fields outside this mapping are kept. Best when you import again until you switch over.',
  },
  update_empty: {
    title: 'Only fill empty fields',
    description: 'New records are added. A record imported before keeps every value it has; only its empty fields are filled. Nothing edited here is overwritten.',
  },
  skip: {
    title: 'Skip records that are already here',
    description:
      'New records are added; a record imported before is left alone. People and companies already here from any source (same e-mail, or same domain for accounts) are skipped too — good for a CSV of people you already brought over.',
  },
  create: {
    title: 'Only add new records',
    description:
      'New records are added; a record imported before from this source is left alone. The same person coming from another source (for example a CSV) becomes a separate record.',
  },
};

export function ReviewStep({ state, update, onBack, onStarted }: { state: WizardState; update(p: Partial<WizardState>): void; onBack(): void; onStarted(id: string): void }) {
  const me = useMe();
  const reasonId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const entities = ENTITY_TYPES.filter((e) => state.mappings[e]);
  const problems = blockingProblems(state);
  const countryError = state.defaultCountry && !/^[A-Za-z]{2}$/.test(state.defaultCountry) ? 'Use a two-letter country code such as US, GB or DE.' : null;

  async function start() {
    setBusy(true);
    setError(null);
    const options = { duplicatePolicy: state.duplicatePolicy, ...(state.defaultCountry ? { defaultCountry: state.defaultCountry.toUpperCase() } : {}) };
    try {
      let result: { migrationId: string };
      if (state.method === 'csv') {
        const entity = state.upload!.entityType;
        result = await api.importCsv({ uploadId: state.upload!.uploadId, entityType: entity, fieldMappings: toFieldMappings(state.mappings[entity] ?? []), options });
      } else {
        const single = entities.length === 1 && state.scope !== 'all';
        const fieldMappings = single
          ? toFieldMappings(state.mappings[entities[0]!] ?? [])
          : (Object.fromEntries(entities.map((e) => [e, toFieldMappings(state.mappings[e] ?? [])])) as Partial<Record<EntityType, ReturnType<typeof toFieldMappings>>>);
        result = await api.importApi({ connectionId: state.connectionId!, entityType: single ? entities[0]! : 'all', fieldMappings, options });
      }
      onStarted(result.migrationId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const totalRecords = state.method === 'csv' ? (state.upload?.rowCount ?? 0) : entities.reduce((n, e) => n + (state.counts[e] ?? 0), 0);
  return (
    <div className="space-y-6">
      <Panel as="section" aria-labelledby="review-summary">
        <h3 id="review-summary" className="font-semibold">
          Summary
        </h3>
        <dl className="mt-3 grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="text-quiet">From</dt>
          <dd>
            {crmName(state.crm)} — {state.method === 'csv' ? `CSV file ${state.upload?.filename ?? ''}` : 'Direct API'}
          </dd>
          <dt className="text-quiet">Records</dt>
          <dd>
            about <strong>{formatNumber(totalRecords)}</strong>
          </dd>
        </dl>
        <ul className="mt-4 space-y-1">
          {entities.map((e) => {
            const rows = state.mappings[e]!;
            const mapped = rows.filter((r) => r.targetField).length;
            const custom = rows.filter((r) => !r.targetField && r.keepAsCustom).length;
            const changed = rows.filter((r) => r.targetField !== r.suggestedTarget || (!r.targetField && !r.keepAsCustom)).length;
            const n = state.method === 'csv' ? state.upload?.rowCount : state.counts[e];
            return (
              <li key={e}>
                <strong>{capitalize(ENTITY_LABELS[e].many)}</strong>
                {n !== undefined ? ` (${formatNumber(n)})` : ''}: {mapped} fields mapped, {custom} kept as custom fields, {rows.length - mapped - custom} skipped
                {changed > 0 ? `; ${changed} changed by you` : ''}
              </li>
            );
          })}
        </ul>
      </Panel>

      <ChoiceCards<DuplicatePolicy>
        legend="When a record was already imported before"
        name="duplicate-policy"
        columns="md:grid-cols-2"
        value={state.duplicatePolicy}
        onChange={(duplicatePolicy) => update({ duplicatePolicy })}
        choices={(['overwrite', 'update_empty', 'skip', 'create'] as const).map((p) => ({ value: p, title: DUPLICATE_POLICY_TEXT[p].title, description: DUPLICATE_POLICY_TEXT[p].description }))}
      />

      <TextField
        label="Country for phone numbers without a country code (optional)"
        hint="Two letters, such as US, GB or DE: numbers written without +country are read as this country's."
        value={state.defaultCountry}
        maxLength={2}
        onChange={(e) => update({ defaultCountry: e.target.value.toUpperCase() })}
        error={countryError}
        className="max-w-md"
      />

      {problems.length > 0 && (
        <Alert tone="warning" title="The mapping needs a change first">
          <ul className="list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {totalRecords > 100_000 && (
        <Alert tone="info" title="A large import">
          It runs in the background; we will e-mail you when it is done, and you can leave this page.
        </Alert>
      )}
      {error !== null && <ErrorAlert error={error} title="The import did not start" />}

      <div className="flex flex-wrap items-start justify-between gap-3">
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
        <div className="space-y-2 text-right">
          <Button onClick={() => void start()} busy={busy} disabled={busy || !me.canManage || problems.length > 0 || !!countryError} aria-describedby={!me.canManage ? reasonId : undefined}>
            Start import
          </Button>
          {!me.canManage && <DisabledReason id={reasonId}>{managerOnly(me.role)}</DisabledReason>}
        </div>
      </div>
    </div>
  );
}
