import { describe, expect, it } from 'vitest';
import type { Customer } from '../../core/plugin-api.js';
import { audienceLabel, matches, parseAudience, rfmMembers } from './audience.js';

describe('parseAudience', () => {
  it.each([
    ['everyone', { type: 'everyone' }, 'everyone'],
    ['EVERYONE', { type: 'everyone' }, 'everyone'],
    ['stage:active', { type: 'stage', stage: 'active' }, 'stage:active'],
    ['stage:at-risk', { type: 'stage', stage: 'at_risk' }, 'stage:at-risk'],
    ['segment:At risk', { type: 'segment', segment: 'At risk' }, 'segment:at-risk'],
    ['segment:at-risk', { type: 'segment', segment: 'At risk' }, 'segment:at-risk'],
    ['segment:cannot_lose_them', { type: 'segment', segment: 'Cannot lose them' }, 'segment:cannot-lose-them'],
    ['tag:VIP', { type: 'tag', tag: 'vip' }, 'tag:vip'],
    ['purchased:30', { type: 'purchased', days: 30 }, 'purchased:30'],
  ])('%s', (text, audience, label) => {
    const r = parseAudience(text);
    expect(r).toEqual({ ok: true, value: audience });
    if (r.ok) expect(audienceLabel(r.value)).toBe(label);
  });

  it.each([
    ['stage:sleeping', /^Unknown stage "sleeping"\. Stages: lead, new, active, at-risk, churned$/],
    ['segment:whales', /^Unknown RFM segment "whales"/],
    ['purchased:0', /needs a number of days from 1 to 3650/],
    ['purchased:thirty', /needs a number of days/],
    ['purchased:99999', /needs a number of days/],
    ['tag:', /^tag: needs a value/],
    ['tag:{"$ne":1}', /is not a tag/],
    ['customer:7', /is not an audience/],
    ['all', /^"all" is not an audience\. Use everyone, stage:active/],
  ])('%s is refused', (text, message) => {
    const r = parseAudience(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('matches', () => {
  const customer = (over: Partial<Customer>): Customer => ({
    tenant: 't', id: 1, name: 'A', company: null, emails: [], phones: [], tags: [], owner: null, lifecycle: 'lead',
    consent: { marketing: false, surveys: true, updatedAt: '' }, mergedInto: null, createdAt: '', updatedAt: '', ...over,
  });
  const rows = [
    { customerId: 1, recencyDays: 5, frequency: 9, monetaryMinor: 900, unconverted: [], r: 5, f: 5, m: 5 },
    { customerId: 2, recencyDays: 200, frequency: 3, monetaryMinor: 300, unconverted: [], r: 1, f: 3, m: 4 },
  ];
  it.each([
    [{ type: 'everyone' } as const, customer({}), true],
    [{ type: 'stage', stage: 'active' } as const, customer({ lifecycle: 'active' }), true],
    [{ type: 'stage', stage: 'active' } as const, customer({ lifecycle: 'new' }), false],
    [{ type: 'tag', tag: 'vip' } as const, customer({ tags: ['VIP', 'b2b'] }), true],
    [{ type: 'tag', tag: 'vip' } as const, customer({ tags: ['vipish'] }), false],
    [{ type: 'customer', customerId: 1 } as const, customer({}), true],
    [{ type: 'customer', customerId: 2 } as const, customer({}), false],
  ])('%j', (a, c, expected) => {
    expect(matches(a, c, null)).toBe(expected);
  });

  it('reads RFM audiences from one set of rows', () => {
    expect([...rfmMembers({ type: 'segment', segment: 'Champions' }, rows)]).toEqual([1]);
    expect([...rfmMembers({ type: 'segment', segment: 'At risk' }, rows)]).toEqual([2]);
    expect([...rfmMembers({ type: 'purchased', days: 30 }, rows)]).toEqual([1]);
    expect(matches({ type: 'purchased', days: 30 }, customer({ id: 2 }), new Set([1]))).toBe(false);
  });
});
