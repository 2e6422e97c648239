import { Aggregator, Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { claimableSubscriptionFilter as claimableFilter } from './filters.js';
import { eventLogWatchPipeline } from './pipelines.js';
import { eventErasureFilter } from './erasure-writes.js';

const NOW = new Date('2026-06-30T12:00:00.000Z');
const BEFORE = new Date('2026-06-30T11:00:00.000Z');
const AFTER = new Date('2026-06-30T13:00:00.000Z');

describe('event log change stream pipeline', () => {
  it('passes inserted events (shaped like the change events of https://www.mongodb.com/docs/manual/reference/change-events/insert/) and nothing else', () => {
    const changes = [
      { _id: { _data: '1' }, operationType: 'insert', ns: { db: 'crm', coll: 'event_log' }, documentKey: { _id: 'a' }, fullDocument: { _id: 'a', tenant: 't', position: 7, name: 'deal.won', payload: { big: 'x' } } },
      { _id: { _data: '2' }, operationType: 'update', ns: { db: 'crm', coll: 'event_log' }, documentKey: { _id: 'a' }, updateDescription: { updatedFields: {} } },
      { _id: { _data: '3' }, operationType: 'delete', ns: { db: 'crm', coll: 'event_log' }, documentKey: { _id: 'a' } },
    ];
    const out = new Aggregator(eventLogWatchPipeline()).run(changes);
    expect(out).toEqual([{ _id: { _data: '1' }, operationType: 'insert', fullDocument: { tenant: 't', position: 7 } }]);
  });
});

describe('claimable subscription filter', () => {
  const base = { name: 's', tenant: 't', parkedAt: null, nextAttemptAt: null, leaseHolder: null, leaseUntil: null };
  it.each([
    ['free', base, true],
    ['its own lease', { ...base, leaseHolder: 'me', leaseUntil: AFTER }, true],
    ["another's running lease", { ...base, leaseHolder: 'other', leaseUntil: AFTER }, false],
    ["another's expired lease", { ...base, leaseHolder: 'other', leaseUntil: BEFORE }, true],
    ['a retry not due yet', { ...base, nextAttemptAt: AFTER }, false],
    ['a retry due', { ...base, nextAttemptAt: BEFORE }, true],
    ['parked', { ...base, parkedAt: BEFORE }, false],
    ['another subscription', { ...base, name: 'x' }, false],
    ['another tenant', { ...base, tenant: 'u' }, false],
  ])('%s -> %s', (_what, doc, ok) => expect(new Query(claimableFilter('s', 't', 'me', NOW)).test(doc)).toBe(ok));
});

describe('event erasure filter', () => {
  const ev = (payload: object, tenant = 't') => ({ tenant, position: 1, name: 'x', payload });
  const filter = eventErasureFilter('t', [7], ['web:ann'], ['Ann Lee', 'ann@x.test']);
  it.each([
    ['a customer.created of the record', ev({ customer: { id: 7, name: 'Ann Lee' } }), true],
    ['a message by the identity', ev({ actor: { identity: 'web:ann', customerId: null }, interaction: { text: 'hi' } }), true],
    ['an activity logged for the record', ev({ interaction: { customerId: 7, text: 'call' }, by: 'web:rep' }), true],
    ['a deal of the record', ev({ deal: { customerId: 7, title: 'D' } }), true],
    ['a message naming them', ev({ actor: { identity: 'web:bob' }, interaction: { text: 'ask ANN LEE about it' } }), true],
    ['an event about someone else', ev({ customer: { id: 8, name: 'Bob' } }), false],
    ['the same person in another tenant', ev({ customer: { id: 7, name: 'Ann Lee' } }, 'u'), false],
  ])('%s -> %s', (_what, doc, gone) => expect(new Query(filter).test(doc)).toBe(gone));
});
