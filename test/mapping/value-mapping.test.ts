import { describe, expect, it } from 'vitest';
import { suggestValueMapping } from '../../src/core/mapping/index.js';
import { AppError } from '../../src/errors.js';

const map = (entityType: 'deals' | 'activities' | 'contacts', targetField: string, values: string[]) =>
  Object.fromEntries(suggestValueMapping({ entityType, targetField, values }).mappings.map((m) => [m.sourceValue, m.targetValue]));

describe('suggestValueMapping', () => {
  it('deal stages → status open/won/lost (HubSpot, Salesforce, Zoho, Pipedrive)', () => {
    expect(map('deals', 'status', ['appointmentscheduled', 'qualifiedtobuy', 'closedwon', 'closedlost', 'Prospecting', 'Closed Won', 'Closed-Lost to Competition', 'open', 'won', 'lost', 'deleted']))
      .toEqual({
        appointmentscheduled: 'open', qualifiedtobuy: 'open', closedwon: 'won', closedlost: 'lost', Prospecting: 'open', 'Closed Won': 'won',
        'Closed-Lost to Competition': 'lost', open: 'open', won: 'won', lost: 'lost', deleted: null,
      });
  });
  it('a closed stage that does not say won or lost is left to the user', () => {
    const [m] = suggestValueMapping({ entityType: 'deals', targetField: 'status', values: ['Closed'] }).mappings;
    expect(m).toMatchObject({ targetValue: null });
    expect(m!.confidence).toBeLessThan(0.5);
  });
  it('deal stages → readable stage names', () => {
    expect(map('deals', 'stage', ['appointmentscheduled', 'decisionmakerboughtin', 'Negotiation/Review', 'custom_stage_3', '7']))
      .toEqual({ appointmentscheduled: 'Appointment Scheduled', decisionmakerboughtin: 'Decision Maker Bought-In', 'Negotiation/Review': 'Negotiation/Review', custom_stage_3: 'Custom stage 3', 7: '7' });
  });
  it('activity types from each CRM', () => {
    expect(map('activities', 'type', ['Call', 'Email', 'ListEmail', 'Event', 'NOTE', 'MEETING', 'INCOMING_EMAIL', 'deadline', 'lunch', 'Tasks', 'Calls', 'Outbound call', 'Webinar']))
      .toEqual({
        Call: 'call', Email: 'email', ListEmail: 'email', Event: 'meeting', NOTE: 'note', MEETING: 'meeting', INCOMING_EMAIL: 'email', deadline: 'task',
        lunch: 'meeting', Tasks: 'task', Calls: 'call', 'Outbound call': 'call', Webinar: null,
      });
  });
  it('activity status from a done flag; free-text targets kept as they are', () => {
    expect(map('activities', 'status', ['true', 'false', 'Deferred'])).toEqual({ true: 'completed', false: 'open', Deferred: 'Deferred' });
    expect(map('contacts', 'lifecycleStage', ['lead'])).toEqual({ lead: 'lead' });
    expect(map('contacts', 'country', ['Deutschland', 'Narnia'])).toEqual({ Deutschland: 'DE', Narnia: null });
  });
  it('distinct values only, with a reason and confidence each', () => {
    const { mappings } = suggestValueMapping({ entityType: 'deals', targetField: 'status', values: ['won', 'won', ' won ', ''] });
    expect(mappings).toHaveLength(1);
    expect(mappings[0]).toMatchObject({ sourceValue: 'won', targetValue: 'won', confidence: 1, reason: expect.any(String) });
  });
  it('an unknown target is a validation error', () => {
    expect(() => suggestValueMapping({ entityType: 'deals', targetField: 'colour', values: [] })).toThrow(AppError);
  });
});
