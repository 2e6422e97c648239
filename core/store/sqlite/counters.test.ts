import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextId } from './counters.js';
import { SqliteWriteBatch } from './write-batch.js';

// The counters table as migrations.ts creates it, and a table of rows keyed by the ids taken.
const SCHEMA = `CREATE TABLE counters (tenant TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (tenant, name));
  CREATE TABLE rows (tenant TEXT NOT NULL, id INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY (tenant, id));`;

const open = (file = ':memory:') => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA.replaceAll('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS'));
  return db;
};
const stored = (db: Database.Database, tenant = 't') =>
  (db.prepare('SELECT value FROM counters WHERE tenant = ? AND name = ?').get(tenant, 'row') as { value: number } | undefined)?.value ?? 0;
const insertRow = (db: Database.Database, tenant: string, note: string) => {
  const id = nextId(db, tenant, 'row');
  db.prepare('INSERT INTO rows (tenant, id, note) VALUES (?, ?, ?)').run(tenant, id, note);
  return id;
};

describe('counters taken in a write batch', () => {
  it('hands the writes of one batch consecutive ids per tenant and stores each counter once, at the end', async () => {
    const db = open();
    const batch = new SqliteWriteBatch(db);
    const ids = await Promise.all([
      batch.run(() => insertRow(db, 't', 'a')),
      batch.run(() => insertRow(db, 'u', 'x')),
      batch.run(() => insertRow(db, 't', 'b')),
      // Read inside the batch, before its end: the stored counter has not moved yet.
      batch.run(() => [insertRow(db, 't', 'c'), stored(db)]),
    ]);
    expect(ids).toEqual([1, 1, 2, [3, 0]]);
    expect([stored(db, 't'), stored(db, 'u')]).toEqual([3, 1]);
    // Outside a batch the counter moves at once, from the stored value.
    expect(db.transaction(() => insertRow(db, 't', 'd'))()).toBe(4);
    expect(await batch.run(() => insertRow(db, 't', 'e'))).toBe(5);
    expect(stored(db)).toBe(5);
  });

  it('never hands out an id twice when a write is undone by its savepoint: its id stays unused', async () => {
    const db = open();
    const batch = new SqliteWriteBatch(db);
    const results = await Promise.allSettled([
      batch.run(() => insertRow(db, 't', 'a')),
      batch.run(() => {
        insertRow(db, 't', 'undone');
        throw new Error('boom');
      }),
      batch.run(() => insertRow(db, 't', 'c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT id, note FROM rows ORDER BY id').all()).toEqual([{ id: 1, note: 'a' }, { id: 3, note: 'c' }]);
    expect(stored(db)).toBe(3);
  });

  it('when the batch cannot commit and each write is retried alone, the counter ends past every stored id', async () => {
    const db = open();
    db.pragma('foreign_keys = ON');
    // A deferred foreign key is checked at COMMIT: one dangling row makes the whole batch's commit fail.
    db.exec('CREATE TABLE child (k TEXT PRIMARY KEY, parent TEXT REFERENCES child (k) DEFERRABLE INITIALLY DEFERRED)');
    const batch = new SqliteWriteBatch(db);
    const results = await Promise.allSettled([
      batch.run(() => insertRow(db, 't', 'a')),
      batch.run(() => db.prepare('INSERT INTO child (k, parent) VALUES (?, ?)').run('orphan', 'nobody').changes),
      batch.run(() => insertRow(db, 't', 'b')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = db.prepare('SELECT id, note FROM rows ORDER BY id').all() as { id: number; note: string }[];
    expect(rows.map((r) => r.note)).toEqual(['a', 'b']);
    expect(rows.map((r) => r.id)).toEqual([(results[0] as PromiseFulfilledResult<number>).value, (results[2] as PromiseFulfilledResult<number>).value]);
    expect(stored(db)).toBe(rows.at(-1)!.id);
  });

  it('continues from what another connection to the same file took meanwhile', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'crm-counters-')), 'crm.sqlite');
    const [a, b] = [open(file), open(file)];
    const batchA = new SqliteWriteBatch(a);
    expect(await Promise.all([batchA.run(() => insertRow(a, 't', 'a1')), batchA.run(() => insertRow(a, 't', 'a2'))])).toEqual([1, 2]);
    expect(await new SqliteWriteBatch(b).run(() => insertRow(b, 't', 'b1'))).toBe(3);
    expect(b.transaction(() => insertRow(b, 't', 'b2')).immediate()).toBe(4);
    expect(await batchA.run(() => insertRow(a, 't', 'a3'))).toBe(5);
    expect((a.prepare('SELECT id FROM rows ORDER BY id').all() as { id: number }[]).map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
