/**
 * The seed's ImportMethodSelector: two cards, CSV Upload and Direct API, each saying what it is good for; the
 * Direct API card shows whether this CRM is connected and offers "Connect to <CRM>" (OAuth).
 */
import { useId } from 'react';
import type { Connection } from '../api';
import { ChoiceCards } from '../components/choice-cards';
import { Badge, Button, DisabledReason } from '../components/ui';
import { crmName, type CrmChoice } from '../lib/crms';
import { formatDate } from '../lib/format';
import { managerOnly } from '../lib/messages';

export interface ImportMethodSelectorProps {
  crmType: CrmChoice;
  selectedMethod: 'csv' | 'api' | null;
  onSelectMethod(method: 'csv' | 'api'): void;
  /** The active connection to this CRM, if any. */
  connection: Connection | null;
  /** A connection that exists but must be reconnected. */
  staleConnection: Connection | null;
  isConnected: boolean;
  onConnect(): void;
  connecting: boolean;
  canManage: boolean;
  role: string;
}

/** Small line icons (decorative: the card titles say what they are). */
function FileIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="mr-1 inline h-5 w-5 align-[-3px]" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5M9 13h6M9 17h6" />
    </svg>
  );
}

function LinkIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="mr-1 inline h-5 w-5 align-[-3px]" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <path d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" />
    </svg>
  );
}

export function ImportMethodSelector(props: ImportMethodSelectorProps) {
  const { crmType, selectedMethod, onSelectMethod, connection, staleConnection, isConnected, onConnect, connecting, canManage, role } = props;
  const reasonId = useId();
  const name = crmName(crmType);
  const apiPossible = crmType !== 'csv';

  const csvDescription = (
    <>
      <p>Export a file from {crmType === 'csv' ? 'your CRM or spreadsheet' : name} and upload it here.</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>Works with any CRM or spreadsheet</li>
        <li>No access to your CRM account needed</li>
        <li>You choose exactly which rows come in</li>
      </ul>
    </>
  );
  const apiDescription = apiPossible ? (
    <>
      <p>Connect {name} once; crm-migrate reads your records directly.</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>Everything at once: accounts, contacts, leads, deals and activities, with their links</li>
        <li>No files to export; record counts and time estimate before you start</li>
        <li>Large CRMs use the bulk API automatically; runs resume if interrupted</li>
      </ul>
    </>
  ) : (
    <p>Direct import is available for Salesforce, HubSpot, Pipedrive, Zoho CRM and monday.com. For other CRMs, upload a CSV export.</p>
  );

  const status = !apiPossible ? null : isConnected && connection ? (
    <div className="space-y-1 text-sm">
      <Badge tone="green">Connected</Badge>
      <p>
        as <strong>{connection.username ?? connection.email ?? connection.externalUserId ?? 'your account'}</strong>
        {connection.externalOrgId ? <> (account {connection.externalOrgId})</> : null}, since {formatDate(connection.createdAt)}
      </p>
    </div>
  ) : (
    <div className="space-y-2 text-sm">
      {staleConnection ? <Badge tone="amber">Needs reconnecting</Badge> : <Badge tone="grey">Not connected yet</Badge>}
      {staleConnection?.lastError && <p>{staleConnection.lastError}</p>}
      <div>
        <Button onClick={onConnect} busy={connecting} disabled={!canManage || connecting} aria-describedby={!canManage ? reasonId : undefined}>
          {staleConnection ? `Reconnect ${name}` : `Connect to ${name}`}
        </Button>
      </div>
      {!canManage && <DisabledReason id={reasonId}>{managerOnly(role)}</DisabledReason>}
      {canManage && <p className="text-quiet">You will sign in on {name}'s own page and come back here.</p>}
    </div>
  );

  return (
    <ChoiceCards<'csv' | 'api'>
      legend={`How do you want to bring your ${name === 'CSV file' ? '' : `${name} `}data over?`}
      name="import-method"
      columns="md:grid-cols-2"
      value={selectedMethod}
      onChange={onSelectMethod}
      choices={[
        { value: 'csv', title: 'CSV Upload', icon: <FileIcon />, description: csvDescription },
        { value: 'api', title: 'Direct API', icon: <LinkIcon />, description: apiDescription, disabled: !apiPossible, ...(status ? { extra: status } : {}) },
      ]}
    />
  );
}
