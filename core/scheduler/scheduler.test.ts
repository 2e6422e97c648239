import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/engine.js';
import { Scheduler } from './scheduler.js';

describe('Scheduler', () => {
  it('runs a tick once however many schedulers fire it, and each new tick again', async () => {
    const store = openSqliteStore(':memory:');
    const runs: string[] = [];
    const schedulers = ['a', 'b', 'c'].map((holder) => {
      const s = new Scheduler(store, holder, () => {});
      s.add({ name: 'digest', cron: '0 8 * * *', timezone: 'Asia/Shanghai', run: async (tick) => void runs.push(`${holder}@${tick}`) });
      return s;
    });
    const at = new Date('2026-06-30T00:00:12.345Z');
    const fired = await Promise.all(schedulers.map((s) => s.fire('digest', at)));
    expect(fired.filter(Boolean)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/@2026-06-30T00:00:00.000Z$/);
    await schedulers[1]!.fire('digest', new Date('2026-07-01T00:00:05.000Z'));
    expect(runs).toHaveLength(2);
    expect(await store.system.lastTick('digest')).toBe('2026-07-01T00:00:00.000Z');
  });

  it('refuses an invalid cron expression and a job scheduled twice', () => {
    const s = new Scheduler(openSqliteStore(':memory:'), 'a', () => {});
    expect(() => s.add({ name: 'x', cron: 'every minute', timezone: 'UTC', run: async () => {} })).toThrow(/invalid cron expression/);
    s.add({ name: 'y', cron: '0 8 * * *', timezone: 'UTC', run: async () => {} });
    expect(() => s.add({ name: 'y', cron: '0 9 * * *', timezone: 'UTC', run: async () => {} })).toThrow(/scheduled twice/);
  });

  it('on stop, waits for a job in flight within the grace period', async () => {
    const store = openSqliteStore(':memory:');
    let finish!: () => void;
    const done: string[] = [];
    const s = new Scheduler(store, 'w1', () => {});
    s.add({ name: 'poll', cron: '*/5 * * * *', timezone: 'UTC', run: async (tick) => { await new Promise<void>((ok) => (finish = ok)); done.push(tick); } });
    const firing = s.fire('poll', new Date('2026-03-29T00:55:00Z'));
    await new Promise((r) => setImmediate(r));
    const stopped = s.stop();
    expect(await s.fire('poll', new Date('2026-03-29T01:00:00Z'))).toBe(false);
    finish();
    expect(await stopped).toEqual([]);
    expect(await firing).toBe(true);
    expect(done).toEqual(['2026-03-29T00:55:00.000Z']);
    expect(await store.system.claimReleasedTick('poll', 'w2', '2026-03-29T01:00:00Z')).toBeNull();
  });

  it('on stop, gives back a tick still running after the grace period, and another worker re-runs it', async () => {
    const store = openSqliteStore(':memory:');
    const runs: string[] = [];
    const stuck = new Scheduler(store, 'w1', () => {}, () => {}, 0);
    stuck.add({ name: 'poll', cron: '*/5 * * * *', timezone: 'UTC', run: async (tick) => { runs.push(`w1@${tick}`); await new Promise(() => {}); } });
    void stuck.fire('poll', new Date('2026-03-29T00:55:00Z'));
    await new Promise((r) => setImmediate(r));
    expect(await stuck.stop()).toEqual([{ job: 'poll', tick: '2026-03-29T00:55:00.000Z' }]);

    const other = new Scheduler(store, 'w2', () => {});
    other.add({ name: 'poll', cron: '*/5 * * * *', timezone: 'UTC', run: async (tick) => void runs.push(`w2@${tick}`) });
    expect(await other.fire('poll', new Date('2026-03-29T01:00:00Z'))).toBe(true);
    expect(runs).toEqual(['w1@2026-03-29T00:55:00.000Z', 'w2@2026-03-29T01:00:00.000Z', 'w2@2026-03-29T00:55:00.000Z']);
    expect(await other.fire('poll', new Date('2026-03-29T01:05:00Z'))).toBe(true);
    expect(runs).toHaveLength(4);
  });

  it('reports a failing job without throwing', async () => {
    const errors: string[] = [];
    const s = new Scheduler(openSqliteStore(':memory:'), 'a', (job, e) => errors.push(`${job}: ${(e as Error).message}`));
    s.add({ name: 'boom', cron: '0 8 * * *', timezone: 'UTC', run: async () => { throw new Error('broken'); } });
    expect(await s.fire('boom', new Date())).toBe(true);
    expect(errors).toEqual(['boom: broken']);
  });
});
