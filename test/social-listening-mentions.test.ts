import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../core/index.js';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

describe('/mentions pages and filters', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, {
      roles: { assign: { 'web:mona': 'manager' } },
      rateLimit: { commandsPerMinute: 1000 },
      plugins: { 'social-listening': { enabled: true, config: {} } },
    });
    await say(app, 'mona', '/listen add brand acme');
    await say(app, 'mona', '/listen add rival globex');
    // 23 mentions of brand: 8 negative, 15 positive; 4 of rival.
    for (let i = 0; i < 23; i++) await say(app, `u${i}`, i % 3 === 0 ? `acme is terrible and broken (${i})` : `acme is great, love it (${i})`);
    for (let i = 0; i < 4; i++) await say(app, `r${i}`, `globex is fine (${i})`);
  });
  afterAll(() => app.stop());

  it('lists mentions ten a page, newest first, with next and previous page buttons', async () => {
    const [first] = await say(app, 'mona', '/mentions list query:brand');
    expect(first.text).toBe('Mentions (query brand) in the last 7 days: 23, page 1 of 3.');
    expect(first.fields).toHaveLength(10);
    expect(first.fields[0].value).toMatch(/web web, u22: positive [\d.]+ "acme is great, love it \(22\)"$/);
    expect(first.buttons).toEqual([{ id: 'mentions.list', label: 'Next page', value: 'week query:brand page 2' }]);

    const second = (await web(app, '/web/api/action', { user: 'mona', action: first.buttons[0].id, value: first.buttons[0].value })).json.replies[0];
    expect(second.text).toBe('Mentions (query brand) in the last 7 days: 23, page 2 of 3.');
    expect(second.fields[0].value).toMatch(/u12: /);
    expect(second.buttons.map((b: { label: string }) => b.label)).toEqual(['Previous page', 'Next page']);
    const [third] = await say(app, 'mona', '/mentions list brand page 3');
    expect(third.fields.map((f: { value: string }) => /, (u\d+):/.exec(f.value)![1])).toEqual(['u2', 'u1', 'u0']);
    expect(third.buttons).toEqual([{ id: 'mentions.list', label: 'Previous page', value: 'week query:brand page 2' }]);
    expect((await say(app, 'mona', '/mentions list brand page 4'))[0].text).toBe('Mentions (query brand) in the last 7 days fill 3 pages; ask for page 1 to 3.');
  });

  it('filters by sentiment, query, channel, platform and tag, in the list and the report', async () => {
    expect((await say(app, 'mona', '/mentions list negative'))[0].text).toBe('Mentions (negative) in the last 7 days: 8, page 1 of 1.');
    expect((await say(app, 'mona', '/mentions list rival'))[0].text).toBe('Mentions (query rival) in the last 7 days: 4, page 1 of 1.');
    expect((await say(app, 'mona', '/mentions list channel:web platform:web'))[0].text).toBe('Mentions (channel web, platform web) in the last 7 days: 27, page 1 of 3.');
    expect((await say(app, 'mona', '/mentions list platform:rss'))[0].text).toBe('No mentions (platform rss) in the last 7 days.');

    const [neg] = await say(app, 'mona', '/mentions list negative brand');
    await say(app, 'mona', `/mentions tag ${neg.fields[0].label} bug`);
    expect((await say(app, 'mona', '/mentions list tag:bug'))[0].fields.map((f: { label: string }) => f.label)).toEqual([neg.fields[0].label]);
    expect((await say(app, 'mona', '/mentions list negative tag:none'))[0].text).toBe('Mentions (negative, untagged) in the last 7 days: 7, page 1 of 1.');

    const [report] = await say(app, 'mona', '/mentions week brand negative');
    expect(report.text).toBe('Mentions of "brand" (negative) in the last 7 days: 8 (new: none in the previous 7 days). All of them: /mentions list week negative query:brand');
    expect(field(report, 'Sentiment')).toMatch(/^8 negative \(100%\), 0 neutral \(0%\), 0 positive \(0%\)/);
    expect((await say(app, 'mona', '/mentions list tag:urgent'))[0].text).toMatch(/"tag:urgent" is not a filter/);
    expect((await say(app, 'mona', '/mentions list query:nosuch'))[0].text).toBe('No query named "nosuch". See them with /listen list.');
  });
});

describe('influence: a community voice against a silent big spender', () => {
  let app: TestApp;
  let n = 0;
  /** A community message as an adapter hands it over, with the platform's message id and what it replies to. */
  const post = (who: string, text: string, inReplyTo?: string) => {
    const id = `msg-${++n}`;
    const ev: ChatEvent = { platform: 'web', scope: null, actor: { identity: `web:${who}`, displayName: who }, channel: 'general', eventId: id, text, messageId: id, ...(inReplyTo ? { inReplyTo } : {}) };
    return app.engine.handle(ev).then(() => id);
  };

  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, {
      currency: 'EUR',
      roles: { assign: { 'web:mona': 'manager', 'web:rich': 'customer', 'web:member1': 'customer' } },
      rateLimit: { commandsPerMinute: 1000 },
      plugins: { 'social-listening': { enabled: true, config: { alertTarget: { platform: 'web', target: 'web:lead' } } } },
    });
    await say(app, 'mona', '/listen add brand acme');
  });
  afterAll(() => app.stop());

  it('ranks the member others answer above the customer who only spends, and alerts on the voice\'s complaint', async () => {
    await post('rich', 'hello');
    const [found] = await say(app, 'mona', '/customer show rich');
    const cid = /^(C-\d+)/.exec(found.text)![1]!;
    await say(app, 'mona', `/log purchase ${cid} enterprise plan 10,000`);

    const voiced: string[] = [];
    for (let i = 0; i < 60; i++) voiced.push(await post('voice', i < 8 ? `tip ${i}: acme exports work best as csv` : `tip ${i}: try the keyboard shortcuts`));
    // 13 different members reply to the voice; one of them three times (counted once), and the voice answering itself counts for nothing.
    for (let i = 0; i < 13; i++) await post(`member${i}`, 'thanks, that helped', voiced[i]);
    await post('member0', 'and again thanks', voiced[20]);
    await post('member0', 'and once more', voiced[21]);
    await post('voice', 'replying to myself', voiced[0]);

    const [r] = await say(app, 'mona', '/mentions influencers month');
    expect(r.fields.map((f: { label: string }) => f.label).slice(0, 2)).toEqual(['voice (web:voice)', 'rich (web:rich)']);
    expect(field(r, 'voice (web:voice)')).toBe('50/100 = reach 23 (13 members replied to them) + activity 27 (61 messages, 8 mentions) + value 0 (€0.00 spent)');
    expect(field(r, 'rich (web:rich)')).toBe('23/100 = reach 0 (0 members replied to them) + activity 3 (1 messages, 0 mentions) + value 20 (€10,000.00 spent)');

    await post('voice', 'acme support is terrible, very bad');
    await app.engine.outbox.drain();
    const inbox = (await (await fetch(`${app.url}/web/api/inbox?user=lead`)).json()) as { messages: { text: string }[] };
    const negative = inbox.messages.filter((m) => /^Negative mention/.test(m.text));
    expect(negative).toHaveLength(1);
    expect(negative[0]!.text).toMatch(/from influential member: 5\d\/100 = reach 23 \(13 members replied to them\)/);
  });

  it('forgets an erased member\'s replies: they no longer count toward reach, and exports give counts, not other people', async () => {
    const [found] = await say(app, 'mona', '/customer show member1');
    const cid = /^(C-\d+)/.exec(found.text)![1]!;
    const [exported] = await say(app, 'boss', `/crm export ${cid}`);
    const data = JSON.parse(exported.text.slice(exported.text.indexOf('\n') + 1));
    expect(data.plugins['social-listening'].activity).toEqual([expect.objectContaining({ identity: 'web:member1', messages: 1, repliedBy: 0, repliedTo: 1 })]);
    await say(app, 'boss', `/crm forget ${cid}`);
    const [r] = await say(app, 'mona', '/mentions influencers month');
    expect(field(r, 'voice (web:voice)')).toMatch(/reach 22 \(12 members replied to them\)/);
  });
});
