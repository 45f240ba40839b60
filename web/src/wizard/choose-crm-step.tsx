/** Step 1: which CRM the data comes from (or any other, as CSV). */
import { Button } from '../components/ui';
import { ChoiceCards } from '../components/choice-cards';
import { CRM_CHOICES, type CrmChoice } from '../lib/crms';
import type { WizardState } from './state';

export function ChooseCrmStep({ state, update, onNext }: { state: WizardState; update(p: Partial<WizardState>): void; onNext(): void }) {
  return (
    <div className="space-y-6">
      <ChoiceCards<CrmChoice>
        legend="Which CRM are you moving from?"
        name="crm"
        choices={CRM_CHOICES.map((c) => ({ value: c.id, title: c.name, description: c.blurb }))}
        value={state.crm}
        onChange={(crm) =>
          update({
            crm,
            // "Other" can only be a file; a new CRM starts over from its method.
            method: crm === 'csv' ? 'csv' : state.crm === crm ? state.method : null,
            connectionId: state.crm === crm ? state.connectionId : null,
            upload: state.crm === crm ? state.upload : null,
            mappings: state.crm === crm ? state.mappings : {},
            mappingEntity: state.crm === crm ? state.mappingEntity : null,
          })
        }
      />
      <div className="flex justify-end">
        <Button onClick={onNext} disabled={!state.crm}>
          Continue
        </Button>
      </div>
    </div>
  );
}
