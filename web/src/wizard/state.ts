/**
 * The wizard's state, kept in sessionStorage so that it survives the OAuth round trip to the CRM's consent page
 * (and a reload): the CRM, the method, the connection, the upload, the edited mappings, the duplicate policy.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DuplicatePolicy, EntityType, Suggestion, Transform, Upload } from '../api';
import type { CrmChoice } from '../lib/crms';

export type StepId = 'crm' | 'method' | 'source' | 'mapping' | 'review' | 'run';
export const STEPS: ReadonlyArray<{ id: StepId; label: string }> = [
  { id: 'crm', label: 'Choose CRM' },
  { id: 'method', label: 'Import method' },
  { id: 'source', label: 'Your data' },
  { id: 'mapping', label: 'Field mapping' },
  { id: 'review', label: 'Review & import' },
];

/** One source field and what it becomes. */
export interface MappingRow {
  sourceField: string;
  /** The CRM's label for the field, when it differs from its name. */
  label?: string;
  type?: string;
  /** A few values from the first records. */
  samples: string[];
  /** Picklist values the CRM declares for the field. */
  values?: string[];
  suggestedTarget: string | null;
  confidence: number;
  reason: string;
  suggestedTransform?: Transform | null;
  alternatives?: Suggestion['alternatives'];
  /** The user's choice: a target field, or null (kept as a custom field, or skipped). */
  targetField: string | null;
  keepAsCustom: boolean;
  /** Picklist value mapping (source value → target value, null = leave empty), when the target has fixed values. */
  valueMap?: Record<string, string | null>;
}

export interface WizardState {
  step: StepId;
  crm: CrmChoice | null;
  method: 'csv' | 'api' | null;
  connectionId: string | null;
  /** Direct API: one entity, or the whole CRM. */
  scope: EntityType | 'all';
  /** CSV: what the file holds. */
  csvEntity: EntityType;
  upload: Upload | null;
  mappings: Partial<Record<EntityType, MappingRow[]>>;
  /** What the mappings were built for (`csv:<upload>:<entity>` or `api:<connection>:<scope>`): rebuilt when it changes. */
  mappingsFor: string | null;
  /** Which entity the mapping step shows. */
  mappingEntity: EntityType | null;
  /** Direct API: the records the CRM holds per entity, as counted in step 3. */
  counts: Partial<Record<EntityType, number>>;
  duplicatePolicy: DuplicatePolicy;
  defaultCountry: string;
  migrationId: string | null;
}

export const initialWizard: WizardState = {
  step: 'crm',
  crm: null,
  method: null,
  connectionId: null,
  scope: 'all',
  csvEntity: 'contacts',
  upload: null,
  mappings: {},
  mappingsFor: null,
  mappingEntity: null,
  counts: {},
  duplicatePolicy: 'overwrite',
  defaultCountry: '',
  migrationId: null,
};

const KEY = 'crm-migrate.wizard.v1';
/** Set before leaving for a consent page from the connections page, so the way back returns there. */
export const RETURN_KEY = 'crm-migrate.oauth-return';

function load(): WizardState {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return initialWizard;
    return { ...initialWizard, ...(JSON.parse(raw) as Partial<WizardState>) };
  } catch {
    return initialWizard;
  }
}

export function useWizardState(): [WizardState, (patch: Partial<WizardState> | ((s: WizardState) => Partial<WizardState>)) => void, () => void] {
  const [state, setState] = useState<WizardState>(load);
  useEffect(() => {
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify(state));
    } catch {
      // Storage full or disabled: the wizard still works, it just does not survive a reload.
    }
  }, [state]);
  const update = useCallback((patch: Partial<WizardState> | ((s: WizardState) => Partial<WizardState>)) => {
    setState((s) => ({ ...s, ...(typeof patch === 'function' ? patch(s) : patch) }));
  }, []);
  const reset = useCallback(() => setState(initialWizard), []);
  return [state, update, reset];
}

/** The mappings as the import endpoints take them. */
export function toFieldMappings(rows: readonly MappingRow[]) {
  return rows
    .filter((r) => r.targetField !== null || r.keepAsCustom)
    .map((r) => {
      let transform: Transform | undefined;
      if (r.targetField !== null && r.valueMap && Object.keys(r.valueMap).length > 0) transform = { kind: 'valueMap', values: r.valueMap };
      else if (r.targetField !== null && r.targetField === r.suggestedTarget && r.suggestedTransform) transform = r.suggestedTransform;
      return {
        sourceField: r.sourceField,
        targetField: r.targetField,
        ...(r.targetField === null ? { keepAsCustom: true } : {}),
        ...(transform ? { transform } : {}),
      };
    });
}

/** Rows from the server's suggestions, with sample values per source field. */
export function rowsFromSuggestions(suggestions: readonly Suggestion[], samples: Record<string, string[]>, meta: Record<string, { label?: string; type?: string; values?: string[] }> = {}): MappingRow[] {
  return suggestions.map((s) => {
    const m = meta[s.sourceField] ?? {};
    const valueMap = s.transform && (s.transform as Transform).kind === 'valueMap' ? { ...(s.transform as Extract<Transform, { kind: 'valueMap' }>).values } : undefined;
    return {
      sourceField: s.sourceField,
      ...(m.label && m.label !== s.sourceField ? { label: m.label } : {}),
      ...(m.type ? { type: m.type } : {}),
      ...(m.values ? { values: m.values } : {}),
      samples: samples[s.sourceField] ?? [],
      suggestedTarget: s.targetField,
      confidence: s.confidence,
      reason: s.reason,
      suggestedTransform: (s.transform as Transform | undefined) ?? null,
      ...(s.alternatives ? { alternatives: s.alternatives } : {}),
      targetField: s.targetField,
      // A field with no standard target is kept by default (nothing is lost); the user can skip it.
      keepAsCustom: s.targetField === null,
      ...(valueMap ? { valueMap } : {}),
    };
  });
}
