import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

async function inbox(app: TestApp, user: string): Promise<any[]> {
  await app.engine.outbox.drain();
  const res = await fetch(`${app.url}/web/api/inbox?user=${user}`);
  return ((await res.json()) as { messages: any[] }).messages;
}

describe('social listening through the web chat', () => {
  let app: TestApp;
  let feeds: Server;
  let feedBase: string;
  let feedHits = 0;

  beforeAll(async () => {
    feeds = createServer((req, res) => {
      if (req.url === '/feed.xml') {
        feedHits++;
        if (req.headers['if-none-match'] === '"f1"') return void res.writeHead(304).end();
        const now = new Date().toUTCString();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"f1"' }).end(`<?xml version="1.0"?><rss version="2.0"><channel>
          <item><title>Acme wins award</title><link>https://news.test/1</link><guid>n1</guid><pubDate>${now}</pubDate><description>Acme is excellent.</description></item>
          <item><title>Weather</title><guid>n2</guid><description>Rain tomorrow.</description></item>
          <item><title>Broken &amp; odd<title></item>
        </channel></rss>`);
      } else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Not a feed</body></html>');
    });
    await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', r));
    feedBase = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, {
      currency: 'EUR',
      tenants: [{ id: 'acme' }],
      roles: { assign: { 'web:mona': 'manager', 'web:carl': 'customer' } },
      plugins: { 'social-listening': { enabled: true, config: { alertTarget: { platform: 'web', target: 'web:community-lead' }, baselineHours: 0 } } },
    });
  });
  afterAll(async () => {
    await app.stop();
    await new Promise((r) => feeds.close(r));
  });

  it('manages queries with roles and clear parse errors', async () => {
    expect((await say(app, 'alice', '/listen add brand acme'))[0].text).toMatch(/needs the role admin or manager; you are rep/);
    expect((await say(app, 'mona', '/listen add bad acme AND (corp OR'))[0].text)
      .toBe('Query error at 18: expected a term or "(" after OR. Usage: /listen add <name> <query>');
    expect((await say(app, 'mona', '/listen add {"$gt":1} acme'))[0].text).toMatch(/is not a query name/);
    expect((await say(app, 'mona', '/listen add brand "acme" OR acmecorp'))[0].text).toBe('Listening for brand: "acme" OR acmecorp. Try it with /listen test brand <some text>.');
    expect((await say(app, 'mona', '/listen add brand acme'))[0].text).toMatch(/already a query "brand"/);
    expect((await say(app, 'mona', '/listen add tmp widget*'))[0].text).toMatch(/^Listening for tmp/);
    expect((await say(app, 'mona', '/listen remove tmp'))[0].text).toMatch(/^Stopped listening for tmp/);
    const [list] = await say(app, 'alice', '/listen list');
    expect(list.fields).toEqual([{ label: 'brand', value: '"acme" OR acmecorp (by web:mona)' }]);

    const [hit] = await say(app, 'alice', '/listen test brand Honestly ＡＣＭＥ is great');
    expect(hit.text).toBe('Match: brand ("acme" OR acmecorp) matches at 10-13.');
    expect(field(hit, 'Where')).toBe('Honestly [ＡＣＭＥ] is great');
    expect(field(hit, 'Sentiment')).toMatch(/^positive/);
    expect((await say(app, 'alice', '/listen test brand acmes everywhere'))[0].text).toMatch(/^No match/);
  });

  it('records a brand mention with its sentiment and shows it in /mentions', async () => {
    expect(await say(app, 'bob', 'acme support is terrible, very bad')).toEqual([]);
    await say(app, 'bob', 'unrelated chatter about lunch');
    const [r] = await say(app, 'alice', '/mentions');
    expect(r.text).toBe('Mentions of all queries in the last 7 days: 1 (new: none in the previous 7 days).');
    expect(field(r, 'Sentiment')).toMatch(/^1 negative \(100%\), 0 neutral \(0%\), 0 positive \(0%\); average score -0\.\d+$/);
    expect(field(r, 'Top authors')).toBe('bob (web:bob): 1');
    expect(field(r, 'Top channels')).toBe('web (web): 1');
    expect(field(r, 'Latest')).toMatch(/^m\d+\.brand negative -0\.\d+: "acme support is terrible, very bad"$/);
    expect((await say(app, 'alice', '/mentions today brand'))[0].text).toMatch(/^Mentions of "brand" in the last 24 hours: 1/);
    expect((await say(app, 'alice', '/mentions week nosuch'))[0].text).toBe('No query named "nosuch". See them with /listen list.');
  });

  it('turns a burst of negative mentions into exactly one spike alert with triage buttons that tag the mention', async () => {
    for (let i = 0; i < 10; i++) await say(app, `fan${i}`, `acme is awful today, really bad (${i})`);
    const alerts = (await inbox(app, 'community-lead')).filter((m) => /^Spike/.test(m.text));
    expect(alerts).toHaveLength(1);
    const alert = alerts[0];
    expect(alert.text).toMatch(/^Spike: 5 mentions of "brand" within 60 minutes \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} to \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\), against a 7-day baseline of 0\/hour \(sd 0, z = 5\)\.\nSentiment: 5 negative \(100%\), 0 neutral \(0%\), 0 positive \(0%\)\./);
    expect(alert.buttons.map((b: { label: string }) => b.label)).toEqual(['Bug', 'Complaint', 'Lead', 'Praise', 'Ignore']);

    // The buttons triage the whole burst: bob's mention and the 10 of the fans so far, not only the latest.
    const bug = alert.buttons[0];
    const pressed = await web(app, '/web/api/action', { user: 'community-lead', action: bug.id, value: bug.value });
    const burst = field(alert, 'Burst')!;
    expect(pressed.json.replies[0].text).toBe(`Burst ${burst}: 11 mentions of "brand" tagged bug by web:community-lead.`);
    expect((await say(app, 'alice', '/mentions list tag:bug'))[0].text).toMatch(/^Mentions \(tagged bug\) in the last 7 days: 11, page 1 of 2\.$/);
    const [listed] = await say(app, 'alice', '/mentions list tag:bug');
    const id = listed.fields[0].label;
    const again = await web(app, '/web/api/action', { user: 'community-lead', action: 'mentions.tag', value: `${id} complaint` });
    expect(again.json.replies[0].text).toBe(`Mention ${id} tagged complaint (was bug) by web:community-lead.`);
    expect((await say(app, 'alice', '/mentions tag nope bug'))[0].text).toBe('No mention nope. Ids are shown in /mentions and in alerts.');
    expect((await say(app, 'alice', `/mentions tag ${id} urgent`))[0].text).toMatch(/"urgent" is not a tag; use bug, complaint, lead, praise, ignore/);

    // Still one alert after more of the same hour.
    await say(app, 'fan0', 'acme acme, bad bad');
    expect((await inbox(app, 'community-lead')).filter((m) => /^Spike/.test(m.text))).toHaveLength(1);
  });

  it('alerts on a negative mention from a high-value customer, shows it on their card, exports and erases it', async () => {
    expect((await say(app, 'carl', 'hello'))).toEqual([]);
    const [found] = await say(app, 'alice', '/customer show carl');
    const cid = /^(C-\d+)/.exec(found.text)![1]!;
    await say(app, 'alice', `/log purchase ${cid} yearly plan 2,400`);
    await say(app, 'carl', 'acmecorp billing is a disaster, I am furious');

    const negative = (await inbox(app, 'community-lead')).filter((m) => /^Negative mention/.test(m.text));
    expect(negative).toHaveLength(1);
    // Carl is the only buyer: one distinct value scores RFM 1-1-1 (CRM-METHOD quintiles), so he is high-value by spend.
    expect(negative[0].text).toMatch(new RegExp(`^Negative mention \\(brand, score -0\\.\\d+\\) from customer ${cid} spent €2,400\\.00`));
    expect(negative[0].buttons).toHaveLength(5);

    const [card] = await say(app, 'alice', `/customer show ${cid}`);
    expect(field(card, 'Mentions (30 days)')).toBe('1: 1 negative (100%), 0 neutral (0%), 0 positive (0%)');
    expect(field(card, 'Last interactions')).toMatch(/mention: negative: acmecorp billing is a disaster/);

    const [exported] = await say(app, 'boss', `/crm export ${cid}`);
    const data = JSON.parse(exported.text.slice(exported.text.indexOf('\n') + 1));
    expect(data.plugins['social-listening'].mentions).toHaveLength(1);
    expect(data.plugins['social-listening'].activity[0]).toMatchObject({ identity: 'web:carl', messages: 2, mentions: 1 });

    await say(app, 'boss', `/crm forget ${cid}`);
    const [after] = await say(app, 'alice', `/customer show ${cid}`);
    expect(field(after, 'Mentions (30 days)')).toBe('none');
  });

  it('shows influencers with the parts of their score', async () => {
    const [r] = await say(app, 'alice', '/mentions influencers week');
    expect(r.text).toMatch(/^Most influential members over the last 7 days/);
    expect(field(r, 'fan0 (web:fan0)')).toBe('10/100 = reach 0 (0 members replied to them) + activity 10 (2 messages, 2 mentions) + value 0 (€0.00 spent)');
  });

  it('polls RSS sources on schedule, de-duplicates entries, uses conditional GET and skips HTML', async () => {
    expect((await say(app, 'mona', '/listen source add rss ftp://example.com/feed'))[0].text).toMatch(/Refused: only http and https URLs can be polled, not ftp:/);
    expect((await say(app, 'alice', `/listen source add rss ${feedBase}/feed.xml`))[0].text).toMatch(/needs the role admin or manager/);
    expect((await say(app, 'mona', `/listen source add rss ${feedBase}/feed.xml`))[0].text).toMatch(/^Source S-1 added/);
    expect((await say(app, 'mona', `/listen source add rss ${feedBase}/page.html`))[0].text).toMatch(/^Source S-2 added/);
    expect((await say(app, 'mona', `/listen source add json ${feedBase}/api`))[0].text).toMatch(/Say where the text is in each item/);

    // A configured tenant that no one in this chat belongs to is polled too, with its own queries.
    const acme = (name: string) => app.engine.store.tenant('acme').docs<any>('social-listening', name);
    await acme('queries').put({ id: 'award', name: 'award', query: 'award', createdBy: 'web:boss', createdAt: '2026-01-01T00:00:00Z' });
    await acme('sources').put({ id: 'S-1', kind: 'rss', url: `${feedBase}/feed.xml`, field: null, etag: null, lastModified: null, addedBy: 'web:boss', addedAt: '2026-01-01T00:00:00Z', lastPolledAt: null, lastError: null });

    const before = (await say(app, 'alice', '/mentions today brand'))[0].text;
    const volume = (t: string) => Number(/: (\d+) \(/.exec(t)![1]);
    expect(await app.engine.scheduler.fire('social-listening:poll-sources', new Date('2026-01-01T00:15:00Z'))).toBe(true);
    const afterFirst = (await say(app, 'alice', '/mentions today brand'))[0];
    expect(volume(afterFirst.text)).toBe(volume(before) + 1);
    expect(field(afterFirst, 'Top channels')).toMatch(/rss:S-1 \(rss\): 1/);

    expect((await acme('mentions').find({}, { limit: 10 })).map((m: { query: string; channel: string }) => `${m.query} ${m.channel}`)).toEqual(['award rss:S-1']);
    expect((await acme('sources').get('S-1'))).toMatchObject({ lastPolledAt: expect.any(String), lastError: null, etag: '"f1"' });

    await app.engine.scheduler.fire('social-listening:poll-sources', new Date('2026-01-01T00:30:00Z'));
    expect(volume((await say(app, 'alice', '/mentions today brand'))[0].text)).toBe(volume(before) + 1);
    expect(await acme('mentions').find({}, { limit: 10 })).toHaveLength(1);
    expect(feedHits).toBe(4);

    const [list] = await say(app, 'alice', '/listen source list');
    expect(field(list, 'S-1')).toMatch(/, ok$/);
    expect(field(list, 'S-2')).toMatch(/skipped: the URL returned an HTML page, not an RSS or Atom feed$/);
    expect((await say(app, 'mona', '/listen source remove S-2'))[0].text).toBe('Source S-2 removed; its past mentions stay.');
  });
});
