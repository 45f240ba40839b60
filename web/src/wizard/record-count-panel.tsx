/** The seed's record-count panel: how many records the CRM holds, which API will read them, time and calls. */
import type { CrmCount, EntityType } from '../api';
import { Alert, Panel } from '../components/ui';
import { capitalize, crmName, ENTITY_LABELS } from '../lib/crms';
import { formatDuration, formatNumber } from '../lib/format';

export function RecordCountPanel({ count, crm }: { count: CrmCount; crm: string }) {
  const entityWord = count.entityType === 'all' ? '' : `${count.entityType} `;
  return (
    <Panel as="section" aria-label="Records found" className="space-y-3">
      <div>
        <p className="text-sm text-quiet" data-testid="record-count">
          Found <strong className="text-base text-ink">{formatNumber(count.count)}</strong> {entityWord}records{count.entityType === 'all' ? ` in ${crmName(crm)}` : ''}
        </p>
        <p className="mt-1 text-xs text-quiet">Using {count.useBulkApi ? 'Bulk API' : 'Standard API'} for optimal performance</p>
      </div>
      <p className="text-sm">{count.reason}</p>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:max-w-md">
        <div>
          <dt className="text-quiet">Estimated time</dt>
          <dd className="font-medium">{formatDuration(count.estimatedSeconds)}</dd>
        </div>
        <div>
          <dt className="text-quiet">API calls</dt>
          <dd className="font-medium">about {formatNumber(count.estimatedApiCalls)}</dd>
        </div>
      </dl>
      {count.entities && count.entities.length > 0 && (
        <div className="overflow-x-auto rounded-2xl bg-white" role="region" aria-label="Records per kind" tabIndex={0}>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Records per kind, in the order they are imported</caption>
            <thead>
              <tr className="border-b border-sand-dark">
                <th scope="col" className="px-3 py-2">
                  Kind
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Records
                </th>
                <th scope="col" className="px-3 py-2">
                  How
                </th>
                <th scope="col" className="px-3 py-2">
                  Time
                </th>
              </tr>
            </thead>
            <tbody>
              {count.entities.map((e) => (
                <tr key={e.entityType} className="border-b border-sand last:border-0">
                  <th scope="row" className="px-3 py-2 font-medium">
                    {capitalize(ENTITY_LABELS[e.entityType as EntityType].many)}
                  </th>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(e.count)}</td>
                  <td className="px-3 py-2">{e.useBulkApi ? 'Bulk API' : e.strategy === 'batched' ? 'Standard API, large pages' : 'Standard API'}</td>
                  <td className="px-3 py-2">{e.count === 0 ? '—' : formatDuration(e.estimatedSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {count.quotaWarning && (
        <Alert tone="warning" title="This import uses much of the CRM's API quota">
          It needs about {formatNumber(count.quotaWarning.needed)} API calls; {crmName(crm)} allows {formatNumber(count.quotaWarning.limit)} per {count.quotaWarning.window}. When
          the quota runs out the import pauses and continues by itself when it resets — nothing is lost. Other apps using {crmName(crm)} share this quota.
        </Alert>
      )}
      {count.background && (
        <Alert tone="info" title="A large import: it runs in the background">
          We will e-mail you when it is done. You can close this page at any time; the import keeps going.
        </Alert>
      )}
    </Panel>
  );
}
