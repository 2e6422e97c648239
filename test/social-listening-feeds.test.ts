import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from './helpers/app.js';

const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;
const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>${items}</channel></rss>`;

/** Feed edge cases against a local feed server: removal during a poll, edited items, re-added sources, cut-off feeds. */
describe('listening sources', () => {
  let app: TestApp;
  let feeds: Server;
  let base: string;
  let editBody = 'Acme raises prices.';
  let slowArrived: () => void = () => undefined;
  let releaseSlow: () => void = () => undefined;

  let tick = 0;
  // Each poll is its own scheduled tick (a tick runs once).
  const poll = async () => expect(await app.engine.scheduler.fire('social-listening:poll-sources', new Date(Date.parse('2026-01-01T00:00:00Z') + ++tick * 300_000))).toBe(true);
  const mentions = () => app.engine.store.tenant('default').docs<{ id: string; channel: string; excerpt: string }>('social-listening', 'mentions').find({}, { limit: 1000 });
  const sources = () => app.engine.store.tenant('default').docs<{ id: string }>('social-listening', 'sources');

  beforeAll(async () => {
    feeds = createServer((req, res) => {
      if (req.url === '/edited.xml') {
        // No guid, no link: the item is known by its title and date; its body gets edited between polls.
        return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(`<item><title>Acme price change</title><pubDate>Mon, 02 Mar 2026 09:30:00 GMT</pubDate><description>${editBody}</description></item>`));
      }
      if (req.url === '/cut.xml') {
        const full = rss('<item><title>Acme one</title><guid>c1</guid></item><item><title>Acme two</title><guid>c2</guid><description>long text');
        return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(full.slice(0, full.indexOf('</channel>')));
      }
      if (req.url === '/slow.xml') {
        slowArrived();
        return void new Promise<void>((r) => (releaseSlow = r)).then(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('<item><title>Acme slow news</title><guid>s1</guid></item>')));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
    app = await startTestApp({}, {
      roles: { assign: { 'web:mona': 'manager' } },
      plugins: { 'social-listening': { enabled: true, config: { pollCron: '*/5 * * * *' } } },
    });
    await say(app, 'mona', '/listen add brand acme');
  });
  afterAll(async () => {
    releaseSlow();
    await app.stop();
    await new Promise((r) => feeds.close(r));
  });

  it('says the poll interval of the configured schedule', async () => {
    expect((await say(app, 'mona', `/listen source add rss ${base}/edited.xml`))[0].text).toBe(`Source S-1 added (rss ${base}/edited.xml); it is polled every 5 minutes.`);
    expect((await say(app, 'mona', '/listen source list'))[0].text).toBe('1 source, polled every 5 minutes:');
  });

  it('does not turn an edited item without guid or link into a second mention', async () => {
    await poll();
    editBody = 'Acme raises prices by 5% (updated with a statement from Acme).';
    await poll();
    const found = (await mentions()).filter((m) => m.channel === 'rss:S-1');
    expect(found.map((m) => m.excerpt)).toEqual(['Acme price change — Acme raises prices.']);
  });

  it('does not re-read old items as new when a source is removed and added again', async () => {
    expect((await say(app, 'mona', '/listen source remove S-1'))[0].text).toBe('Source S-1 removed; its past mentions stay.');
    expect((await say(app, 'mona', `/listen source add rss ${base}/edited.xml`))[0].text).toMatch(/^Source S-1 added/);
    const before = (await mentions()).length;
    await poll();
    expect(await mentions()).toHaveLength(before);
    expect(field((await say(app, 'mona', '/listen source list'))[0], 'S-1')).toMatch(/, ok$/);
  });

  it('marks a cut-off feed as an error on the source and reads nothing from it', async () => {
    expect((await say(app, 'mona', `/listen source add rss ${base}/cut.xml`))[0].text).toMatch(/^Source S-2 added/);
    const before = (await mentions()).length;
    await poll();
    expect(await mentions()).toHaveLength(before);
    expect(field((await say(app, 'mona', '/listen source list'))[0], 'S-2')).toMatch(/skipped: the feed is cut off \(no closing <\/rss>\); nothing was read from it$/);
    await say(app, 'mona', '/listen source remove S-2');
  });

  it('keeps a source removed while it was being polled removed', async () => {
    expect((await say(app, 'mona', `/listen source add rss ${base}/slow.xml`))[0].text).toMatch(/^Source S-2 added/);
    const arrived = new Promise<void>((r) => (slowArrived = r));
    const polling = poll();
    await arrived;
    expect((await say(app, 'mona', '/listen source remove S-2'))[0].text).toBe('Source S-2 removed; its past mentions stay.');
    releaseSlow();
    await polling;
    expect(await sources().get('S-2')).toBeNull();
    expect(field((await say(app, 'mona', '/listen source list'))[0], 'S-2')).toBeUndefined();
    expect((await mentions()).filter((m) => m.channel === 'rss:S-2')).toEqual([]);
  });
});
