/** Step 2: CSV or Direct API, and connecting the CRM (OAuth) when Direct API is chosen. */
import { useState } from 'react';
import { api, ApiError, type Connection, type CrmId } from '../api';
import { Button, ErrorAlert } from '../components/ui';
import { crmName } from '../lib/crms';
import type { Explained } from '../lib/messages';
import { useMe } from '../lib/session';
import { ImportMethodSelector } from './import-method-selector';
import type { WizardState } from './state';

/** Leave for the CRM's consent page (the wizard's state is already in sessionStorage). */
export async function startOAuth(crm: CrmId): Promise<void> {
  const { authUrl } = await api.authorize(crm);
  window.location.assign(authUrl);
}

export function ImportMethodStep({
  state,
  update,
  connection,
  connections,
  onBack,
  onNext,
  onConnectError,
}: {
  state: WizardState;
  update(p: Partial<WizardState>): void;
  connection: Connection | null;
  connections: Connection[] | null;
  onBack(): void;
  onNext(): void;
  onConnectError(e: Explained): void;
}) {
  const me = useMe();
  const crm = state.crm!;
  const [connecting, setConnecting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stale = connection ? null : (connections?.find((c) => c.crmType === crm && c.isActive && c.needsReauth) ?? null);

  async function connect() {
    if (crm === 'csv') return;
    setConnecting(true);
    setError(null);
    update({ method: 'api' });
    try {
      await startOAuth(crm);
    } catch (err) {
      setConnecting(false);
      if (err instanceof ApiError && err.code === 'CRM_NOT_CONFIGURED') onConnectError({ title: `${crmName(crm)} cannot be connected here`, body: err.message });
      else setError(err);
    }
  }

  const canContinue = state.method === 'csv' || (state.method === 'api' && !!connection);
  return (
    <div className="space-y-6">
      <ImportMethodSelector
        crmType={crm}
        selectedMethod={state.method}
        onSelectMethod={(method) => update({ method, mappings: {}, mappingEntity: null })}
        connection={connection}
        staleConnection={stale}
        isConnected={!!connection}
        onConnect={() => void connect()}
        connecting={connecting}
        canManage={me.canManage}
        role={me.role}
      />
      {error !== null && <ErrorAlert error={error} title={`Could not start connecting ${crmName(crm)}`} />}
      {state.method === 'api' && connections !== null && !connection && (
        <p className="text-quiet">Connect {crmName(crm)} to continue with Direct API, or choose CSV Upload.</p>
      )}
      <div className="flex flex-wrap justify-between gap-3">
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
        <Button
          onClick={() => {
            if (state.method === 'api' && connection) update({ connectionId: connection.id });
            onNext();
          }}
          disabled={!canContinue}
        >
          Continue
        </Button>
      </div>
    </div>
  );
}
