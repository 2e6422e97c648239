import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from '../helpers/app.js';
import { postJson, snapshot } from './http.js';
import { commandEventKey } from '../../core/commands/once.js';

const HOUR = 3_600_000;

describe('bounded bookkeeping', () => {
  let app: TestApp;
  let now = Date.parse('2026-04-01T08:00:00.000Z');
  beforeAll(async () => {
    app = await startTestApp({}, { roles: { assign: { 'web:carol': 'customer', 'web:mona': 'manager' } } }, undefined, () => now);
  });
  afterAll(() => app.stop());
  const ledger = () => app.engine.store.tenant('default').ledger('loyalty', 'points');

  it('spends once for a /redeem retried with the same Idempotency-Key, and answers the retry the same', async () => {
    expect((await say(app, 'carol', '/points'))[0].text).toBe('You have 50 points to spend and 0 pending.');
    await say(app, 'mona', '/rewards add pen 20 5 Ballpoint pen');
    const redeem = (key: string) => postJson(app, '/web/api/message', { user: 'carol', text: '/redeem pen' }, { 'idempotency-key': key });

    const first = await redeem('redeem-pen-1');
    expect(first.status).toBe(200);
    expect(first.json.replies[0].text).toMatch(/^Redeemed Ballpoint pen for 20 points\. 30 points left\./);
    const retry = await redeem('redeem-pen-1');
    expect(retry.json).toEqual(first.json);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await ledger().balance('avail:1')).toBe(30);

    // Five copies of a new key at once: one runs, all get its answer.
    const burst = await Promise.all(Array.from({ length: 5 }, () => redeem('redeem-pen-2')));
    expect(new Set(burst.map((r) => JSON.stringify(r.json))).size).toBe(1);
    expect(await ledger().balance('avail:1')).toBe(10);

    // The same key for another request is refused, not replayed.
    const other = await postJson(app, '/web/api/message', { user: 'carol', text: '/points' }, { 'idempotency-key': 'redeem-pen-2' });
    expect(other.status).toBe(422);
    expect((await postJson(app, '/web/api/message', { user: 'carol', text: '/points' }, { 'idempotency-key': 'bad key with spaces' })).status).toBe(400);
  });

  it('forgets event ids and idempotency answers after a day, by the hourly prune job', async () => {
    const ev = { platform: 'telegram' as const, scope: null, actor: { identity: 'telegram:501', displayName: 'P' }, channel: '501', eventId: 'update-9001', text: '/crm whoami' };
    expect(await app.engine.handle(ev)).toHaveLength(1);
    expect(await app.engine.handle(ev)).toEqual([]); // a retried delivery within the day

    const keyed = () => postJson(app, '/web/api/message', { user: 'mona', text: '/crm whoami' }, { 'idempotency-key': 'k-prune' });
    expect((await keyed()).headers['idempotent-replayed']).toBeUndefined();

    // The mark that the whoami event's command ran, so a replay of the event runs nothing again.
    const commandMarks = () => (JSON.parse(snapshot(app)).idempotency as { key: string }[]).filter((r) => r.key === commandEventKey('telegram:update-9001'));
    now += 23 * HOUR;
    expect(await app.engine.scheduler.fire('core:prune', new Date(now))).toBe(true);
    expect(commandMarks()).toHaveLength(1);
    expect(await app.engine.handle(ev)).toEqual([]);
    expect((await keyed()).headers['idempotent-replayed']).toBe('true');

    now += 2 * HOUR;
    await app.engine.scheduler.fire('core:prune', new Date(now));
    expect(await app.engine.store.system.firstSeen('telegram:update-9001', new Date(now).toISOString())).toBe(true);
    // The mark that the event's command ran went with it.
    expect(commandMarks()).toEqual([]);
    expect((await keyed()).headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('web event ids', () => {
  it('are random: two processes on one store answer the same command at the same instant', async () => {
    const frozen = () => Date.parse('2026-04-02T08:00:00.000Z');
    const a = await startTestApp({}, undefined, undefined, frozen);
    const b = await startTestApp({ CRM_DATA_DIR: a.dataDir }, undefined, undefined, frozen);
    try {
      const [ra, rb] = await Promise.all([say(a, 'zoe', '/crm whoami'), say(b, 'zoe', '/crm whoami')]);
      expect(ra).toHaveLength(1);
      expect(rb).toHaveLength(1);
      const keys = (JSON.parse(snapshot(a)).events_seen as { key: string }[]).map((e) => e.key);
      expect(keys).toHaveLength(2);
      for (const k of keys) expect(k).toMatch(/^web:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
