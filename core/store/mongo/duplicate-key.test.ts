import { describe, expect, it } from 'vitest';
import { duplicateIndex, indexName, isDuplicateOn } from './duplicate-key.js';

// Shapes of the server's E11000 reply as the Node driver surfaces it: MongoServerError carries keyPattern
// and keyValue (https://www.mongodb.com/docs/manual/core/index-unique/ and the driver's MongoServerError),
// insertMany raises MongoBulkWriteError with writeErrors (https://mongodb.github.io/node-mongodb-native/6.0/classes/MongoBulkWriteError.html).
const serverError = {
  code: 11000,
  errmsg: 'E11000 duplicate key error collection: crm.outbox index: tenant_1_idempotencyKey_1 dup key: { tenant: "acme", idempotencyKey: "k1" }',
  keyPattern: { tenant: 1, idempotencyKey: 1 },
  keyValue: { tenant: 'acme', idempotencyKey: 'k1' },
};
const onOutboxId = { code: 11000, errmsg: 'E11000 duplicate key error collection: crm.outbox index: id_1 dup key: { id: 7 }', keyPattern: { id: 1 }, keyValue: { id: 7 } };
const bulkError = {
  code: 11000,
  writeErrors: [{ code: 11000, errmsg: 'E11000 duplicate key error collection: crm.ledger_entries index: tenant_1_plugin_1_ledger_1_key_1 dup key: { ... }' }],
};
const messageOnly = { code: 11000, message: 'E11000 duplicate key error index: _id_ dup key: { _id: "slack:Ev1" }' };

describe('duplicate-key classification', () => {
  it.each([
    ['a server error with its key pattern', serverError, 'tenant_1_idempotencyKey_1'],
    ['a collision on the outbox id', onOutboxId, 'id_1'],
    ['a bulk write error', bulkError, 'tenant_1_plugin_1_ledger_1_key_1'],
    ['a message naming the _id index', messageOnly, '_id_'],
    ['another error', { code: 112, message: 'WriteConflict' }, null],
    ['not an error at all', undefined, null],
    ['a duplicate that names no index', { code: 11000, message: 'E11000' }, '?'],
  ])('%s', (_label, e, index) => {
    expect(duplicateIndex(e)).toBe(index);
  });

  it('names indexes as MongoDB does by default', () => {
    expect(indexName({ tenant: 1, sourceEventId: 1 })).toBe('tenant_1_sourceEventId_1');
    expect(indexName({ _id: 1 })).toBe('_id_');
  });

  it('treats only the idempotency index as "already queued", never the outbox id', () => {
    expect(isDuplicateOn(serverError, { tenant: 1, idempotencyKey: 1 })).toBe(true);
    expect(isDuplicateOn(onOutboxId, { tenant: 1, idempotencyKey: 1 })).toBe(false);
  });
});
