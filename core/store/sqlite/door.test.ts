import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { doorFile, openSqliteStore } from './engine.js';
import type { Store } from '../port.js';

/**
 * The inbox and the rate buckets live in their own file, so recording a request never waits for the write lock
 * that the work (another thread or process) holds on the main file. Without it, SQLite's busy handler made the
 * waiter sleep, backing off up to 100 ms a try, and under steady writes elsewhere it waited seconds.
 */
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

describe('the door file', () => {
  it('records and spends while another connection holds the main file\'s write lock', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'crm-door-')), 'crm.sqlite');
    const store: Store = openSqliteStore(file);
    opened.push(store);
    const work = new Database(file);
    opened.push(work);
    work.pragma('busy_timeout = 0');
    work.exec('BEGIN IMMEDIATE');
    work.prepare("INSERT INTO events_seen (key, at) VALUES ('held', '2026-01-01')").run();

    await store.system.inbox.append([{ id: 'r1', event: '{}', holder: 'p1', leaseUntil: '2026-01-01T00:00:10.000Z' }]);
    expect(await store.system.rateBuckets.spend('identity', 'web:ann', 30, 1000, Date.parse('2026-01-01T00:00:00Z'))).not.toBeNull();
    await store.system.inbox.done(['r1']);
    work.exec('COMMIT');
  });

  it('is the file beside the main one, and an old main file\'s rows move there', async () => {
    expect(doorFile('/data/crm.sqlite')).toBe('/data/crm-door.sqlite');
    const file = join(mkdtempSync(join(tmpdir(), 'crm-door-')), 'crm.sqlite');
    const store = openSqliteStore(file);
    await store.system.inbox.append([{ id: 'r1', event: '{"text":"hi"}', holder: 'p1', leaseUntil: '2000-01-01T00:00:00.000Z' }]);
    await store.close();
    const main = new Database(file, { readonly: true });
    opened.push(main);
    expect(main.prepare("SELECT name FROM sqlite_master WHERE name IN ('inbox', 'rate_buckets')").all()).toEqual([]);
    const door = new Database(doorFile(file), { readonly: true });
    opened.push(door);
    expect(door.prepare('SELECT id, event FROM inbox').all()).toEqual([{ id: 'r1', event: '{"text":"hi"}' }]);
  });

  it('counts the buckets a door file already held before it kept a count, so the bound still holds after the upgrade', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'crm-door-')), 'crm.sqlite');
    await openSqliteStore(file).close();
    // A door file as the release before kept it: buckets, and no count of them.
    const old = new Database(doorFile(file));
    old.exec('DROP TRIGGER rate_bucket_added; DROP TRIGGER rate_bucket_removed; DROP TABLE rate_bucket_rows');
    const now = Date.parse('2026-01-01T00:00:00Z');
    const put = old.prepare("INSERT INTO rate_buckets (kind, key, tokens, at) VALUES ('source', ?, 5, ?)");
    for (const k of ['a', 'b', 'c']) put.run(k, now);
    old.close();

    const store = openSqliteStore(file);
    opened.push(store);
    expect(await store.system.rateBuckets.spend('source', 'd', 5, 3, now)).toBeNull();
    expect(await store.system.rateBuckets.spend('source', 'a', 5, 3, now)).toMatchObject({ spent: true });
    await store.system.rateBuckets.prune(now + 120_000);
    expect(await store.system.rateBuckets.spend('source', 'd', 5, 3, now + 120_000)).toMatchObject({ spent: true });
    const door = new Database(doorFile(file), { readonly: true });
    opened.push(door);
    expect(door.prepare("SELECT n FROM rate_bucket_rows WHERE kind = 'source'").get()).toEqual({ n: 1 });
  });
});
