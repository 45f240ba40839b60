/**
 * /dashboard/settings/connections: each CRM connection with its account, status, last sync; test, reconnect,
 * disconnect (owners and admins; others see the buttons disabled, with the reason), and the audit trail.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, type AuditEntry, type Connection, type CrmId, type Integration } from '../api';
import { Alert, Badge, Button, Card, DisabledReason, ErrorAlert, Loading, PageTitle } from '../components/ui';
import { CRM_IDS, crmName } from '../lib/crms';
import { formatDate, formatRelative } from '../lib/format';
import { explainConnectError, managerOnly, type Explained } from '../lib/messages';
import { navigate, useLocation } from '../lib/router';
import { useMe } from '../lib/session';
import { RETURN_KEY } from '../wizard/state';

async function connectFromHere(crm: CrmId) {
  window.sessionStorage.setItem(RETURN_KEY, 'connections');
  const { authUrl } = await api.authorize(crm);
  window.location.assign(authUrl);
}

function statusOf(c: Connection): { label: string; tone: 'green' | 'amber' | 'grey' } {
  if (!c.isActive) return { label: 'Disconnected', tone: 'grey' };
  if (c.needsReauth) return { label: 'Needs reconnect', tone: 'amber' };
  return { label: 'Active', tone: 'green' };
}

const AUDIT_ACTIONS: Record<string, string> = {
  'connection.created': 'Connected',
  'connection.reconnected': 'Reconnected',
  'connection.refreshed': 'Access renewed',
  'connection.refresh_failed': 'Access could not be renewed',
  'connection.tested': 'Tested',
  'connection.settings_changed': 'Settings changed',
  'connection.revoked': 'Disconnected',
};

function Audit({ id }: { id: string }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.connectionAudit(id).then(setEntries, setError);
  }, [id]);
  if (error) return <ErrorAlert error={error} />;
  if (!entries) return <Loading />;
  if (entries.length === 0) return <p className="text-sm text-quiet">Nothing recorded yet.</p>;
  return (
    <ol className="mt-2 space-y-1 text-sm">
      {entries.map((e) => (
        <li key={e.id}>
          <span className="font-medium">{AUDIT_ACTIONS[e.action] ?? e.action}</span> by {e.actor ?? 'the system'} · {formatDate(e.createdAt)}
        </li>
      ))}
    </ol>
  );
}

function ConnectionCard({ connection: c, onChanged }: { connection: Connection; onChanged(): Promise<void> }) {
  const me = useMe();
  const reasonId = useId();
  const titleId = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [auditVersion, setAuditVersion] = useState(0);
  const status = statusOf(c);
  const disabled = !me.canManage;
  const describedBy = disabled ? reasonId : undefined;

  async function run(name: string, fn: () => Promise<void>) {
    setBusy(name);
    setError(null);
    setResult(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
      setAuditVersion((v) => v + 1);
    }
  }

  return (
    <Card as="article" aria-labelledby={titleId}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id={titleId} className="text-lg font-semibold">
            {crmName(c.crmType)}
          </h2>
          <p className="text-quiet">
            {c.username ?? c.email ?? 'Unknown user'}
            {c.externalOrgId ? ` · account ${c.externalOrgId}` : ''}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Badge tone={status.tone}>{status.label}</Badge>
          {c.isSandbox || c.syncSettings?.simulator === true ? <Badge tone="grey">Sandbox</Badge> : null}
        </div>
      </div>
      <dl className="mt-4 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-quiet">Connected</dt>
        <dd>{formatDate(c.createdAt)}</dd>
        <dt className="text-quiet">Last sync</dt>
        <dd>{formatRelative(c.lastSyncAt)}</dd>
        <dt className="text-quiet">Address</dt>
        <dd className="break-all">{c.instanceUrl}</dd>
        {c.lastError && (
          <>
            <dt className="text-quiet">Last problem</dt>
            <dd>{c.lastError}</dd>
          </>
        )}
      </dl>
      {c.isActive && (
        <div className="mt-4 flex flex-wrap gap-2">
          <Button
            variant="secondary"
            disabled={disabled || busy !== null}
            busy={busy === 'test'}
            aria-describedby={describedBy}
            onClick={() =>
              void run('test', async () => {
                const r = await api.testConnection(c.id);
                setResult(r.isValid ? { tone: 'success', text: `${crmName(c.crmType)} answered: the connection works.` } : { tone: 'error', text: r.error ?? 'The connection does not work.' });
                await onChanged();
              })
            }
          >
            Test
          </Button>
          <Button variant="secondary" disabled={disabled || busy !== null} busy={busy === 'reconnect'} aria-describedby={describedBy} onClick={() => void run('reconnect', () => connectFromHere(c.crmType))}>
            Reconnect
          </Button>
          {!confirm ? (
            <Button variant="danger" disabled={disabled || busy !== null} aria-describedby={describedBy} onClick={() => setConfirm(true)}>
              Disconnect
            </Button>
          ) : (
            <div role="group" aria-label={`Confirm disconnecting ${crmName(c.crmType)}`} className="flex flex-wrap items-center gap-2">
              <span className="text-sm">Disconnect {crmName(c.crmType)}? crm-migrate gives up its access; imported records stay.</span>
              <Button
                variant="danger"
                busy={busy === 'disconnect'}
                onClick={() =>
                  void run('disconnect', async () => {
                    await api.disconnect(c.id);
                    setConfirm(false);
                    await onChanged();
                  })
                }
              >
                Yes, disconnect
              </Button>
              <Button variant="secondary" onClick={() => setConfirm(false)}>
                Keep it
              </Button>
            </div>
          )}
        </div>
      )}
      {disabled && c.isActive && (
        <div className="mt-2">
          <DisabledReason id={reasonId}>{managerOnly(me.role)}</DisabledReason>
        </div>
      )}
      {result && (
        <Alert tone={result.tone} className="mt-3">
          {result.text}
        </Alert>
      )}
      {error !== null && <ErrorAlert error={error} className="mt-3" />}
      <details className="mt-4" onToggle={(e) => setHistoryOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer text-sm font-medium">History of this connection</summary>
        {historyOpen && <Audit key={c.updatedAt + String(auditVersion)} id={c.id} />}
      </details>
    </Card>
  );
}

export function ConnectionsPage() {
  const me = useMe();
  const { search } = useLocation();
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [integrations, setIntegrations] = useState<Integration[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [connectError, setConnectError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; e: Explained } | null>(null);
  const [showOld, setShowOld] = useState(false);
  const handled = useRef(false);
  const reasonId = useId();

  const load = useCallback(async () => {
    try {
      const [list, crms] = await Promise.all([api.connections(), api.integrations()]);
      setConnections(list);
      setIntegrations(crms);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (handled.current) return;
    const connected = search.get('connected');
    const err = search.get('error');
    if (!connected && !err) return;
    handled.current = true;
    const crm = search.get('crm');
    if (connected === 'true') setNotice({ tone: 'success', e: { title: `Connected to ${crmName(crm)}`, body: 'The connection is ready for imports.' } });
    else if (err) setNotice({ tone: 'error', e: explainConnectError(err, crm) });
    navigate('/dashboard/settings/connections', { replace: true });
  }, [search]);

  const order = (c: Connection) => CRM_IDS.indexOf(c.crmType);
  const active = (connections ?? []).filter((c) => c.isActive).sort((a, b) => order(a) - order(b));
  const old = (connections ?? []).filter((c) => !c.isActive);
  const unconnected = integrations.filter((i) => i.configured && !active.some((c) => c.crmType === i.crmType));

  return (
    <>
      <PageTitle subtitle="The CRMs crm-migrate can read from. Tokens are stored encrypted and never shown.">Connections</PageTitle>
      {notice && (
        <Alert tone={notice.tone} title={notice.e.title} className="mb-6" focus>
          {notice.e.body}
        </Alert>
      )}
      {error !== null && <ErrorAlert error={error} title="Your connections could not be loaded" className="mb-6" />}
      {!connections && error === null && <Loading />}
      {connections && (
        <div className="space-y-6">
          {active.length === 0 && <p>No CRM is connected yet.</p>}
          <div className="grid gap-4 lg:grid-cols-2">
            {active.map((c) => (
              <ConnectionCard key={c.id} connection={c} onChanged={load} />
            ))}
          </div>
          {unconnected.length > 0 && (
            <section aria-labelledby="connect-more" className="rounded-3xl bg-sand p-5 sm:p-6">
              <h2 id="connect-more" className="text-lg font-semibold">
                Connect a CRM
              </h2>
              <div className="mt-3 flex flex-wrap gap-2">
                {unconnected.map((i) => (
                  <Button
                    key={i.crmType}
                    disabled={!me.canManage}
                    aria-describedby={!me.canManage ? reasonId : undefined}
                    onClick={() => void connectFromHere(i.crmType).catch(setConnectError)}
                  >
                    Connect to {i.name}
                  </Button>
                ))}
              </div>
              {!me.canManage && (
                <div className="mt-2">
                  <DisabledReason id={reasonId}>{managerOnly(me.role)}</DisabledReason>
                </div>
              )}
              {connectError !== null && <ErrorAlert error={connectError} className="mt-3" />}
            </section>
          )}
          {old.length > 0 && (
            <div>
              <Button variant="ghost" aria-expanded={showOld} onClick={() => setShowOld(!showOld)}>
                {showOld ? 'Hide' : 'Show'} {old.length} disconnected connection{old.length === 1 ? '' : 's'}
              </Button>
              {showOld && (
                <div className="mt-3 grid gap-4 lg:grid-cols-2">
                  {old.map((c) => (
                    <ConnectionCard key={c.id} connection={c} onChanged={load} />
                  ))}
                </div>
              )}
            </div>
          )}
        </div>
      )}
    </>
  );
}
