/**
 * /dashboard/records/:entityType: imported records, paged and searchable (`q`), filtered to one import with
 * `?migrationId=`; /dashboard/records/:entityType/:id: one record with its related records (contact → account,
 * deal → account and contact, activity → account, contact, deal) and its children.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, type EntityType, type RecordDetail, type StoredRecord } from '../api';
import { Badge, Button, ErrorAlert, Loading, PageTitle } from '../components/ui';
import { capitalize, crmName, ENTITY_LABELS, ENTITY_TYPES, targetFields } from '../lib/crms';
import { formatDate, formatNumber } from '../lib/format';
import { Link, navigate, useLocation } from '../lib/router';

const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A record's name as people say it. */
export function recordName(entity: EntityType, r: StoredRecord): string {
  if (entity === 'contacts' || entity === 'leads') {
    const n = [str(r.firstName), str(r.lastName)].filter(Boolean).join(' ');
    return n || str(r.email) || `(no name) ${r.externalId}`;
  }
  if (entity === 'activities') return str(r.subject) || `${capitalize(str(r.type) || 'activity')} ${r.externalId}`;
  return str(r.name) || `(no name) ${r.externalId}`;
}

function RecordLink({ entity, id, children }: { entity: EntityType; id: unknown; children: ReactNode }) {
  if (typeof id !== 'string' || !id) return <>{children}</>;
  return (
    <Link to={`/dashboard/records/${entity}/${id}`} className="underline">
      {children}
    </Link>
  );
}

interface Column {
  header: string;
  cell(r: StoredRecord): ReactNode;
}

function columnsFor(entity: EntityType): Column[] {
  const money = (r: StoredRecord) => (r.amount === null || r.amount === undefined ? '' : `${formatNumber(Number(r.amount))}${r.currency ? ` ${str(r.currency)}` : ''}`);
  const account: Column = {
    header: 'Account',
    cell: (r) => (r.accountId ? <RecordLink entity="accounts" id={r.accountId}>{str(r.accountName) || 'Linked account'}</RecordLink> : str(r.accountName) || (r.accountExternalId ? <span className="text-quiet">not imported ({str(r.accountExternalId)})</span> : '')),
  };
  const contact: Column = { header: 'Contact', cell: (r) => (r.contactId ? <RecordLink entity="contacts" id={r.contactId}>Linked contact</RecordLink> : '') };
  switch (entity) {
    case 'accounts':
      return [
        { header: 'Domain', cell: (r) => str(r.domain) },
        { header: 'Industry', cell: (r) => str(r.industry) },
        { header: 'City', cell: (r) => [str(r.city), str(r.country)].filter(Boolean).join(', ') },
      ];
    case 'contacts':
      return [{ header: 'E-mail', cell: (r) => str(r.email) }, { header: 'Phone', cell: (r) => str(r.phone) || str(r.mobilePhone) }, { header: 'Title', cell: (r) => str(r.title) }, account];
    case 'leads':
      return [{ header: 'E-mail', cell: (r) => str(r.email) }, { header: 'Company', cell: (r) => str(r.company) }, { header: 'Status', cell: (r) => str(r.status) }];
    case 'deals':
      return [{ header: 'Amount', cell: money }, { header: 'Stage', cell: (r) => str(r.stage) }, { header: 'Status', cell: (r) => str(r.status) }, account, contact];
    case 'activities':
      return [
        { header: 'Type', cell: (r) => str(r.type) },
        { header: 'Due', cell: (r) => (r.dueAt ? formatDate(str(r.dueAt)) : '') },
        account,
        contact,
        { header: 'Deal', cell: (r) => (r.dealId ? <RecordLink entity="deals" id={r.dealId}>Linked deal</RecordLink> : '') },
      ];
  }
}

export function RecordsPage({ entityType }: { entityType: EntityType }) {
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const migrationId = search.get('migrationId') ?? undefined;
  const searchId = useId();
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<{ records: StoredRecord[]; nextCursor: string | null } | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState(q);
  const cursor = cursors[cursors.length - 1] ?? null;
  const label = ENTITY_LABELS[entityType];

  useEffect(() => {
    setDraft(q);
    setCursors([null]);
  }, [q, migrationId]);

  useEffect(() => {
    let live = true;
    setPage(null);
    setError(null);
    api
      .records(entityType, { limit: 25, cursor, ...(q ? { q } : {}), ...(migrationId ? { migrationId } : {}) })
      .then((p) => live && setPage(p))
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
  }, [entityType, cursor, q, migrationId]);

  useEffect(() => {
    api.recordCount(entityType, { ...(q ? { q } : {}), ...(migrationId ? { migrationId } : {}) }).then(
      (r) => setTotal(r.count),
      () => setTotal(null),
    );
  }, [entityType, q, migrationId]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const params = new URLSearchParams();
    if (draft.trim()) params.set('q', draft.trim());
    if (migrationId) params.set('migrationId', migrationId);
    navigate(`/dashboard/records/${entityType}${params.size ? `?${params}` : ''}`);
  }

  const columns = columnsFor(entityType);
  return (
    <>
      <PageTitle subtitle={total !== null ? `${formatNumber(total)} ${total === 1 ? label.one : label.many}${q ? ` matching “${q}”` : ''}${migrationId ? ' from this import' : ''}` : undefined}>
        {capitalize(label.many)}
      </PageTitle>
      <nav aria-label="Kinds of records" className="mb-4">
        <ul className="flex flex-wrap gap-2">
          {ENTITY_TYPES.map((e) => (
            <li key={e}>
              <Link
                to={`/dashboard/records/${e}${migrationId ? `?migrationId=${migrationId}` : ''}`}
                aria-current={e === entityType ? 'page' : undefined}
                className={`inline-flex min-h-11 items-center rounded-full px-4 py-2 no-underline ${e === entityType ? 'bg-ink text-white' : 'border border-ink text-ink hover:bg-sand'}`}
              >
                {capitalize(ENTITY_LABELS[e].many)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form role="search" onSubmit={submit} className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-60 flex-1">
          <label htmlFor={searchId} className="block text-sm font-medium">
            Search {label.many} by name or e-mail
          </label>
          <input id={searchId} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} className="mt-1 block w-full rounded-xl border border-[#8a8a8a] bg-white px-3 py-2" />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {migrationId && (
          <Link to={`/dashboard/records/${entityType}${q ? `?q=${encodeURIComponent(q)}` : ''}`} className="min-h-11 py-2 underline">
            Show {label.many} from every import
          </Link>
        )}
      </form>
      {error !== null && <ErrorAlert error={error} title={`The ${label.many} could not be loaded`} />}
      {!page && error === null && <Loading />}
      {page && page.records.length === 0 && <p>{q ? `No ${label.many} match “${q}”.` : `No ${label.many} imported yet.`}</p>}
      {page && page.records.length > 0 && (
        <div className="overflow-x-auto rounded-3xl border border-sand-dark bg-white" role="region" aria-label={capitalize(label.many)} tabIndex={0}>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-sand-dark">
                <th scope="col" className="px-4 py-3">
                  Name
                </th>
                {columns.map((c) => (
                  <th key={c.header} scope="col" className="px-4 py-3">
                    {c.header}
                  </th>
                ))}
                <th scope="col" className="px-4 py-3">
                  Source
                </th>
              </tr>
            </thead>
            <tbody>
              {page.records.map((r) => (
                <tr key={r.id} className="border-b border-sand align-top last:border-0">
                  <th scope="row" className="px-4 py-3 font-normal">
                    <RecordLink entity={entityType} id={r.id}>
                      {recordName(entityType, r)}
                    </RecordLink>
                  </th>
                  {columns.map((c) => (
                    <td key={c.header} className="px-4 py-3 break-words">
                      {c.cell(r)}
                    </td>
                  ))}
                  <td className="px-4 py-3 whitespace-nowrap">{crmName(r.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-4 flex flex-wrap gap-3">
        {cursors.length > 1 && (
          <Button variant="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous page
          </Button>
        )}
        {page?.nextCursor && (
          <Button variant="secondary" onClick={() => setCursors([...cursors, page.nextCursor])}>
            Next page
          </Button>
        )}
      </div>
    </>
  );
}

const HIDDEN = new Set(['id', 'organizationId', 'customFields', 'accountId', 'contactId', 'dealId', 'migrationId', 'createdMigrationId']);

export function RecordDetailPage({ entityType, id }: { entityType: EntityType; id: string }) {
  const [detail, setDetail] = useState<RecordDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.record(entityType, id).then(setDetail, setError);
  }, [entityType, id]);

  const label = ENTITY_LABELS[entityType];
  if (error) {
    return (
      <>
        <PageTitle>{capitalize(label.one)}</PageTitle>
        <ErrorAlert error={error} title={`This ${label.one} could not be loaded`} />
      </>
    );
  }
  if (!detail) return <Loading />;
  const r = detail.record;
  const labels = new Map(targetFields(entityType).map((f) => [f.name as string, f.label]));
  const fields = Object.entries(r).filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== '');
  const custom = Object.entries((r.customFields ?? {}) as Record<string, unknown>);
  const related = (['account', 'contact', 'deal'] as const).filter((k) => detail.related[k]);
  const entityOf = { account: 'accounts', contact: 'contacts', deal: 'deals' } as const;

  return (
    <>
      <PageTitle subtitle={`${capitalize(label.one)} from ${crmName(r.source)} · source id ${r.externalId}`}>{recordName(entityType, r)}</PageTitle>
      <p className="mb-4">
        <Link to={`/dashboard/records/${entityType}`} className="underline">
          ← All {label.many}
        </Link>
      </p>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="fields-title" className="rounded-3xl border border-sand-dark bg-white p-5 sm:p-6">
          <h2 id="fields-title" className="font-semibold">
            Fields
          </h2>
          <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            {fields.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-quiet">{labels.get(k) ?? k}</dt>
                <dd className="break-words">{/At$/.test(k) ? formatDate(str(v)) : str(v)}</dd>
              </div>
            ))}
          </dl>
          {custom.length > 0 && (
            <>
              <h3 className="mt-6 font-semibold">Custom fields</h3>
              <dl className="mt-2 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
                {custom.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-quiet">{k}</dt>
                    <dd className="break-words">{str(v)}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
          {r.migrationId && (
            <p className="mt-6 text-sm">
              <Link to={`/dashboard/migrations/${str(r.migrationId)}`} className="underline">
                The import that last wrote it
              </Link>
            </p>
          )}
        </section>
        <div className="space-y-6">
          {related.length > 0 && (
            <section aria-labelledby="related-title" className="rounded-3xl bg-sand p-5">
              <h2 id="related-title" className="font-semibold">
                Belongs to
              </h2>
              <ul className="mt-2 space-y-1">
                {related.map((k) => (
                  <li key={k}>
                    {capitalize(k)}:{' '}
                    <RecordLink entity={entityOf[k]} id={detail.related[k]!.id}>
                      {recordName(entityOf[k], detail.related[k]!)}
                    </RecordLink>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {Object.entries(detail.children).map(([child, group]) =>
            group && group.count > 0 ? (
              <section key={child} aria-labelledby={`children-${child}`} className="rounded-3xl bg-sand p-5">
                <h2 id={`children-${child}`} className="font-semibold">
                  {capitalize(ENTITY_LABELS[child as EntityType].many)} <Badge>{formatNumber(group.count)}</Badge>
                </h2>
                <ul className="mt-2 space-y-1">
                  {group.records.map((c) => (
                    <li key={c.id}>
                      <RecordLink entity={child as EntityType} id={c.id}>
                        {recordName(child as EntityType, c)}
                      </RecordLink>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null,
          )}
        </div>
      </div>
    </>
  );
}
