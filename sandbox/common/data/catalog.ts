/** Fixed value lists of the neutral world (stages, sources, custom-field definitions), shared by all CRMs. */
import type { CustomFieldDef, DealStage, EntityType } from './types.js';

export const DEAL_STAGES: readonly DealStage[] = [
  { key: 'prospecting', label: 'Prospecting', probability: 10, status: 'open' },
  { key: 'qualification', label: 'Qualification', probability: 20, status: 'open' },
  { key: 'needs_analysis', label: 'Needs Analysis', probability: 40, status: 'open' },
  { key: 'proposal', label: 'Proposal/Price Quote', probability: 60, status: 'open' },
  { key: 'negotiation', label: 'Negotiation/Review', probability: 80, status: 'open' },
  { key: 'closed_won', label: 'Closed Won', probability: 100, status: 'won' },
  { key: 'closed_lost', label: 'Closed Lost', probability: 0, status: 'lost' },
];

export const LEAD_SOURCES = ['Web', 'Referral', 'Trade Show', 'Cold Call', 'Partner', 'Advertisement', 'Webinar', 'LinkedIn', ''];
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'BRL', 'INR', 'PLN'] as const;
export const ACTIVITY_TYPES = ['note', 'task', 'call', 'meeting', 'email'] as const;
export const CUSTOMER_TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum'] as const;
export const COMPETITORS = ['Globex', 'Initech', 'Hooli', 'Pied Piper', 'In-house build'];
export const CAMPAIGNS = ['Spring Launch 2024', 'Webinar: "Data, Done Right"', 'Partner Week', 'Black Friday, EU'];
export const PRODUCTS = ['Analytics', 'Integrations', 'Support Plus', 'Onboarding', 'API Access'];

/** The custom fields each entity carries in `record.custom`; a CRM lists them under its own naming. */
export const CUSTOM_FIELDS: Record<EntityType, readonly CustomFieldDef[]> = {
  accounts: [
    { key: 'customerTier', label: 'Customer Tier', type: 'enum', options: CUSTOMER_TIERS },
    { key: 'npsScore', label: 'NPS Score', type: 'number' },
    { key: 'renewalDate', label: 'Renewal Date', type: 'date' },
    { key: 'sla', label: 'SLA', type: 'boolean' },
  ],
  contacts: [
    { key: 'preferredLanguage', label: 'Preferred Language', type: 'string' },
    { key: 'newsletterOptIn', label: 'Newsletter Opt-in', type: 'boolean' },
    { key: 'npsScore', label: 'NPS Score', type: 'number' },
    { key: 'customerTier', label: 'Customer Tier', type: 'enum', options: CUSTOMER_TIERS },
  ],
  leads: [
    { key: 'campaign', label: 'Campaign', type: 'string' },
    { key: 'leadScore', label: 'Lead Score', type: 'number' },
    { key: 'interestedIn', label: 'Interested In', type: 'multienum', options: PRODUCTS },
  ],
  deals: [
    { key: 'competitor', label: 'Competitor', type: 'string' },
    { key: 'forecastCategory', label: 'Forecast Category', type: 'enum', options: ['pipeline', 'best_case', 'commit', 'closed', 'omitted'] },
    { key: 'renewalDate', label: 'Renewal Date', type: 'date' },
  ],
  activities: [
    { key: 'outcome', label: 'Outcome', type: 'string' },
    { key: 'direction', label: 'Direction', type: 'enum', options: ['inbound', 'outbound'] },
  ],
};

/** 'YYYY-MM-DD' of an epoch-ms value, in UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO-8601 UTC with milliseconds, e.g. 2024-03-01T09:00:00.000Z. */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
