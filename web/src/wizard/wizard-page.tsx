/**
 * /dashboard/settings/migration: the migration wizard. 1 choose the CRM, 2 choose CSV or Direct API (connect over
 * OAuth), 3 the data (upload a file, or count the CRM's records), 4 map the fields, 5 review and import, then
 * the run's live progress. Coming back from a CRM's consent page (`?connected=true…` or `?error=…`) lands on
 * the right step with the wizard's state restored from sessionStorage.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Connection } from '../api';
import { MigrationProgress } from '../components/migration-progress';
import { Alert, Button, PageTitle } from '../components/ui';
import { crmName, type CrmChoice } from '../lib/crms';
import { explainConnectError, managerOnly, type Explained } from '../lib/messages';
import { navigate, useLocation } from '../lib/router';
import { useMe } from '../lib/session';
import { ApiSourceStep } from './api-source-step';
import { ChooseCrmStep } from './choose-crm-step';
import { CsvSourceStep } from './csv-source-step';
import { ImportMethodStep } from './import-method-step';
import { MappingStep } from './mapping-step';
import { ReviewStep } from './review-step';
import { RETURN_KEY, STEPS, useWizardState, type StepId } from './state';
import { Stepper } from './stepper';

export function MigrationWizardPage() {
  const me = useMe();
  const { search } = useLocation();
  const [state, update, reset] = useWizardState();
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [connectionsError, setConnectionsError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; explained: Explained } | null>(null);
  const handledReturn = useRef(false);

  const loadConnections = useCallback(async () => {
    try {
      setConnections(await api.connections());
      setConnectionsError(null);
    } catch (err) {
      setConnectionsError(err);
    }
  }, []);
  useEffect(() => void loadConnections(), [loadConnections]);

  // `?new=1` (e.g. "Start a migration" elsewhere in the app) begins a fresh wizard.
  useEffect(() => {
    if (search.get('new') === null) return;
    reset();
    navigate('/dashboard/settings/migration', { replace: true });
  }, [search, reset]);

  // The way back from the CRM's consent page.
  useEffect(() => {
    if (handledReturn.current) return;
    const connected = search.get('connected');
    const error = search.get('error');
    if (!connected && !error) return;
    handledReturn.current = true;
    const crm = search.get('crm');
    const returnTo = window.sessionStorage.getItem(RETURN_KEY);
    window.sessionStorage.removeItem(RETURN_KEY);
    if (returnTo === 'connections') {
      navigate(`/dashboard/settings/connections?${search.toString()}`, { replace: true });
      return;
    }
    navigate('/dashboard/settings/migration', { replace: true });
    if (connected === 'true' && crm) {
      update({ crm: crm as CrmChoice, method: 'api', connectionId: search.get('connectionId'), step: 'source', mappings: {}, mappingEntity: null, migrationId: null });
      setNotice({ tone: 'success', explained: { title: `Connected to ${crmName(crm)}`, body: 'crm-migrate can now read your records. Next, choose what to import.' } });
    } else if (error) {
      update((s) => ({ crm: (crm as CrmChoice | null) ?? s.crm, method: 'api', step: 'method' }));
      setNotice({ tone: 'error', explained: explainConnectError(error, crm) });
    }
  }, [search, update]);

  const go = useCallback(
    (step: StepId) => {
      setNotice((n) => (n?.tone === 'success' ? null : n));
      update({ step });
    },
    [update],
  );

  const crm = state.crm;
  const connection =
    crm && crm !== 'csv' && connections
      ? (connections.find((c) => c.id === state.connectionId && c.crmType === crm && c.isActive && !c.needsReauth) ??
        connections.find((c) => c.crmType === crm && c.isActive && !c.needsReauth) ??
        null)
      : null;

  const stepIndex = STEPS.findIndex((s) => s.id === state.step);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [state.step]);

  const stepTitle =
    state.step === 'run' ? 'Importing' : `Step ${stepIndex + 1} of ${STEPS.length}: ${STEPS[stepIndex]?.label ?? ''}`;

  return (
    <>
      <PageTitle subtitle="Bring your accounts, contacts, leads, deals and activities over from your old CRM.">Migrate your data</PageTitle>
      {!me.canManage && (
        <Alert tone="warning" title="You can look, but not import" className="mb-6">
          {managerOnly(me.role)}
        </Alert>
      )}
      <Stepper current={state.step} onGo={go} />
      {notice && (
        <Alert tone={notice.tone} title={notice.explained.title} className="mb-6" focus>
          {notice.explained.body}
        </Alert>
      )}
      {connectionsError !== null && (
        <Alert tone="error" title="Your CRM connections could not be loaded" className="mb-6">
          {connectionsError instanceof Error ? connectionsError.message : String(connectionsError)}{' '}
          <Button variant="ghost" onClick={() => void loadConnections()}>
            Try again
          </Button>
        </Alert>
      )}
      <section aria-labelledby="wizard-step-title" className="mt-2">
        <h2 id="wizard-step-title" ref={headingRef} tabIndex={-1} className="mb-4 text-xl font-semibold">
          {stepTitle}
        </h2>
        {state.step === 'crm' && <ChooseCrmStep state={state} update={update} onNext={() => go('method')} />}
        {state.step === 'method' && crm && (
          <ImportMethodStep
            state={state}
            update={update}
            connection={connection}
            connections={connections}
            onBack={() => go('crm')}
            onNext={() => go('source')}
            onConnectError={(explained) => setNotice({ tone: 'error', explained })}
          />
        )}
        {state.step === 'source' && state.method === 'csv' && <CsvSourceStep state={state} update={update} onBack={() => go('method')} onNext={() => go('mapping')} />}
        {state.step === 'source' && state.method === 'api' && (
          <ApiSourceStep
            state={state}
            update={update}
            connection={connection}
            connectionsLoaded={connections !== null}
            onConnectionChanged={loadConnections}
            onBack={() => go('method')}
            onNext={() => go('mapping')}
          />
        )}
        {state.step === 'mapping' && <MappingStep state={state} update={update} onBack={() => go('source')} onNext={() => go('review')} />}
        {state.step === 'review' && <ReviewStep state={state} update={update} onBack={() => go('mapping')} onStarted={(migrationId) => update({ migrationId, step: 'run' })} />}
        {state.step === 'run' && state.migrationId && (
          <div className="space-y-6">
            <MigrationProgress id={state.migrationId} />
            <div className="flex flex-wrap gap-3">
              <Button variant="secondary" onClick={reset}>
                Start another migration
              </Button>
            </div>
          </div>
        )}
        {((state.step !== 'crm' && !crm) || (state.step === 'source' && !state.method) || (state.step === 'run' && !state.migrationId)) && (
          <Alert tone="info" title="Let's start from the beginning">
            <Button variant="ghost" onClick={reset}>
              Choose your CRM
            </Button>
          </Alert>
        )}
      </section>
    </>
  );
}
