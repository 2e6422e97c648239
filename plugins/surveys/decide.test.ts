import { describe, expect, it } from 'vitest';
import type { Customer, IdentityLink } from '../../core/plugin-api.js';
import { decide, reachableIdentity, type DecideInput } from './decide.js';

const id = (identity: string, lastSeenAt: string, over: Partial<IdentityLink> = {}): IdentityLink => ({
  tenant: 't', identity, platform: identity.split(':')[0] as IdentityLink['platform'], displayName: identity, role: 'customer', customerId: 1,
  verified: false, locale: null, timezone: null, reachable: true, lastSeenAt, createdAt: lastSeenAt, ...over,
});
const customer = (surveys = true): Customer => ({
  tenant: 't', id: 1, name: 'A', company: null, emails: [], phones: [], tags: [], owner: null, lifecycle: 'new',
  consent: { marketing: false, surveys, updatedAt: '' }, mergedInto: null, createdAt: '', updatedAt: '',
});
const base: DecideInput = {
  customer: customer(), identities: [id('web:a', '2026-05-01T10:00:00Z')], last: null, campaignId: 'S-2', now: '2026-05-04T12:00:00.000Z',
  minDaysBetweenSurveys: 30, quietHours: { start: '21:00', end: '08:00' }, tenantTimezone: 'UTC',
};

describe('decide', () => {
  it('picks the reachable identity seen last', () => {
    const ids = [id('telegram:1', '2026-05-03T00:00:00Z'), id('discord:2', '2026-05-04T00:00:00Z', { reachable: false }), id('web:a', '2026-05-01T00:00:00Z')];
    expect(reachableIdentity(ids)!.identity).toBe('telegram:1');
    expect(reachableIdentity([])).toBeNull();
  });

  it.each([
    ['sent', {}],
    ['optedOut', { customer: customer(false) }],
    ['unreachable', { identities: [id('web:a', '2026-05-01T10:00:00Z', { reachable: false })] }],
    ['recent', { last: { id: 'lastSurveyed:1', customerId: 1, campaignId: 'S-1', at: '2026-04-20T00:00:00Z' } }],
    ['sent', { last: { id: 'lastSurveyed:1', customerId: 1, campaignId: 'S-1', at: '2026-04-01T00:00:00Z' } }],
    // Its own reservation (a redo after a crash) does not count as "surveyed recently".
    ['sent', { last: { id: 'lastSurveyed:1', customerId: 1, campaignId: 'S-2', at: '2026-05-04T00:00:00Z' } }],
    ['waiting', { now: '2026-05-04T22:00:00.000Z' }],
    // 14:00 UTC is 22:00 in Shanghai.
    ['waiting', { now: '2026-05-04T14:00:00.000Z', identities: [id('web:a', '2026-05-01T10:00:00Z', { timezone: 'Asia/Shanghai' })] }],
    ['sent', { now: '2026-05-04T14:00:00.000Z' }],
  ] as const)('%s for %j', (outcome, over) => {
    expect(decide({ ...base, ...over } as DecideInput).outcome).toBe(outcome);
  });

  it('says when quiet hours end', () => {
    expect(decide({ ...base, now: '2026-05-04T22:00:00.000Z' })).toMatchObject({ outcome: 'waiting', dueAt: '2026-05-05T08:00:00.000Z' });
  });
});
