import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

/** Spikes on a moved clock: a sliding 60-minute window over the mentions' own times, and a baseline before alerting. */
describe('spike alerts over time', () => {
  let app: TestApp;
  let feeds: Server;
  let feedBase: string;
  let now = Date.parse('2026-03-01T10:00:00Z');
  let items = '';
  const at = (iso: string) => (now = Date.parse(iso));
  const spikes = async () => {
    await app.engine.outbox.drain();
    const res = await fetch(`${app.url}/web/api/inbox?user=lead`);
    return ((await res.json()) as { messages: any[] }).messages.filter((m) => /^Spike/.test(m.text));
  };

  beforeAll(async () => {
    feeds = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel>${items}</channel></rss>`);
    });
    await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', r));
    feedBase = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
    app = await startTestApp({}, {
      roles: { assign: { 'web:mona': 'manager', 'web:lead': 'manager' } },
      rateLimit: { commandsPerMinute: 1000 },
      plugins: { 'social-listening': { enabled: true, config: { alertTarget: { platform: 'web', target: 'web:lead' }, baselineHours: 1 } } },
    }, undefined, () => now);
    await say(app, 'mona', '/listen add brand acme');
    await say(app, 'mona', '/listen add award award');
  });
  afterAll(async () => {
    await app.stop();
    await new Promise((r) => feeds.close(r));
  });

  it('alerts on a burst that straddles the turn of the hour (3 mentions before 14:00, 2 after)', async () => {
    for (const t of ['13:57', '13:58', '13:59', '14:01']) {
      at(`2026-03-01T${t}:00Z`);
      await say(app, `fan-${t.replace(":", "")}`, 'acme is great, love it');
    }
    expect(await spikes()).toEqual([]);
    at('2026-03-01T14:02:00Z');
    await say(app, 'fan-last', 'acme is great, love it');
    const [alert, ...more] = await spikes();
    expect(more).toEqual([]);
    expect(alert.text).toMatch(/^Spike: 5 mentions of "brand" within 60 minutes \(2026-03-01 13:57 to 2026-03-01 14:02 UTC\), against a 7-day baseline of 0\/hour \(sd 0, z = 5\)\.\nSentiment: 0 negative \(0%\), 0 neutral \(0%\), 5 positive \(100%\)\.\nLatest: fan-last/);
    expect(field(alert, 'Burst')).toBe('burst.brand.20260301T1357');
  });

  it('alerts on a feed burst published before the hour turned and polled after it, once, and triage tags the whole burst', async () => {
    items = ['50', '51', '52', '53', '54', '55'].map((m) =>
      `<item><title>Award news ${m}</title><guid>a${m}</guid><pubDate>Sun, 01 Mar 2026 14:${m}:00 GMT</pubDate><description>Acme-free award story.</description></item>`).join('');
    expect((await say(app, 'mona', `/listen source add rss ${feedBase}/feed.xml`))[0].text).toMatch(/^Source S-1 added/);
    at('2026-03-01T15:05:00Z');
    expect(await app.engine.scheduler.fire('social-listening:poll-sources', new Date(now))).toBe(true);
    const award = (await spikes()).filter((a) => a.text.includes('"award"'));
    expect(award).toHaveLength(1);
    expect(award[0].text).toMatch(/^Spike: 5 mentions of "award" within 60 minutes \(2026-03-01 14:50 to 2026-03-01 14:54 UTC\)/);
    expect(field(award[0], 'Sentiment')).toMatch(/^0 negative/);

    const lead = award[0].buttons.find((b: { label: string }) => b.label === 'Lead');
    const pressed = await web(app, '/web/api/action', { user: 'lead', action: lead.id, value: lead.value });
    expect(pressed.json.replies[0].text).toBe('Burst burst.award.20260301T1450: 6 mentions of "award" tagged lead by web:lead.');
    expect((await say(app, 'mona', '/mentions list today tag:lead'))[0].text).toBe('Mentions (tagged lead) in the last 24 hours: 6, page 1 of 1.');
  });

  it('records an old backlog without calling it a spike now', async () => {
    items = ['10', '11', '12', '13', '14', '15'].map((m) =>
      `<item><title>Old award ${m}</title><guid>old${m}</guid><pubDate>Fri, 27 Feb 2026 09:${m}:00 GMT</pubDate><description>From the archive.</description></item>`).join('');
    at('2026-03-01T15:20:00Z');
    const before = (await spikes()).length;
    await app.engine.scheduler.fire('social-listening:poll-sources', new Date(now));
    expect((await say(app, 'mona', '/mentions list week query:award'))[0].text).toMatch(/: 12, page 1 of 2\.$/);
    expect(await spikes()).toHaveLength(before);
  });

  it('a new query builds its baseline before it can alert, and says so', async () => {
    at('2026-03-01T16:00:00Z');
    expect((await say(app, 'mona', '/listen add fresh zeppelin'))[0].text)
      .toBe('Listening for fresh: zeppelin. Try it with /listen test fresh <some text>. Spike alerts start once its baseline has formed: 1 hour of listening, from 2026-03-01 17:00 UTC.');
    expect(field((await say(app, 'mona', '/listen list'))[0], 'fresh')).toBe('zeppelin (by web:mona); baseline still forming, spike alerts from 2026-03-01 17:00 UTC');
    for (let i = 0; i < 6; i++) {
      at(`2026-03-01T16:1${i}:00Z`);
      await say(app, `z${i}`, 'zeppelin tickets sold out');
    }
    expect((await spikes()).filter((a) => a.text.includes('"fresh"'))).toEqual([]);

    for (let i = 0; i < 6; i++) {
      at(`2026-03-01T17:3${i}:00Z`);
      await say(app, `z${i}`, 'zeppelin tickets sold out');
    }
    expect(field((await say(app, 'mona', '/listen list'))[0], 'fresh')).toBe('zeppelin (by web:mona)');
    const fresh = (await spikes()).filter((a) => a.text.includes('"fresh"'));
    expect(fresh).toHaveLength(1);
    expect(fresh[0].text).toMatch(/^Spike: 5 mentions of "fresh" within 60 minutes \(2026-03-01 17:30 to 2026-03-01 17:34 UTC\)/);
  });
});
