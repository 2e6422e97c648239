import { describe, expect, it } from 'vitest';
import { caseClosing, erasedCustomer, nameKey, newCase, newCustomer, newDeal, newMerge, queuedOutbox, stageMove } from './records.js';
import * as sqlite from './sqlite/codecs.js';
import * as mongo from './mongo/codecs.js';

const NOW = '2026-03-02T10:00:00.000Z';
const LATER = '2026-03-05T16:30:00.000Z';

describe('reading stored records: one record whatever the engine stored', () => {
  // Each case: a SQLite row (snake_case, JSON text, 0/1 flags, NULLs), the MongoDB document (Dates, _id, lookup keys,
  // missing optional fields), and the port record both must read as.
  const cases = [
    {
      kind: 'customer',
      row: {
        tenant: 't1', id: 7, name: 'Ana Pérez', name_lc: 'ana pérez', company: null, emails: '["ana@x.org"]', phones: '[]', tags: '["vip"]',
        owner: 'web:sam', lifecycle: 'lead', consent: `{"marketing":false,"surveys":true,"updatedAt":"${NOW}"}`, merged_into: null,
        created_at: NOW, updated_at: LATER,
      },
      doc: {
        _id: 'oid', tenant: 't1', id: 7, name: 'Ana Pérez', nameLc: 'ana pérez', company: null, emails: ['ana@x.org'], phones: [], tags: ['vip'],
        owner: 'web:sam', lifecycle: 'lead', consent: { marketing: false, surveys: true, updatedAt: NOW }, mergedInto: null,
        createdAt: new Date(NOW), updatedAt: new Date(LATER),
      },
      read: [sqlite.toCustomer, mongo.toCustomer],
      record: {
        tenant: 't1', id: 7, name: 'Ana Pérez', company: null, emails: ['ana@x.org'], phones: [], tags: ['vip'], owner: 'web:sam',
        lifecycle: 'lead', consent: { marketing: false, surveys: true, updatedAt: NOW }, mergedInto: null, createdAt: NOW, updatedAt: LATER,
      },
    },
    {
      kind: 'identity (flags as 0/1 and booleans, no locale stored)',
      row: {
        tenant: 't1', identity: 'slack:T1:U1', platform: 'slack', display_name: 'Ana', role: 'customer', customer_id: 7, verified: 1,
        locale: null, timezone: 'Europe/Madrid', reachable: 0, last_seen_at: LATER, created_at: NOW,
      },
      doc: {
        _id: 'oid', tenant: 't1', identity: 'slack:T1:U1', platform: 'slack', displayName: 'Ana', role: 'customer', customerId: 7, verified: true,
        timezone: 'Europe/Madrid', reachable: false, lastSeenAt: new Date(LATER), createdAt: new Date(NOW),
      },
      read: [sqlite.toIdentity, mongo.toIdentity],
      record: {
        tenant: 't1', identity: 'slack:T1:U1', platform: 'slack', displayName: 'Ana', role: 'customer', customerId: 7, verified: true,
        locale: null, timezone: 'Europe/Madrid', reachable: false, lastSeenAt: LATER, createdAt: NOW,
      },
    },
    {
      kind: 'interaction that was an edited chat message',
      row: {
        tenant: 't1', id: 3, customer_id: 7, identity: 'slack:T1:U1', type: 'message', channel: 'slack', direction: 'in', text: 'v2',
        amount_minor: null, currency: null, occurred_at: NOW, source_event_id: 'ev1', message_id: 'slack:C1:1.2',
        edits: `[{"text":"v1","at":"${LATER}"}]`, deleted: 0,
      },
      doc: {
        _id: 'oid', tenant: 't1', id: 3, customerId: 7, identity: 'slack:T1:U1', type: 'message', channel: 'slack', direction: 'in', text: 'v2',
        amountMinor: null, currency: null, occurredAt: new Date(NOW), sourceEventId: 'ev1', messageId: 'slack:C1:1.2',
        edits: [{ text: 'v1', at: LATER }],
      },
      read: [sqlite.toInteraction, mongo.toInteraction],
      record: {
        tenant: 't1', id: 3, customerId: 7, identity: 'slack:T1:U1', type: 'message', channel: 'slack', direction: 'in', text: 'v2',
        amountMinor: null, currency: null, occurredAt: NOW, sourceEventId: 'ev1', messageId: 'slack:C1:1.2', edits: [{ text: 'v1', at: LATER }],
      },
    },
    {
      kind: 'interaction that never was a chat message keeps the plain shape',
      row: {
        tenant: 't1', id: 4, customer_id: null, identity: null, type: 'purchase', channel: 'import', direction: 'in', text: '',
        amount_minor: 1250, currency: 'EUR', occurred_at: NOW, source_event_id: null, message_id: null, edits: null, deleted: 0,
      },
      doc: {
        _id: 'oid', tenant: 't1', id: 4, customerId: null, identity: null, type: 'purchase', channel: 'import', direction: 'in', text: '',
        amountMinor: 1250, currency: 'EUR', occurredAt: new Date(NOW), sourceEventId: null, edits: [],
      },
      read: [sqlite.toInteraction, mongo.toInteraction],
      record: {
        tenant: 't1', id: 4, customerId: null, identity: null, type: 'purchase', channel: 'import', direction: 'in', text: '',
        amountMinor: 1250, currency: 'EUR', occurredAt: NOW, sourceEventId: null,
      },
    },
    {
      kind: 'deal',
      row: {
        tenant: 't1', id: 2, customer_id: 7, title: 'Renewal', amount_minor: 90000, currency: 'EUR', stage: 'won', probability: 100,
        owner: 'web:sam', expected_close: null, closed_at: LATER, lost_reason: null,
        history: `[{"stage":"lead","at":"${NOW}","by":"web:sam"},{"stage":"won","at":"${LATER}","by":"web:sam"}]`, created_at: NOW, updated_at: LATER,
      },
      doc: {
        _id: 'oid', tenant: 't1', id: 2, customerId: 7, title: 'Renewal', amountMinor: 90000, currency: 'EUR', stage: 'won', probability: 100,
        owner: 'web:sam', expectedClose: null, closedAt: new Date(LATER), lostReason: null,
        history: [{ stage: 'lead', at: NOW, by: 'web:sam' }, { stage: 'won', at: LATER, by: 'web:sam' }], createdAt: new Date(NOW), updatedAt: new Date(LATER),
      },
      read: [sqlite.toDeal, mongo.toDeal],
      record: {
        tenant: 't1', id: 2, customerId: 7, title: 'Renewal', amountMinor: 90000, currency: 'EUR', stage: 'won', probability: 100, owner: 'web:sam',
        expectedClose: null, closedAt: LATER, lostReason: null,
        history: [{ stage: 'lead', at: NOW, by: 'web:sam' }, { stage: 'won', at: LATER, by: 'web:sam' }], createdAt: NOW, updatedAt: LATER,
      },
    },
    {
      kind: 'case stored before closings were recorded',
      row: {
        tenant: 't1', id: 1, customer_id: 7, kind: 'complaint', owner: null, status: 'closed', summary: 'late', due_at: null, opened_at: NOW,
        closed_at: LATER, closed_by: null, resolution: null, first_response_at: null,
      },
      doc: { _id: 'oid', tenant: 't1', id: 1, customerId: 7, kind: 'complaint', owner: null, status: 'closed', summary: 'late', dueAt: null, openedAt: new Date(NOW), closedAt: new Date(LATER) },
      read: [sqlite.toCase, mongo.toCase],
      record: {
        tenant: 't1', id: 1, customerId: 7, kind: 'complaint', owner: null, status: 'closed', summary: 'late', dueAt: null, openedAt: NOW,
        closedAt: LATER, closedBy: null, resolution: null, firstResponseAt: null,
      },
    },
    {
      kind: 'merge',
      row: {
        tenant: 't1', id: 1, from_id: 8, into_id: 7, identities: '["web:ana"]', interaction_ids: '[3,4]', deal_ids: '[]', by: 'web:sam', at: NOW, undone_at: null,
      },
      doc: { _id: 'oid', tenant: 't1', id: 1, fromId: 8, intoId: 7, identities: ['web:ana'], interactionIds: [3, 4], dealIds: [], by: 'web:sam', at: new Date(NOW), undoneAt: null },
      read: [sqlite.toMerge, mongo.toMerge],
      record: { tenant: 't1', id: 1, fromId: 8, intoId: 7, identities: ['web:ana'], interactionIds: [3, 4], dealIds: [], by: 'web:sam', at: NOW, undoneAt: null },
    },
    {
      kind: 'outbox item with no part delivered yet',
      row: {
        id: 9, tenant: 't1', platform: 'telegram', target: 'telegram:42', reply: '{"text":"hi"}', status: 'pending', attempts: 1,
        next_attempt_at: NOW, lease_holder: 'w1', lease_until: LATER, idempotency_key: 'k1', last_error: null, created_at: NOW, sent_at: null, parts: '{}',
      },
      doc: {
        _id: 'oid', id: 9, tenant: 't1', platform: 'telegram', target: 'telegram:42', reply: { text: 'hi' }, status: 'pending', attempts: 1,
        nextAttemptAt: new Date(NOW), leaseHolder: 'w1', leaseUntil: new Date(LATER), idempotencyKey: 'k1', lastError: null, createdAt: new Date(NOW), sentAt: null,
      },
      read: [sqlite.toOutbox, mongo.toOutbox],
      record: {
        id: 9, tenant: 't1', platform: 'telegram', target: 'telegram:42', reply: { text: 'hi' }, status: 'pending', attempts: 1, nextAttemptAt: NOW,
        leaseHolder: 'w1', leaseUntil: LATER, idempotencyKey: 'k1', lastError: null, createdAt: NOW, sentAt: null, parts: {},
      },
    },
  ] as const;

  it.each(cases)('$kind', ({ row, doc, read, record }) => {
    const [fromRow, fromDoc] = read as unknown as [(r: object) => unknown, (d: object) => unknown];
    expect(fromRow(row)).toStrictEqual(record);
    expect(fromDoc(doc)).toStrictEqual(record);
  });
});

describe('records each engine writes', () => {
  it.each([
    ['a new customer with only a name', () => newCustomer('t1', 1, { name: 'Bo' }, NOW), {
      tenant: 't1', id: 1, name: 'Bo', company: null, emails: [], phones: [], tags: [], owner: null, lifecycle: 'lead',
      consent: { marketing: false, surveys: true, updatedAt: NOW }, mergedInto: null, createdAt: NOW, updatedAt: NOW,
    }],
    ['a new customer with everything', () => newCustomer('t1', 2, { name: 'Cy', company: 'Acme', emails: ['c@a.io'], phones: ['+1'], tags: ['x'], owner: 'web:sam', lifecycle: 'customer' }, NOW), {
      tenant: 't1', id: 2, name: 'Cy', company: 'Acme', emails: ['c@a.io'], phones: ['+1'], tags: ['x'], owner: 'web:sam', lifecycle: 'customer',
      consent: { marketing: false, surveys: true, updatedAt: NOW }, mergedInto: null, createdAt: NOW, updatedAt: NOW,
    }],
    ['an erased customer', () => erasedCustomer(5, LATER), {
      name: 'Erased C-5', company: null, emails: [], phones: [], tags: [], consent: { marketing: false, surveys: false, updatedAt: LATER }, updatedAt: LATER,
    }],
    ['a new deal', () => newDeal('t1', 3, { customerId: 7, title: 'T', amountMinor: 500, currency: 'USD', stage: 'lead', probability: 10, owner: 'web:sam', expectedClose: null }, 'web:sam', NOW), {
      tenant: 't1', id: 3, customerId: 7, title: 'T', amountMinor: 500, currency: 'USD', stage: 'lead', probability: 10, owner: 'web:sam', expectedClose: null,
      closedAt: null, lostReason: null, history: [{ stage: 'lead', at: NOW, by: 'web:sam' }], createdAt: NOW, updatedAt: NOW,
    }],
    ['a move to a closing stage', () => stageMove({ stage: 'lost', at: LATER, by: 'web:sam', probability: 0, closed: true, lostReason: 'price' }), {
      set: { stage: 'lost', probability: 0, updatedAt: LATER, closedAt: LATER, lostReason: 'price' }, entry: { stage: 'lost', at: LATER, by: 'web:sam' },
    }],
    ['a move back to an open stage clears the closing', () => stageMove({ stage: 'proposal', at: LATER, by: 'web:sam', probability: 50, closed: false }), {
      set: { stage: 'proposal', probability: 50, updatedAt: LATER, closedAt: null, lostReason: null }, entry: { stage: 'proposal', at: LATER, by: 'web:sam' },
    }],
    ['a new case', () => newCase('t1', 4, { customerId: 7, kind: 'complaint', owner: null, summary: 's', dueAt: LATER }, NOW), {
      tenant: 't1', id: 4, customerId: 7, kind: 'complaint', owner: null, status: 'open', summary: 's', dueAt: LATER, openedAt: NOW, closedAt: null,
      closedBy: null, resolution: null, firstResponseAt: null,
    }],
    ['a case closed with a resolution, which is a first response', () => caseClosing(LATER, { by: 'web:sam', resolution: 'refund' }), {
      set: { status: 'closed', closedAt: LATER, closedBy: 'web:sam', resolution: 'refund' }, firstResponseAt: LATER,
    }],
    ['a case closed without one', () => caseClosing(LATER), { set: { status: 'closed', closedAt: LATER, closedBy: null, resolution: null }, firstResponseAt: null }],
    ['a merge', () => newMerge('t1', 6, 8, 7, { identities: ['web:a'], interactionIds: [1], dealIds: [2] }, 'web:sam', NOW), {
      tenant: 't1', id: 6, fromId: 8, intoId: 7, identities: ['web:a'], interactionIds: [1], dealIds: [2], by: 'web:sam', at: NOW, undoneAt: null,
    }],
    ['a message queued now', () => queuedOutbox('t1', { platform: 'slack', target: 'slack:T1:U1', reply: { text: 'x' }, idempotencyKey: 'k' }, NOW), {
      tenant: 't1', platform: 'slack', target: 'slack:T1:U1', reply: { text: 'x' }, status: 'pending', attempts: 0, nextAttemptAt: NOW, leaseHolder: null,
      leaseUntil: null, idempotencyKey: 'k', lastError: null, createdAt: NOW, sentAt: null, parts: {},
    }],
    ['a message queued for later', () => queuedOutbox('t1', { platform: 'web', target: 'web:a', reply: { text: 'x' }, idempotencyKey: 'k2', notBefore: LATER }, NOW).nextAttemptAt, LATER],
  ] as const)('%s', (_title, build, expected) => {
    expect(build()).toStrictEqual(expected);
  });

  it.each([
    ['Ana', 'ana'], ['ŒUVRE Ltd', 'œuvre ltd'], ['İstanbul', 'i̇stanbul'], ['ALREADY lower', 'already lower'],
  ])('the name key of %j is %j', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });

  it('an erased name keys like any other name', () => {
    expect(nameKey(erasedCustomer(12, NOW).name)).toBe('erased c-12');
  });

  it('what an engine writes reads back as the same record on each engine', () => {
    const c = newCustomer('t1', 1, { name: 'Bo', emails: ['b@x.io'] }, NOW);
    expect(mongo.toCustomer(mongo.customerDoc(c))).toStrictEqual(c);
    const k = newCase('t1', 1, { customerId: 1, kind: 'k', owner: null, summary: 's', dueAt: null }, NOW);
    expect(mongo.toCase(mongo.caseDoc(k))).toStrictEqual(k);
    const m = newMerge('t1', 1, 2, 1, { identities: [], interactionIds: [], dealIds: [] }, 'web:sam', NOW);
    expect(mongo.toMerge(mongo.mergeDoc(m))).toStrictEqual(m);
    const o = { id: 1, ...queuedOutbox('t1', { platform: 'web', target: 'web:a', reply: { text: 'x' }, idempotencyKey: 'k' }, NOW) };
    expect(mongo.toOutbox(mongo.outboxDoc(o))).toStrictEqual(o);
  });
});
