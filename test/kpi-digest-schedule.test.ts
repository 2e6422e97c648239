import { afterAll, describe, expect, it } from 'vitest';
import { say, type TestApp } from './helpers/app.js';
import { fakeClock, newDataDir, startDigestApp } from './fixtures/kpi-digest/app.js';

const FILE = { roles: { assign: { 'web:mona': 'manager' } }, plugins: { 'kpi-digest': { enabled: true } } };
const JOB = 'kpi-digest:due';
const ON_TIME = 'KPI digest, company view: 2026-03-09 00:00 to 2026-03-10 00:00 Asia/Shanghai, compared with the day before.';

/** Delivers what `sender` (a worker) has queued, then reads the web chat inbox through `reader` (a web process). */
async function inbox(reader: TestApp, user: string, sender: TestApp = reader): Promise<{ text: string; image?: string }[]> {
  await sender.engine.outbox.drain();
  return (await (await fetch(`${reader.url}/web/api/inbox?user=${user}`)).json()).messages;
}

/** The minute tick as every process's node-cron would fire it: the clock moves there, all of them try. */
function tickAll(clock: ReturnType<typeof fakeClock>, apps: TestApp[], iso: string): Promise<boolean[]> {
  clock.set(iso);
  return Promise.all(apps.map((a) => a.engine.scheduler.fire(JOB, new Date(iso))));
}

describe('kpi-digest minute tick, three processes on one data directory', () => {
  const dir = newDataDir();
  // 04:00 on 10 March in Shanghai.
  const clock = fakeClock('2026-03-09T20:00:00.000Z');
  let apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps) await a.stop();
  });

  it('sends a daily 08:00 Asia/Shanghai digest subscribed in one process once, at that minute only', async () => {
    apps = await Promise.all([1, 2, 3].map(() => startDigestApp(dir, clock.now, FILE)));
    const [r] = await say(apps[0]!, 'mona', '/digest subscribe daily 08:00 Asia/Shanghai');
    expect(r.text).toMatch(/^Subscribed dg-[0-9a-f]{8}: daily at 08:00 Asia\/Shanghai to web:mona \(by web:mona\), showing the company view\./);
    const id = /dg-[0-9a-f]{8}/.exec(r.text)![0];

    for (const minute of ['2026-03-09T20:01:00.000Z', '2026-03-09T23:59:00.000Z']) {
      expect((await tickAll(clock, apps, minute)).filter(Boolean)).toHaveLength(1);
    }
    expect(await inbox(apps[0]!, 'mona')).toEqual([]);

    expect((await tickAll(clock, apps, '2026-03-10T00:00:00.000Z')).filter(Boolean)).toHaveLength(1);
    const messages = await inbox(apps[0]!, 'mona');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe(ON_TIME);
    expect(messages[0]!.image).toMatch(/^data:image\/png;base64,/);

    for (const minute of ['2026-03-10T00:01:00.000Z', '2026-03-10T00:30:00.000Z', '2026-03-10T12:00:00.000Z']) {
      expect((await tickAll(clock, apps, minute)).filter(Boolean)).toHaveLength(1);
    }
    expect(await inbox(apps[1]!, 'mona')).toHaveLength(1);
    const [list] = await say(apps[2]!, 'mona', '/digest list');
    expect(list.fields).toEqual([{ label: id, value: 'daily at 08:00 Asia/Shanghai to web:mona (by web:mona; last due 2026-03-10T00:00:00.000Z)' }]);
  });

  it('after everything was down, sends only the last missed digest once, marked late, at the next tick', async () => {
    for (const a of apps) await a.stop();
    // Down through the 08:00 digests of 11 and 12 March; back at 11:00 on 12 March.
    clock.set('2026-03-12T03:00:00.000Z');
    apps = await Promise.all([1, 2].map(() => startDigestApp(dir, clock.now, FILE)));
    expect(await inbox(apps[0]!, 'mona')).toHaveLength(1);

    expect((await tickAll(clock, apps, '2026-03-12T03:00:00.000Z')).filter(Boolean)).toHaveLength(1);
    expect((await inbox(apps[0]!, 'mona')).map((m) => m.text)).toEqual([
      ON_TIME,
      'KPI digest (late), company view: 2026-03-11 00:00 to 2026-03-12 00:00 Asia/Shanghai, compared with the day before.',
    ]);
    apps.push(await startDigestApp(dir, clock.now, FILE));
    for (const minute of ['2026-03-12T03:01:00.000Z', '2026-03-12T03:02:00.000Z']) {
      expect((await tickAll(clock, apps, minute)).filter(Boolean)).toHaveLength(1);
    }
    expect(await inbox(apps[2]!, 'mona')).toHaveLength(2);
  });

  it('stops for every process after an unsubscribe through another one', async () => {
    const [list] = await say(apps[0]!, 'mona', '/digest list');
    const id = list.fields[0].label;
    expect((await say(apps[1]!, 'mona', `/digest unsubscribe ${id}`))[0].text).toBe(`Unsubscribed ${id}; no more daily digests to web:mona.`);
    for (const minute of ['2026-03-13T00:00:00.000Z', '2026-03-13T00:06:00.000Z', '2026-03-14T00:00:00.000Z']) {
      expect((await tickAll(clock, apps, minute)).filter(Boolean)).toHaveLength(1);
    }
    expect(await inbox(apps[0]!, 'mona')).toHaveLength(2);
    expect((await say(apps[2]!, 'mona', '/digest list'))[0].text).toMatch(/^No digest subscriptions/);
  });
});

describe('kpi-digest with separate web and worker processes', () => {
  const dir = newDataDir();
  const clock = fakeClock('2026-03-09T20:00:00.000Z');
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps) await a.stop();
  });

  it('a worker already running sends a subscription taken by the web process, and stops after an unsubscribe there', async () => {
    const web = await startDigestApp(dir, clock.now, FILE, 'web');
    const worker = await startDigestApp(dir, clock.now, FILE, 'worker');
    apps.push(web, worker);
    expect(worker.port).toBeNull();
    const [r] = await say(web, 'mona', '/digest subscribe daily 08:00 Asia/Shanghai');
    const id = /dg-[0-9a-f]{8}/.exec(r.text)![0];

    expect(await tickAll(clock, [worker], '2026-03-10T00:00:00.000Z')).toEqual([true]);
    const messages = await inbox(web, 'mona', worker);
    expect(messages.map((m) => m.text)).toEqual([ON_TIME]);

    expect((await say(web, 'mona', `/digest unsubscribe ${id}`))[0].text).toBe(`Unsubscribed ${id}; no more daily digests to web:mona.`);
    expect(await tickAll(clock, [worker], '2026-03-11T00:00:00.000Z')).toEqual([true]);
    expect(await inbox(web, 'mona', worker)).toHaveLength(1);
  });
});
