/**
 * One import run, live: status and phase, counts, rate and ETA, errors so far, cancel — over Server-Sent Events
 * (GET …/migrations/:id/events). When it ends: the reconciliation (what the source held, what was read, written
 * and failed, said plainly when they differ), the error report, the imported records, and undo.
 */
import { useEffect, useState } from 'react';
import { api, type EntityReconciliation, type EntityType, type Migration, type MigrationStatus } from '../api';
import { capitalize, crmName, ENTITY_LABELS, isEntityType } from '../lib/crms';
import { formatDate, formatDuration, formatNumber, plural } from '../lib/format';
import { managerOnly } from '../lib/messages';
import { Link } from '../lib/router';
import { useMe } from '../lib/session';
import { Alert, Badge, Button, ButtonLink, DisabledReason, ErrorAlert, Loading, Panel, ProgressBar } from './ui';

const TERMINAL: ReadonlySet<MigrationStatus> = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);

export const STATUS_TEXT: Record<MigrationStatus, { label: string; tone: 'green' | 'amber' | 'red' | 'grey' | 'ink' }> = {
  queued: { label: 'Waiting to start', tone: 'grey' },
  running: { label: 'Importing', tone: 'ink' },
  paused: { label: 'Paused', tone: 'amber' },
  completed: { label: 'Completed', tone: 'green' },
  completed_with_errors: { label: 'Completed with issues', tone: 'amber' },
  failed: { label: 'Failed', tone: 'red' },
  cancelled: { label: 'Cancelled', tone: 'grey' },
};

export function StatusBadge({ status }: { status: MigrationStatus }) {
  const s = STATUS_TEXT[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** The run, kept current by its event stream. */
export function useLiveMigration(id: string): { migration: Migration | null; error: unknown; setMigration(m: Migration): void } {
  const [migration, setMigration] = useState<Migration | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    let source: EventSource | null = null;
    api
      .migration(id)
      .then((m) => {
        if (!live) return;
        setMigration(m);
        if (TERMINAL.has(m.status)) return;
        source = new EventSource(api.eventsUrl(id));
        const onData = (e: MessageEvent<string>) => {
          try {
            setMigration(JSON.parse(e.data) as Migration);
          } catch {
            // a malformed event: the next one carries the whole run again
          }
        };
        source.addEventListener('progress', onData as EventListener);
        source.addEventListener('end', ((e: MessageEvent<string>) => {
          onData(e);
          source?.close();
        }) as EventListener);
      })
      .catch((err) => live && setError(err));
    return () => {
      live = false;
      source?.close();
    };
  }, [id]);
  return { migration, error, setMigration };
}

function Count({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: 'red' }) {
  return (
    <div className="rounded-2xl bg-white px-4 py-3">
      <dt className="text-sm text-quiet">{label}</dt>
      <dd className={`text-2xl font-semibold tabular-nums ${tone === 'red' && value > 0 ? 'text-[#9b1c1c]' : ''}`} data-testid={testId}>
        {formatNumber(value)}
      </dd>
    </div>
  );
}

type Heading = 'h2' | 'h3';

function Reconciliation({ migration, heading: H }: { migration: Migration; heading: Heading }) {
  const recon = migration.reconciliation;
  if (!recon?.entities) return null;
  const rows = Object.entries(recon.entities) as Array<[EntityType, EntityReconciliation]>;
  return (
    <section aria-labelledby="recon-title" className="space-y-3">
      <H id="recon-title" className="text-lg font-semibold">
        Does everything add up?
      </H>
      {recon.ok ? (
        <Alert tone="success" title="Yes: every record the source reported was read and written.">
          Nothing is missing and nothing failed.
        </Alert>
      ) : (
        <Alert tone="warning" title="Not everything adds up">
          <ul className="list-disc pl-5">
            {recon.issues.map((issue, i) => (
              <li key={i}>{issue}</li>
            ))}
          </ul>
          {rows.some(([, e]) => Object.values(e.unresolvedLinks ?? {}).some((n) => n > 0)) && (
            <p className="mt-2">
              Links to records that are not here yet are kept: import those records too (for example the accounts), and the links connect by themselves.
            </p>
          )}
        </Alert>
      )}
      <div className="overflow-x-auto rounded-2xl bg-white" role="region" aria-label="Reconciliation per kind of record" tabIndex={0}>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-sand-dark">
              <th scope="col" className="px-3 py-2">
                Kind
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                In the source
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Read
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Written
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Failed
              </th>
              <th scope="col" className="px-3 py-2">
                Written as
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([entity, e]) => {
              const differs = e.fetched !== e.sourceCount || e.written + e.failed !== e.fetched;
              return (
                <tr key={entity} className="border-b border-sand last:border-0">
                  <th scope="row" className="px-3 py-2 font-medium">
                    {capitalize(ENTITY_LABELS[entity]?.many ?? entity)}
                    {differs && <span className="ml-2 text-[#9b1c1c]">(differs)</span>}
                  </th>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(e.sourceCount)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(e.fetched)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(e.written)}</td>
                  <td className={`px-3 py-2 text-right tabular-nums ${e.failed > 0 ? 'font-semibold text-[#9b1c1c]' : ''}`}>{formatNumber(e.failed)}</td>
                  <td className="px-3 py-2">
                    {formatNumber(e.created)} new, {formatNumber(e.updated)} updated, {formatNumber(e.skipped)} skipped
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** `heading`: the level of this component's headings (h3 inside the wizard's step, h2 on a page of its own). */
export function MigrationProgress({ id, showSource = true, heading = 'h3' }: { id: string; showSource?: boolean; heading?: Heading }) {
  const H = heading;
  const me = useMe();
  const { migration: m, error, setMigration } = useLiveMigration(id);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [confirmUndo, setConfirmUndo] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [undone, setUndone] = useState<{ total: number } | null>(null);

  if (error) return <ErrorAlert error={error} title="This import could not be loaded" />;
  if (!m) return <Loading label="Loading the import…" />;

  const ended = TERMINAL.has(m.status);
  const processed = m.counts.created + m.counts.updated + m.counts.skipped + m.counts.failed;
  const total = m.counts.total;
  const entities = m.entities.map((e) => e.entityType).filter(isEntityType);
  const background = m.plan?.background === true;

  async function act(name: string, fn: () => Promise<void>) {
    setBusy(name);
    setActionError(null);
    try {
      await fn();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="space-y-6" data-testid="migration-progress" data-status={m.status}>
      <Panel as="section" aria-label="Progress" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div aria-live="polite" className="space-y-1">
            <p className="flex flex-wrap items-center gap-2">
              <StatusBadge status={m.status} />
              <span className="font-medium" data-testid="migration-phase">
                {m.phase ? capitalize(m.phase) : ''}
              </span>
            </p>
            {showSource && (
              <p className="text-sm text-quiet">
                {crmName(m.source)} · {m.importMethod === 'csv' ? 'CSV upload' : 'Direct API'} · {m.entityType === 'all' ? 'everything' : m.entityType} · started {formatDate(m.startedAt ?? m.createdAt)}
              </p>
            )}
          </div>
          {!ended && (
            <div className="flex flex-wrap gap-2">
              {m.status === 'paused' && (
                <Button variant="secondary" disabled={!me.canManage || busy !== null} busy={busy === 'resume'} onClick={() => void act('resume', async () => setMigration(await api.resumeMigration(id)))}>
                  Resume now
                </Button>
              )}
              {!confirmCancel ? (
                <Button variant="danger" disabled={!me.canManage || m.cancelRequested} onClick={() => setConfirmCancel(true)}>
                  {m.cancelRequested ? 'Stopping…' : 'Cancel import'}
                </Button>
              ) : (
                <div role="group" aria-label="Confirm cancelling" className="flex flex-wrap items-center gap-2">
                  <span className="text-sm">Stop now? Records written so far are kept.</span>
                  <Button
                    variant="danger"
                    busy={busy === 'cancel'}
                    onClick={() =>
                      void act('cancel', async () => {
                        setMigration(await api.cancelMigration(id));
                        setConfirmCancel(false);
                      })
                    }
                  >
                    Yes, stop the import
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirmCancel(false)}>
                    Keep importing
                  </Button>
                </div>
              )}
            </div>
          )}
        </div>
        {!ended && !me.canManage && <p className="text-sm text-quiet">{managerOnly(me.role)}</p>}

        <ProgressBar value={processed} max={total} label="Import progress" indeterminate={!ended && total === 0} />
        <p className="text-sm" data-testid="progress-text">
          {total > 0 ? (
            <>
              {formatNumber(processed)} of {formatNumber(total)} records processed
            </>
          ) : ended ? (
            'No records to process.'
          ) : (
            'Counting the records…'
          )}
          {!ended && m.rate !== null && m.rate > 0 && <> · {formatNumber(Math.round(m.rate))} records per second</>}
          {!ended && m.eta !== null && <> · {formatDuration(m.eta)} left</>}
        </p>

        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
          <Count label="Read" value={m.counts.fetched} testId="count-fetched" />
          <Count label="New" value={m.counts.created} testId="count-created" />
          <Count label="Updated" value={m.counts.updated} testId="count-updated" />
          <Count label="Skipped" value={m.counts.skipped} testId="count-skipped" />
          <Count label="Failed" value={m.counts.failed} testId="count-failed" tone="red" />
        </dl>

        {entities.length > 1 && (
          <div className="overflow-x-auto rounded-2xl bg-white" role="region" aria-label="Progress per kind of record" tabIndex={0}>
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-sand-dark">
                  <th scope="col" className="px-3 py-2">
                    Kind
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Read
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Failed
                  </th>
                </tr>
              </thead>
              <tbody>
                {m.entities.map((e) => (
                  <tr key={e.entityType} className="border-b border-sand last:border-0">
                    <th scope="row" className="px-3 py-2 font-medium">
                      {capitalize(ENTITY_LABELS[e.entityType]?.many ?? e.entityType)}
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {formatNumber(e.fetched)}
                      {e.sourceCount !== null ? ` of ${formatNumber(e.sourceCount)}` : ''}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatNumber(e.failed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {!ended && m.counts.failed > 0 && (
          <p className="text-sm">
            {plural(m.counts.failed, 'record')} could not be imported so far.{' '}
            <a className="underline" href={api.errorsCsvUrl(id)}>
              Download the errors so far (CSV)
            </a>
          </p>
        )}
        {m.status === 'paused' && (
          <Alert tone="warning" title="Paused: the CRM's API limit was reached">
            {m.pausedUntil ? `It continues by itself at ${formatDate(m.pausedUntil)}` : 'It continues by itself when the limit resets'}, from where it stopped. Nothing is lost.
          </Alert>
        )}
        {!ended && background && (
          <Alert tone="info" title="This large import runs in the background">
            We will e-mail you when it is done. You can leave this page; the import keeps going.
          </Alert>
        )}
        {!ended && !background && <p className="text-sm text-quiet">You can leave this page; the import keeps going, and its progress is under Migrations.</p>}
      </Panel>

      {m.status === 'failed' && (
        <Alert tone="error" title="The import stopped with an error">
          <p>{m.error ?? 'Something went wrong.'}</p>
          <p className="mt-1">Records written before the error are kept. Retry to continue from where it stopped.</p>
          <Button className="mt-3" variant="secondary" disabled={!me.canManage || busy !== null} busy={busy === 'resume'} onClick={() => void act('resume', async () => setMigration(await api.resumeMigration(id)))}>
            Retry from where it stopped
          </Button>
        </Alert>
      )}
      {actionError !== null && <ErrorAlert error={actionError} />}

      {ended && <Reconciliation migration={m} heading={heading} />}

      {ended && (
        <section aria-labelledby="next-title" className="space-y-3">
          <H id="next-title" className="text-lg font-semibold">
            Your data
          </H>
          <div className="flex flex-wrap gap-3">
            {entities.map((e) => (
              <ButtonLink key={e} to={`/dashboard/records/${e}?migrationId=${id}`} variant={e === entities[0] ? 'primary' : 'secondary'}>
                See the imported {ENTITY_LABELS[e].many}
              </ButtonLink>
            ))}
            {(m.counts.failed > 0 || (m.reconciliation && !m.reconciliation.ok)) && (
              <a href={api.errorsCsvUrl(id)} className="inline-flex min-h-11 items-center rounded-full border border-ink bg-white px-5 py-2.5 font-medium hover:bg-sand">
                Download the error report (CSV)
              </a>
            )}
          </div>
          {m.counts.failed > 0 && <p className="text-sm text-quiet">The error report has one row per record that failed, with the reason and its values: fix them in the file and import it again.</p>}
          {m.reconciliation?.notified && <p className="text-sm text-quiet">We e-mailed {m.reconciliation.notified.to} when it finished.</p>}
          {m.reconciliation?.undo || undone ? (
            <Alert tone="info" title="This import was undone">
              {plural(undone?.total ?? Object.values(m.reconciliation?.undo?.deleted ?? {}).reduce((a, b) => a + (b ?? 0), 0), 'record')} it created were deleted.
            </Alert>
          ) : (
            m.counts.created > 0 && (
              <div className="flex flex-wrap items-center gap-2">
                {!confirmUndo ? (
                  <Button variant="ghost" disabled={!me.canManage} onClick={() => setConfirmUndo(true)} aria-describedby={!me.canManage ? `undo-reason-${id}` : undefined}>
                    Undo this import
                  </Button>
                ) : (
                  <div role="group" aria-label="Confirm undo" className="flex flex-wrap items-center gap-2">
                    <span className="text-sm">Delete the {plural(m.counts.created, 'record')} this import created? Records it only updated are kept.</span>
                    <Button
                      variant="danger"
                      busy={busy === 'undo'}
                      onClick={() =>
                        void act('undo', async () => {
                          const r = await api.undoMigration(id);
                          setUndone({ total: r.total });
                          setConfirmUndo(false);
                        })
                      }
                    >
                      Yes, delete them
                    </Button>
                    <Button variant="secondary" onClick={() => setConfirmUndo(false)}>
                      Keep them
                    </Button>
                  </div>
                )}
                {!me.canManage && <DisabledReason id={`undo-reason-${id}`}>{managerOnly(me.role)}</DisabledReason>}
              </div>
            )
          )}
          <p className="text-sm">
            <Link to={`/dashboard/migrations/${id}`} className="underline">
              This import's page
            </Link>{' '}
            · finished {formatDate(m.finishedAt)}
          </p>
        </section>
      )}
    </div>
  );
}
