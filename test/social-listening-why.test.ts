import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from './helpers/app.js';

const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

describe('/mentions why: the words behind a mention\'s label', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, {
      currency: 'EUR',
      tenants: [{ id: 'acme' }],
      roles: { assign: { 'web:mona': 'manager', 'web:carl': 'customer' } },
      plugins: { 'social-listening': { enabled: true, config: {} } },
    });
    expect((await say(app, 'mona', '/listen add brand acme'))[0].text).toMatch(/^Listening for brand/);
  });
  afterAll(() => app.stop());

  const latestId = async () => {
    const [r] = await say(app, 'mona', '/mentions today');
    return /^(\S+) /.exec(field(r, 'Latest')!)![1]!;
  };

  it('names the words that made a mention negative, with their weights', async () => {
    await say(app, 'bob', 'The Acme app looks pretty but the sync is painfully slow');
    const id = await latestId();
    const [r] = await say(app, 'mona', `/mentions why ${id}`);
    expect(r.text).toMatch(new RegExp(`^Mention ${id.replace('.', '\\.')} is negative \\(-0\\.\\d+\\) because of: slow \\(-\\d+(\\.\\d+)?\\), pretty \\(\\+0\\.\\d+\\)\\.$`));
    expect(field(r, 'Excerpt')).toBe('The Acme app looks pretty but the sync is painfully slow');
  });

  it('shows Traditional Chinese drivers in the Simplified form they were scored in', async () => {
    await say(app, 'dan', 'Acme客服態度很好，問題馬上就解決了 👍');
    const [r] = await say(app, 'mona', `/mentions why ${await latestId()}`);
    expect(r.text).toMatch(/ is positive \(0\.\d+\) because of: .*好 \(\+\d/);
    expect(r.text).toContain('👍 (+2)');
  });

  it('says when nothing in a mention carries sentiment', async () => {
    await say(app, 'eve', 'Does Acme work with Outlook?');
    const [r] = await say(app, 'mona', `/mentions why ${await latestId()}`);
    expect(r.text).toMatch(/ is neutral \(0\): no sentiment words, emoji or complaint patterns in it\.$/);
  });

  it('rejects unknown and malformed ids and people without a staff role', async () => {
    expect((await say(app, 'mona', '/mentions why m999.brand'))[0].text).toBe('No mention m999.brand. Ids are shown in /mentions and in alerts.');
    expect((await say(app, 'mona', '/mentions why {"$gt":""}'))[0].text).toMatch(/is not a mention id \(like m12\.brand\)/);
    expect((await say(app, 'mona', '/mentions why'))[0].text).toMatch(/Say the mention id, e\.g\. \/mentions why m12\.brand/);
    expect((await say(app, 'carl', `/mentions why ${await latestId()}`))[0].text).toMatch(/needs the role/);
  });
});
