import { afterEach, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from './helpers/app.js';

const users = Array.from({ length: 10 }, (_, i) => `c${i + 1}`);
const roles = { assign: { ...Object.fromEntries(users.map((u) => [`web:${u}`, 'customer'])), 'web:mona': 'manager' } };
const surveys = (config: object) => ({ roles, plugins: { surveys: { enabled: true, config } } });
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

async function inbox(app: TestApp, user: string): Promise<{ text: string }[]> {
  return (await (await fetch(`${app.url}/web/api/inbox?user=${user}`)).json()).messages;
}

async function drain(app: TestApp): Promise<void> {
  while ((await app.engine.outbox.drain(500)) > 0);
}

/** Fires the fan-out job minute after minute until the campaign is done. */
async function finish(app: TestApp, id: string): Promise<void> {
  const campaigns = app.engine.store.tenant('default').docs<{ id: string; status: string }>('surveys', 'campaigns');
  for (let i = 1; i <= 30 && (await campaigns.get(id))!.status !== 'done'; i++) {
    await app.engine.scheduler.fire('surveys:fanout', new Date(Date.now() + i * 60_000));
  }
}

describe('surveys fan-out', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.stop();
  });

  it('survives a stop in the middle: after restart everyone has exactly one survey, counted once', async () => {
    const config = surveys({ pageSize: 3, maxRecipientsPerTick: 3, quietHours: { start: '00:00', end: '00:00' } });
    const first = await startTestApp({}, config);
    for (const u of users) await say(first, u, 'hi');
    const [sent] = await say(first, 'mona', '/survey send nps to everyone');
    expect(sent.text).toMatch(/^Survey S-1 \(NPS\) to everyone: 3 queued; .* The rest goes out in the background/);
    // Crash before the cursor of the first page was saved: the next process redoes that page.
    const campaigns = first.engine.store.tenant('default').docs<{ id: string; lastCustomerId: number }>('surveys', 'campaigns');
    await campaigns.put({ ...(await campaigns.get('S-1'))!, lastCustomerId: 0 });
    await first.stop();

    const second = await startTestApp({ CRM_DATA_DIR: first.dataDir }, config);
    apps.push(second);
    await finish(second, 'S-1');
    await drain(second);
    for (const u of users) expect((await inbox(second, u)).filter((m) => m.text.includes('survey S-1')), u).toHaveLength(1);
    const [results] = await say(second, 'mona', '/survey results S-1');
    expect(results.fields.find((f: { label: string }) => f.label === 'Sent').value).toBe('10 queued as direct messages');
    expect(results.fields.find((f: { label: string }) => f.label === 'Delivered').value).toBe('10 of 10');
  });

  it('holds messages during quiet hours and sends them when they end', async () => {
    const now = Date.now();
    const app = await startTestApp({}, surveys({ quietHours: { start: hhmm(now - 3_600_000), end: hhmm(now + 3_600_000) } }));
    apps.push(app);
    for (const u of users.slice(0, 3)) await say(app, u, 'hi');
    const [sent] = await say(app, 'mona', '/survey send csat to everyone');
    expect(sent.text).toBe('Survey S-1 (CSAT) to everyone: 0 queued, 3 waiting for quiet hours to end; 0 not reachable, 0 opted out, 0 surveyed in the last 30 days. The rest goes out in the background, page by page; see the results any time.');
    await drain(app);
    expect(await inbox(app, 'c1')).toEqual([]);

    await app.engine.scheduler.fire('surveys:fanout', new Date(now + 30 * 60_000));
    await drain(app);
    expect(await inbox(app, 'c1')).toEqual([]);

    await app.engine.scheduler.fire('surveys:fanout', new Date(now + 2 * 3_600_000));
    await drain(app);
    for (const u of users.slice(0, 3)) expect(await inbox(app, u)).toHaveLength(1);
    const [results] = await say(app, 'mona', '/survey results');
    expect(results.fields.find((f: { label: string }) => f.label === 'Sent').value).toBe('3 queued as direct messages');
    expect(results.fields.find((f: { label: string }) => f.label === 'Status').value).toMatch(/^done /);
  });

  it('sends Discord DMs up to the daily cap, then one channel post whose clicks count as answers', async () => {
    const app = await startTestApp({}, surveys({ discordDmCap: 2, discordChannel: '4242424242', quietHours: { start: '00:00', end: '00:00' } }));
    apps.push(app);
    const ts = app.engine.store.tenant('default');
    const now = new Date().toISOString();
    for (let i = 1; i <= 5; i++) {
      const c = await ts.customers.create({ name: `member ${i}` }, now);
      await ts.identities.touch({ identity: `discord:100${i}`, platform: 'discord', displayName: `member ${i}`, role: 'customer', customerId: c.id, locale: 'zh-CN' }, now);
    }
    const [sent] = await say(app, 'mona', '/survey send nps to everyone');
    expect(sent.text).toMatch(/^Survey S-1 \(NPS\) to everyone: 2 queued, 3 reached by one Discord channel post; 0 not reachable/);
    const click = (n: number, value: string) => app.engine.handle({
      platform: 'discord', scope: null, actor: { identity: `discord:100${n}`, displayName: `member ${n}`, locale: 'zh-CN' }, channel: '4242424242',
      eventId: `click-${n}-${value}`, text: '', action: { id: 'survey.answer', value },
    });
    expect((await click(5, 'S-1 9'))[0]!.text).toBe('谢谢！我们已记录您对调查 S-1 的评分：9。原因是什么？请回复 /survey why S-1 <您的理由>');
    expect((await click(1, 'S-1 10'))[0]!.text).toMatch(/^谢谢！/);
    const [results] = await say(app, 'mona', '/survey results');
    expect(results.text).toBe('Survey S-1 (NPS) to everyone: 2 answered of 5 reached.');
  });
});
