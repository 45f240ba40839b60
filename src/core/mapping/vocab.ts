/**
 * Picklist values of the five CRMs, used to recognise a column by its values and to map values to the
 * canonical ones. Sources: HubSpot default deal pipeline stages and lifecycle stages (knowledge.hubspot.com
 * "Set up and customize your deal pipelines", "Use lifecycle stages"); Salesforce OpportunityStage and Lead
 * Status defaults (Object Reference: OpportunityStage, Lead); Pipedrive deal `status` and activity types
 * (API reference: Deals, ActivityTypes); Zoho CRM default Stage values and modules (Deals module help);
 * Salesforce TaskSubtype/EventSubtype (Object Reference: Task, Event); HubSpot engagement object types.
 */
import { valueKey } from '../transforms/value-map.js';

/** Known deal stages → the canonical status they imply and a readable stage label. */
export const DEAL_STAGES: Readonly<Record<string, { status: 'open' | 'won' | 'lost'; label: string }>> = (() => {
  const out: Record<string, { status: 'open' | 'won' | 'lost'; label: string }> = {};
  const add = (status: 'open' | 'won' | 'lost', ...labels: string[]) => {
    for (const label of labels) out[valueKey(label)] ??= { status, label }; // the first spelling is the label kept
  };
  // HubSpot default pipeline (internal values and labels).
  add('open', 'Appointment Scheduled', 'Qualified To Buy', 'Presentation Scheduled', 'Decision Maker Bought-In', 'Contract Sent');
  add('won', 'Closed Won'); add('lost', 'Closed Lost');
  // Salesforce default OpportunityStage values.
  add('open', 'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review');
  // Zoho CRM default stages.
  add('open', 'Identify Decision Makers', 'Proposal', 'Negotiation', 'Negotiation/Review');
  add('lost', 'Closed-Lost to Competition', 'Closed Lost to Competition');
  // Pipedrive default pipeline stages and common hand-made ones.
  add('open', 'Lead In', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started', 'Discovery', 'Demo', 'Trial', 'New', 'Open', 'Qualified', 'Meeting Scheduled', 'In Progress', 'Follow Up', 'Quote Sent');
  add('won', 'Won', 'Closed - Won', 'Gewonnen', 'Gagné', 'Ganado', 'Ganho', 'Vinto', 'Deal Won', 'Signed');
  add('lost', 'Lost', 'Closed - Lost', 'Verloren', 'Perdu', 'Perdido', 'Perso', 'Deal Lost', 'Dead', 'Cancelled', 'Canceled');
  return out;
})();

/** Canonical activity type of a source value (Salesforce subtypes, HubSpot object types, Pipedrive types, Zoho modules). */
export const ACTIVITY_TYPE_VALUES: Readonly<Record<string, 'note' | 'task' | 'call' | 'meeting' | 'email'>> = (() => {
  const out: Record<string, 'note' | 'task' | 'call' | 'meeting' | 'email'> = {};
  const add = (type: 'note' | 'task' | 'call' | 'meeting' | 'email', ...values: string[]) => {
    for (const v of values) out[valueKey(v)] = type;
  };
  add('call', 'call', 'calls', 'phone call', 'phone', 'CALL', 'Anruf', 'Telefonat', 'Appel', 'Llamada', 'Chiamata', 'Ligação', 'Gesprek', 'Log a Call');
  add('meeting', 'meeting', 'meetings', 'event', 'events', 'MEETING', 'lunch', 'appointment', 'demo', 'Termin', 'Besprechung', 'Réunion', 'Rendez-vous', 'Reunión', 'Reunião', 'Riunione', 'Vergadering', 'Afspraak', 'Event');
  add('email', 'email', 'emails', 'e-mail', 'mail', 'EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL', 'ListEmail', 'List Email', 'Send Letter', 'Correo');
  add('task', 'task', 'tasks', 'todo', 'to-do', 'to do', 'deadline', 'TASK', 'Aufgabe', 'Tâche', 'Tarea', 'Tarefa', 'Compito', 'Taak', 'Cadence', 'Follow-up', 'follow up', 'Other');
  add('note', 'note', 'notes', 'NOTE', 'comment', 'Notiz', 'Nota', 'Notitie');
  return out;
})();

export const LIFECYCLE_STAGES = new Set(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other', 'mql', 'sql'].map(valueKey));
export const LEAD_STATUSES = new Set(
  ['new', 'open', 'in progress', 'open deal', 'unqualified', 'attempted to contact', 'connected', 'bad timing', 'working', 'working - contacted', 'contacted',
    'closed - converted', 'closed - not converted', 'qualified', 'nurturing', 'not contacted', 'pre-qualified', 'not qualified', 'junk lead', 'lost lead', 'contact in future'].map(valueKey),
);
export const TASK_STATUSES = new Set(
  ['not started', 'in progress', 'completed', 'waiting on someone else', 'deferred', 'done', 'open', 'not_started', 'waiting', 'scheduled', 'rescheduled', 'canceled', 'cancelled', 'no show', 'busy', 'no answer', 'left voicemail', 'sent'].map(valueKey),
);
export const PRIORITIES = new Set(['high', 'normal', 'low', 'medium', 'urgent', 'none', 'highest', 'lowest', 'hoch', 'niedrig', 'haute', 'basse', 'alta', 'baja', 'bassa', 'hoog', 'laag'].map(valueKey));
