import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openWriteBatch, SqliteWriteBatch, writeBatchOf } from './write-batch.js';

const open = () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  return db;
};

describe('SqliteWriteBatch', () => {
  it('runs the writes of one turn together, inside a transaction, each answering with its own result', async () => {
    const db = open();
    const batch = new SqliteWriteBatch(db);
    const insert = (k: string, v: number) => batch.run(() => {
      // Inside the batch a write is a savepoint of the batch's one transaction.
      if (!db.inTransaction) throw new Error('a write ran outside a transaction');
      return db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(k, v).changes;
    });
    const before = db.prepare('SELECT count(*) n FROM t');
    const pending = [insert('a', 1), insert('b', 2), insert('c', 3)];
    // Nothing is written, let alone answered, before the turn ends.
    expect((before.get() as { n: number }).n).toBe(0);
    expect(await Promise.all(pending)).toEqual([1, 1, 1]);
    expect(db.prepare('SELECT k, v FROM t ORDER BY k').all()).toEqual([{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'c', v: 3 }]);
  });

  it('undoes a failing write alone: the others of its batch are committed', async () => {
    const db = open();
    const batch = new SqliteWriteBatch(db);
    const results = await Promise.allSettled([
      batch.run(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('a', 1)),
      batch.run(() => {
        db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('b', 2);
        // The second statement fails (NOT NULL): the first of the same write is undone with it.
        return db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('b2', null);
      }),
      batch.run(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('c', 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT k FROM t ORDER BY k').all()).toEqual([{ k: 'a' }, { k: 'c' }]);
  });

  it('when the batch cannot commit, retries each write in its own transaction: only the bad one fails', async () => {
    const db = open();
    db.pragma('foreign_keys = ON');
    // A deferred foreign key is checked at COMMIT: one dangling row makes the whole batch's commit fail.
    db.exec('CREATE TABLE child (k TEXT PRIMARY KEY, parent TEXT REFERENCES t (k) DEFERRABLE INITIALLY DEFERRED)');
    const batch = new SqliteWriteBatch(db);
    const results = await Promise.allSettled([
      batch.run(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('a', 1).changes),
      batch.run(() => db.prepare('INSERT INTO child (k, parent) VALUES (?, ?)').run('orphan', 'nobody').changes),
      batch.run(() => db.prepare('INSERT INTO child (k, parent) VALUES (?, ?)').run('kid', 'a').changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(db.prepare('SELECT k FROM child ORDER BY k').all()).toEqual([{ k: 'kid' }]);
    expect(db.prepare('SELECT k FROM t').all()).toEqual([{ k: 'a' }]);
  });
  it('runs an atomic write without a savepoint: a failing statement is undone alone, the batch commits the rest', async () => {
    const db = open();
    const batch = new SqliteWriteBatch(db);
    const results = await Promise.allSettled([
      batch.runAtomic(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('a', 1).changes),
      // One statement of two rows, the second breaking NOT NULL: SQLite undoes the first row with it.
      batch.runAtomic(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?), (?, ?)').run('b', 2, 'b2', null).changes),
      batch.run(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('c', 3).changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT k FROM t ORDER BY k').all()).toEqual([{ k: 'a' }, { k: 'c' }]);
  });

  it.each([
    { windowMs: 0 as const, order: ['asked 1', 'write 1', 'asked 2', 'write 2'] },
    { windowMs: 'turn' as const, order: ['asked 1', 'asked 2', 'write 1', 'write 2'] },
  ])('writes asked by different callbacks of one turn share a transaction when the window is the turn (windowMs $windowMs)', async ({ windowMs, order }) => {
    const db = open();
    const batch = openWriteBatch(db, { windowMs, maxItems: 256 });
    const seen: string[] = [];
    const ask = (n: number) => new Promise<void>((done) => setImmediate(() => {
      // As two requests read in the same poll of the event loop: each its own callback, promise callbacks run between them.
      seen.push(`asked ${n}`);
      void batch.runAtomic(() => void seen.push(`write ${n}`)).then(done);
    }));
    await Promise.all([ask(1), ask(2)]);
    expect(seen).toEqual(order);
    expect(writeBatchOf(db)).toBe(batch);
    expect(() => openWriteBatch(db, { windowMs, maxItems: 256 })).toThrow(/already has its write batch/);
  });
});
