/** /dashboard/migrations (history, with adoption stats) and /dashboard/migrations/:id (one run, live). */
import { useCallback, useEffect, useState } from 'react';
import { api, type Migration, type Stats } from '../api';
import { MigrationProgress, StatusBadge } from '../components/migration-progress';
import { Button, ButtonLink, ErrorAlert, Loading, PageTitle } from '../components/ui';
import { crmName } from '../lib/crms';
import { formatDate, formatNumber } from '../lib/format';
import { Link } from '../lib/router';

function StatsPanel({ stats }: { stats: Stats }) {
  const items: Array<[string, string]> = [
    ['Imports', formatNumber(stats.total.runs)],
    ['Records moved', formatNumber(stats.total.recordsMoved)],
    ['Completed', stats.total.completionRate === null ? '—' : `${Math.round(stats.total.completionRate * 100)}%`],
    ['CSV / Direct API', `${formatNumber(stats.byMethod.csv.runs)} / ${formatNumber(stats.byMethod.api.runs)}`],
  ];
  return (
    <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([label, value]) => (
        <div key={label} className="rounded-3xl bg-sand px-4 py-3">
          <dt className="text-sm text-quiet">{label}</dt>
          <dd className="text-xl font-semibold">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MigrationsPage() {
  const [runs, setRuns] = useState<Migration[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async (after: string | null) => {
    const page = await api.migrations({ limit: 20, cursor: after });
    setRuns((prev) => (after && prev ? [...prev, ...page.migrations] : page.migrations));
    setCursor(page.nextCursor);
  }, []);

  useEffect(() => {
    load(null).catch(setError);
    api.stats().then(setStats, () => undefined);
  }, [load]);

  return (
    <>
      <PageTitle subtitle="Every import of your organization, newest first.">Migrations</PageTitle>
      {stats && stats.total.runs > 0 && <StatsPanel stats={stats} />}
      {error !== null && <ErrorAlert error={error} title="The imports could not be loaded" />}
      {!runs && error === null && <Loading />}
      {runs && runs.length === 0 && (
        <div className="space-y-3">
          <p>Nothing imported yet.</p>
          <ButtonLink to="/dashboard/settings/migration?new=1">Start a migration</ButtonLink>
        </div>
      )}
      {runs && runs.length > 0 && (
        <div className="overflow-x-auto rounded-3xl border border-sand-dark bg-white" role="region" aria-label="Imports" tabIndex={0}>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-sand-dark">
                <th scope="col" className="px-4 py-3">
                  Started
                </th>
                <th scope="col" className="px-4 py-3">
                  From
                </th>
                <th scope="col" className="px-4 py-3">
                  What
                </th>
                <th scope="col" className="px-4 py-3">
                  Status
                </th>
                <th scope="col" className="px-4 py-3 text-right">
                  Records
                </th>
                <th scope="col" className="px-4 py-3 text-right">
                  Failed
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((m) => (
                <tr key={m.id} className="border-b border-sand last:border-0">
                  <th scope="row" className="px-4 py-3 font-normal">
                    <Link to={`/dashboard/migrations/${m.id}`} className="underline">
                      {formatDate(m.startedAt ?? m.createdAt)}
                    </Link>
                  </th>
                  <td className="px-4 py-3">
                    {crmName(m.source)} <span className="text-quiet">({m.importMethod === 'csv' ? 'CSV' : 'API'})</span>
                  </td>
                  <td className="px-4 py-3">{m.entityType === 'all' ? 'everything' : m.entityType}</td>
                  <td className="px-4 py-3">
                    <StatusBadge status={m.status} />
                  </td>
                  <td className="px-4 py-3 text-right tabular-nums">
                    {formatNumber(m.counts.created + m.counts.updated + m.counts.skipped)}
                    {m.counts.total ? ` / ${formatNumber(m.counts.total)}` : ''}
                  </td>
                  <td className="px-4 py-3 text-right tabular-nums">{formatNumber(m.counts.failed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <Button
          variant="secondary"
          className="mt-4"
          busy={loadingMore}
          onClick={() => {
            setLoadingMore(true);
            load(cursor)
              .catch(setError)
              .finally(() => setLoadingMore(false));
          }}
        >
          Show older imports
        </Button>
      )}
    </>
  );
}

export function MigrationDetailPage({ id }: { id: string }) {
  return (
    <>
      <PageTitle>Import</PageTitle>
      <p className="mb-4">
        <Link to="/dashboard/migrations" className="underline">
          ← All imports
        </Link>
      </p>
      <MigrationProgress id={id} heading="h2" />
    </>
  );
}
