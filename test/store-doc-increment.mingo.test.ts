import { Query } from 'mingo';
import { updateOne } from 'mingo/updater';
import { describe, expect, it } from 'vitest';
import { docUpdateFilter } from '../core/store/mongo/filters.js';
import { docIncrementUpdate as docIncrement } from '../core/store/mongo/updates.js';
import { openSqliteStore } from '../core/store/sqlite/engine.js';

type Row = { tenant: string; plugin: string; collection: string; id: string; doc: Record<string, unknown>; version: number };

/**
 * `findOneAndUpdate(filter, update, { upsert: true })` as MongoDB documents it
 * (https://www.mongodb.com/docs/manual/reference/method/db.collection.updateOne/#upsert-behavior): a match gets the
 * update without `$setOnInsert`; otherwise a new document starts from the filter's equality fields, then
 * `$setOnInsert` and the other operators apply. The operators themselves run in mingo's updater.
 */
function upsert(rows: Row[], filter: Record<string, unknown>, update: ReturnType<typeof docIncrement>): Row {
  const { $setOnInsert, ...rest } = update;
  const found = rows.find((r) => new Query(filter).test(r));
  if (found) {
    updateOne([found], { id: found.id }, rest);
    return found;
  }
  const seed = Object.fromEntries(Object.entries(filter).filter(([, v]) => v === null || typeof v !== 'object')) as Row;
  updateOne([seed], {}, { $set: $setOnInsert, ...rest });
  rows.push(seed);
  return seed;
}

describe('mingo: a plugin document increment agrees with SQLite', () => {
  it('counts a missing document and a missing field from 0, adds to an existing one, raises the version, and touches no other tenant', async () => {
    const sqlite = openSqliteStore(':memory:');
    const steps: [tenant: string, id: string, field: string, by: number][] = [
      ['acme', 'hour|09', 'count', 1], ['acme', 'hour|09', 'count', 1], ['acme', 'hour|09', 'count', 5], ['acme', 'hour|09', 'other', -2],
      ['beta', 'hour|09', 'count', 3], ['acme', 'hour|10', 'count', 1], ['acme', 'hour|09', 'count', -7],
    ];
    const rows: Row[] = [];
    for (const [tenant, id, field, by] of steps) {
      const base = { tenant, plugin: 'social-listening', collection: 'hourly' };
      const mongo = upsert(rows, docUpdateFilter(base, id), docIncrement(id, field, by));
      const docs = sqlite.tenant(tenant).docs<{ id: string }>('social-listening', 'hourly');
      expect(mongo.doc[field]).toBe(await docs.increment(id, field, by));
      expect(mongo.doc).toEqual(await docs.get(id));
      expect(mongo.version).toBe((await docs.getVersioned(id))!.version);
    }
    expect(rows.map((r) => [r.tenant, r.id, r.doc])).toEqual([
      ['acme', 'hour|09', { id: 'hour|09', count: 0, other: -2 }],
      ['beta', 'hour|09', { id: 'hour|09', count: 3 }],
      ['acme', 'hour|10', { id: 'hour|10', count: 1 }],
    ]);
    await sqlite.close();
  });

  it('refuses an operator or a path as the field', () => {
    expect(() => docIncrement('a', '$where', 1)).toThrow(/invalid field name/);
    expect(() => docIncrement('a', 'n.$inc', 1)).toThrow(/invalid field name/);
  });
});
