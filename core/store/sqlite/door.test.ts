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
});
