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

  it('reports a failing job without throwing', async () => {
    const errors: string[] = [];
    const s = new Scheduler(openSqliteStore(':memory:'), 'a', (job, e) => errors.push(`${job}: ${(e as Error).message}`));
    s.add({ name: 'boom', cron: '0 8 * * *', timezone: 'UTC', run: async () => { throw new Error('broken'); } });
    expect(await s.fire('boom', new Date())).toBe(true);
    expect(errors).toEqual(['boom: broken']);
  });
});
