import { afterAll, describe, expect, it } from 'vitest';
import { say, type TestApp } from './helpers/app.js';
import { fakeClock, newDataDir, startDigestApp } from './fixtures/kpi-digest/app.js';

const FILE = { roles: { assign: { 'web:mona': 'manager' } }, plugins: { 'kpi-digest': { enabled: true } } };

async function inbox(app: TestApp, user: string): Promise<{ text: string; image?: string }[]> {
  await app.engine.outbox.drain();
  return (await (await fetch(`${app.url}/web/api/inbox?user=${user}`)).json()).messages;
}

describe('kpi-digest on schedule, three processes on one data directory', () => {
  const dir = newDataDir();
  // 04:00 on 10 March in Shanghai.
  const clock = fakeClock('2026-03-09T20:00:00.000Z');
  let apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps) await a.stop();
  });

  it('sends a daily 08:00 Asia/Shanghai digest once, whichever processes fire the tick', async () => {
    const first = await startDigestApp(dir, clock.now, FILE);
    apps.push(first);
    const [r] = await say(first, 'mona', '/digest subscribe daily 08:00 Asia/Shanghai');
    expect(r.text).toMatch(/^Subscribed dg-[0-9a-f]{8}: daily at 08:00 Asia\/Shanghai to web:mona \(by web:mona\), showing the company view\./);
    const id = /dg-[0-9a-f]{8}/.exec(r.text)![0];
    // Two more processes start and register the job from the stored subscription.
    apps.push(await startDigestApp(dir, clock.now, FILE), await startDigestApp(dir, clock.now, FILE));
    expect(await inbox(first, 'mona')).toEqual([]);

    clock.set('2026-03-10T00:00:00.000Z');
    const fired = await Promise.all(apps.map((a) => a.engine.scheduler.fire(`kpi-digest:digest:${id}`, new Date('2026-03-10T00:00:00.000Z'))));
    expect(fired.filter(Boolean)).toHaveLength(1);
    const messages = await inbox(first, 'mona');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe('KPI digest, company view: 2026-03-09 00:00 to 2026-03-10 00:00 Asia/Shanghai, compared with the day before.');
    expect(messages[0]!.image).toMatch(/^data:image\/png;base64,/);
  });

  it('after a stop, sends only the last missed digest once, marked late, however many processes start', async () => {
    for (const a of apps) await a.stop();
    // Down through the 08:00 digests of 11 and 12 March; back at 11:00 on 12 March.
    clock.set('2026-03-12T03:00:00.000Z');
    apps = await Promise.all([1, 2].map(() => startDigestApp(dir, clock.now, FILE)));
    const messages = await inbox(apps[0]!, 'mona');
    expect(messages.map((m) => m.text)).toEqual([
      'KPI digest, company view: 2026-03-09 00:00 to 2026-03-10 00:00 Asia/Shanghai, compared with the day before.',
      'KPI digest (late), company view: 2026-03-11 00:00 to 2026-03-12 00:00 Asia/Shanghai, compared with the day before.',
    ]);
    apps.push(await startDigestApp(dir, clock.now, FILE));
    expect(await inbox(apps[0]!, 'mona')).toHaveLength(2);
  });

  it('stops after unsubscribe: the job is gone here, the other processes drop theirs at their next tick', async () => {
    const [list] = await say(apps[0]!, 'mona', '/digest list');
    const id = list.fields[0].label;
    const job = `kpi-digest:digest:${id}`;
    const fireAll = (iso: string) => Promise.all(apps.map((a) => a.engine.scheduler.fire(job, new Date(iso))));
    expect((await say(apps[0]!, 'mona', `/digest unsubscribe ${id}`))[0].text).toBe(`Unsubscribed ${id}; no more daily digests to web:mona.`);
    expect(await apps[0]!.engine.scheduler.fire(job, new Date('2026-03-12T23:00:00.000Z'))).toBe(false);
    clock.set('2026-03-13T00:00:00.000Z');
    // One of the two other processes claims this tick, finds no subscription and removes its job.
    expect((await fireAll('2026-03-13T00:00:00.000Z')).filter(Boolean)).toHaveLength(1);
    expect(await inbox(apps[0]!, 'mona')).toHaveLength(2);
    clock.set('2026-03-14T00:00:00.000Z');
    expect((await fireAll('2026-03-14T00:00:00.000Z')).filter(Boolean)).toHaveLength(1);
    clock.set('2026-03-15T00:00:00.000Z');
    expect(await fireAll('2026-03-15T00:00:00.000Z')).toEqual([false, false, false]);
    expect(await inbox(apps[0]!, 'mona')).toHaveLength(2);
    expect((await say(apps[0]!, 'mona', '/digest list'))[0].text).toMatch(/^No digest subscriptions/);
  });
});
