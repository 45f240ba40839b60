/**
 * CRM-neutral records of the sandbox world. Each CRM sandbox renders them in its own shape and names
 * (ids, date formats, custom-field keys). Timestamps are epoch milliseconds (UTC); date-only values are
 * epoch ms at UTC midnight. Relations are indices into the other entity (null = no link).
 */
import type { EntityType } from '../../../src/core/ids.js';

export type { EntityType };

export type RecordCounts = Record<EntityType, number>;

export interface Address {
  readonly street: string;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode: string;
}

/** A CRM user who owns records. */
export interface WorldOwner {
  readonly index: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly name: string;
  readonly email: string;
  readonly title: string;
  readonly timeZone: string;
  readonly active: boolean;
}

export interface WorldRecordBase {
  /** 0 ≤ index < count for live records; count ≤ index < count + deletedCount for deleted ones. */
  readonly index: number;
  readonly ownerIndex: number;
  readonly createdAt: number;
  /** ≥ createdAt. */
  readonly updatedAt: number;
  readonly deleted: boolean;
  /** Set only on deleted records (≥ updatedAt). */
  readonly deletedAt: number | null;
}

export type CustomerTier = 'Bronze' | 'Silver' | 'Gold' | 'Platinum';

export interface WorldAccount extends WorldRecordBase {
  readonly name: string;
  /** ASCII domain, e.g. "acme-42.com"; '' for a few. */
  readonly domain: string;
  readonly website: string;
  readonly industry: string;
  readonly type: 'Customer' | 'Prospect' | 'Partner' | 'Reseller' | 'Other';
  readonly phone: string;
  readonly employees: number | null;
  readonly annualRevenue: number | null;
  readonly description: string;
  readonly linkedinUrl: string;
  readonly address: Address;
  readonly custom: {
    readonly customerTier: CustomerTier | null;
    readonly npsScore: number | null;
    /** Date-only (UTC midnight ms). */
    readonly renewalDate: number | null;
    readonly sla: boolean;
  };
}

export interface WorldContact extends WorldRecordBase {
  readonly firstName: string;
  readonly lastName: string;
  /** Display name in the person's convention (family name first for zh/ja). */
  readonly fullName: string;
  /** '' for some; a few % equal another contact's (or lead's) e-mail. */
  readonly email: string;
  readonly phone: string;
  readonly mobilePhone: string;
  readonly title: string;
  readonly department: string;
  readonly lifecycleStage: 'subscriber' | 'lead' | 'opportunity' | 'customer' | 'evangelist';
  readonly leadSource: string;
  readonly description: string;
  /** Date-only, or null. */
  readonly birthdate: number | null;
  readonly linkedinUrl: string;
  readonly address: Address;
  /** BCP 47 code of the locale the person was generated from. */
  readonly locale: string;
  readonly accountIndex: number | null;
  readonly custom: {
    readonly preferredLanguage: string;
    readonly newsletterOptIn: boolean;
    readonly npsScore: number | null;
    readonly customerTier: CustomerTier | null;
  };
}

export interface WorldLead extends WorldRecordBase {
  readonly firstName: string;
  readonly lastName: string;
  readonly fullName: string;
  readonly email: string;
  readonly phone: string;
  readonly mobilePhone: string;
  readonly company: string;
  readonly title: string;
  readonly status: 'new' | 'contacted' | 'qualified' | 'unqualified' | 'converted';
  readonly leadSource: string;
  readonly industry: string;
  readonly website: string;
  readonly employees: number | null;
  readonly annualRevenue: number | null;
  readonly rating: 'hot' | 'warm' | 'cold' | null;
  readonly description: string;
  readonly address: Address;
  readonly locale: string;
  readonly custom: {
    readonly campaign: string | null;
    readonly leadScore: number;
    readonly interestedIn: readonly string[];
  };
}

export type DealStatus = 'open' | 'won' | 'lost';

export interface DealStage {
  readonly key: string;
  readonly label: string;
  readonly probability: number;
  readonly status: DealStatus;
}

export interface WorldDeal extends WorldRecordBase {
  readonly name: string;
  /** Two decimals at most (JPY: integer). */
  readonly amount: number | null;
  /** ISO 4217. */
  readonly currency: string;
  readonly stage: DealStage;
  readonly pipeline: 'default' | 'renewals';
  /** 0..100. */
  readonly probability: number;
  /** Date-only. */
  readonly closeDate: number;
  readonly status: DealStatus;
  readonly type: 'New Business' | 'Existing Business' | 'Renewal';
  readonly leadSource: string;
  readonly description: string;
  readonly accountIndex: number | null;
  readonly contactIndex: number | null;
  readonly custom: {
    readonly competitor: string | null;
    readonly forecastCategory: 'pipeline' | 'best_case' | 'commit' | 'closed' | 'omitted';
    readonly renewalDate: number | null;
  };
}

export type ActivityType = 'note' | 'task' | 'call' | 'meeting' | 'email';

export interface WorldActivity extends WorldRecordBase {
  readonly type: ActivityType;
  readonly subject: string;
  readonly body: string;
  /** Tasks, calls and meetings; null for notes and e-mails. */
  readonly dueAt: number | null;
  readonly completedAt: number | null;
  readonly status: 'not_started' | 'in_progress' | 'completed' | 'deferred';
  readonly priority: 'low' | 'normal' | 'high';
  /** Calls and meetings. */
  readonly durationMinutes: number | null;
  readonly accountIndex: number | null;
  readonly contactIndex: number | null;
  readonly dealIndex: number | null;
  readonly custom: {
    readonly outcome: string | null;
    readonly direction: 'inbound' | 'outbound' | null;
  };
}

export interface WorldRecordByEntity {
  accounts: WorldAccount;
  contacts: WorldContact;
  leads: WorldLead;
  deals: WorldDeal;
  activities: WorldActivity;
}

/** Describes a custom field so a CRM can list it in its field metadata under its own naming. */
export interface CustomFieldDef {
  /** Key in the record's `custom` object. */
  readonly key: string;
  readonly label: string;
  readonly type: 'string' | 'number' | 'boolean' | 'date' | 'enum' | 'multienum';
  readonly options?: readonly string[];
}
