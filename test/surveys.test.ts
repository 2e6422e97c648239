import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

const customers = Array.from({ length: 16 }, (_, i) => `c${i + 1}`);
const config = {
  roles: { assign: { ...Object.fromEntries(customers.map((c) => [`web:${c}`, 'customer'])), 'web:mona': 'manager', 'web:rita': 'rep' } },
  plugins: {
    surveys: {
      enabled: true,
      config: {
        quietHours: { start: '00:00', end: '00:00' },
        alertTarget: { platform: 'web', target: 'web:boss' },
        followUpOwner: 'web:rita',
        afterDealWonDays: 3,
        afterComplaintClosedSurvey: 'csat',
      },
    },
  },
};

type Button = { id: string; label: string; value: string };
const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;
const HOUR = 3_600_000;

describe('surveys in the web chat', () => {
  let app: TestApp;
  const ids: Record<string, number> = {};
  const docs = <T extends { id: string }>(name: string) => app.engine.store.tenant('default').docs<T>('surveys', name);
  const drain = async () => {
    while ((await app.engine.outbox.drain(500)) > 0);
  };
  const inbox = async (user: string): Promise<{ text: string; buttons?: Button[] }[]> =>
    (await (await fetch(`${app.url}/web/api/inbox?user=${user}`)).json()).messages;
  const press = async (user: string, button: Button) => (await web(app, '/web/api/action', { user, action: button.id, value: button.value })).json.replies[0].text as string;
  const click = (user: string, value: string) => press(user, { id: 'survey.answer', label: '', value });
  const meet = async (user: string) => {
    await say(app, user, 'hello there');
    ids[user] = (await app.engine.store.tenant('default').identities.get(`web:${user}`))!.customerId!;
  };

  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, config);
    for (const c of customers.slice(0, 12)) await meet(c);
  });
  afterAll(() => app.stop());

  it('reaches every customer with buttons, records one answer per person, and computes NPS 30', async () => {
    const [sent] = await say(app, 'mona', '/survey send nps to everyone');
    expect(sent.text).toBe('Survey S-1 (NPS) to everyone: 12 queued; 0 not reachable, 0 opted out, 0 surveyed in the last 30 days. Done.');
    await drain();
    const [msg, ...more] = await inbox('c1');
    expect(more).toEqual([]);
    expect(msg!.text).toContain('How likely are you to recommend us to a friend or colleague?');
    expect(msg!.buttons!.map((b) => b.label)).toEqual([...Array.from({ length: 11 }, (_, i) => String(i)), 'Stop surveys']);
    expect(msg!.buttons![9]).toEqual({ id: 'survey.answer', label: '9', value: 'S-1 9' });

    expect(await press('c1', msg!.buttons![10]!)).toBe('Thanks! We recorded 10 for survey S-1. Why? Reply with /survey why S-1 <your reason>');
    expect(await press('c1', msg!.buttons![9]!)).toBe('Thanks! Your answer to survey S-1 is now 9 (was 10). Why? Reply with /survey why S-1 <your reason>');
    expect(await press('c1', msg!.buttons![9]!)).toBe('Your answer to survey S-1 is already 9.');
    const answers = await docs<{ id: string; score: number }>('answers').find({ customerId: ids.c1! });
    expect(answers).toMatchObject([{ id: `S-1:${ids.c1}`, campaignId: 'S-1', kind: 'nps', score: 9, why: null }]);

    const scores: Record<string, number> = { c2: 10, c3: 9, c4: 10, c5: 9, c6: 7, c7: 8, c8: 7, c9: 3, c10: 6 };
    for (const [user, score] of Object.entries(scores)) expect(await click(user, `S-1 ${score}`)).toMatch(/^Thanks!/);
    expect((await say(app, 'c1', '/survey why S-1 Fast delivery, friendly support'))[0].text).toBe('Thank you, we noted your reason for survey S-1.');
    await say(app, 'c9', '/survey why S-1 slow delivery and nobody answered');
    await say(app, 'c2', '/survey why S-1 快递很快，服务很好');
    await say(app, 'c3', '/survey why S-1 快递及时');

    const [results] = await say(app, 'mona', '/survey results');
    expect(results.text).toBe('Survey S-1 (NPS) to everyone: 10 answered of 12 reached.');
    expect(field(results, 'NPS')).toBe('30 (n = 10: 5 promoters, 3 passives, 2 detractors; margin of error ±42.1 points at 95%, interval -19.1 to 65.2; too few answers, under 30)');
    expect(field(results, 'Answered')).toBe('10 (response rate 83.3%)');
    expect(field(results, 'Delivered')).toBe('12 of 12');
    expect(field(results, 'Top themes')).toMatch(/^delivery \(2\), 快递 \(2\), /);
    expect(field(results, 'Trend')).toBe('first NPS survey');
    expect(field(results, 'Follow-ups')).toBe('2 opened, 0 closed, 2 open');
    expect(results.image).toBeUndefined();
    // On request, the score distribution as a PNG for the platforms; the same answers as the figures above.
    const [pictured] = await say(app, 'mona', '/survey results S-1 chart');
    expect(field(pictured, 'NPS')).toBe(field(results, 'NPS'));
    const png = Buffer.from(pictured.image.slice('data:image/png;base64,'.length), 'base64');
    expect([png.toString('ascii', 1, 4), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['PNG', 720, 400]);
    expect((await say(app, 'mona', '/survey results S-1 S-2'))[0].text).toMatch(/at most one survey id/);

    // Each score change is kept, keyed by survey, person and version; results and the digest count only the latest (9 above).
    const history = await app.engine.store.tenant('default').interactions.listForCustomer(ids.c1!, 100);
    expect(history.filter((i) => i.type === 'survey_response').map((i) => i.sourceEventId).sort()).toEqual([`survey:S-1:${ids.c1}`, `survey:S-1:${ids.c1}#2`]);
    const [card] = await say(app, 'mona', `/customer show C-${ids.c1}`);
    expect(field(card, 'Surveys')).toMatch(/^last answer NPS 9 on S-1 \(\d{4}-\d{2}-\d{2}\): "Fast delivery, friendly support"$/);
  });

  it('opens a follow-up case for a detractor, alerts the alert target, and closes it with the time to follow up', async () => {
    const ts = app.engine.store.tenant('default');
    const [kase] = await ts.cases.listOpen(ids.c9);
    expect(kase).toMatchObject({ kind: 'detractor_followup', owner: 'web:rita', summary: 'NPS 3 on survey S-1' });
    await drain();
    const alerts = await inbox('boss');
    expect(alerts.map((a) => a.text)).toEqual([
      expect.stringMatching(new RegExp(`^Survey alert: C-${ids.c9} c9 answered NPS 3 on survey S-1\\. Follow-up case K-${kase!.id} for web:rita, due `)),
      expect.stringMatching(/answered NPS 6 on survey S-1/),
    ]);
    expect(alerts[0]!.buttons![1]).toEqual({ id: 'survey.close', label: 'Close case', value: `K-${kase!.id}` });

    expect((await say(app, 'c9', `/survey close K-${kase!.id}`))[0].text).toMatch(/needs the role admin, manager or rep/);
    expect(await press('rita', alerts[0]!.buttons![1]!)).toBe(`Closed K-${kase!.id} for C-${ids.c9} after 0 h (on time: due within 48 h). They may be surveyed again.`);
    expect(await ts.cases.listOpen(ids.c9)).toEqual([]);
    expect((await say(app, 'rita', `/survey close K-${kase!.id}`))[0].text).toMatch(/was already closed on/);
    expect((await say(app, 'rita', '/survey close K-999'))[0].text).toBe('K-999 is not a survey follow-up case; /survey close only closes the cases surveys open.');
  });

  it.each([
    ['S-1 11', 'NPS answers go from 0 to 10; 11 is not one of them. Press one of the buttons of survey S-1.'],
    ['S-1 nine', '"nine" is not a score; press one of the buttons. Usage: /survey answer <survey id> <score>'],
    ['S-1 9 extra', 'Too many words: give the survey id and one score, like /survey answer S-3 9. Usage: /survey answer <survey id> <score>'],
    ['S-1 -1', '"-1" is not a score; press one of the buttons. Usage: /survey answer <survey id> <score>'],
    ['S-99 5', 'There is no survey S-99 here. Answer with the buttons of the survey message you received.'],
    ['{"$gt":""} 5', '"{"$gt":""}" is not a survey id (like S-3). Usage: /survey answer <survey id> <score>'],
  ])('a forged or wrong click %j gets a clear reply and stores nothing', async (value, expected) => {
    expect(await click('c11', value)).toBe(expected);
    expect(await docs('answers').get(`S-1:${ids.c11}`)).toBeNull();
  });

  it('refuses a 50 KB reason, a reason before a score, clicks from people it was not sent to, and an empty audience', async () => {
    const long = await app.engine.handle({
      platform: 'web', scope: null, actor: { identity: 'web:c1', displayName: 'c1' }, channel: 'web', eventId: 'long-why', text: `/survey why S-1 ${'a'.repeat(50_000)}`,
    });
    expect(long[0]!.text).toBe('Your reason is 50,000 characters; please keep it to 1000. Usage: /survey why <survey id> <your reason>');
    expect((await docs<{ id: string; why: string }>('answers').get(`S-1:${ids.c1}`))!.why).toBe('Fast delivery, friendly support');
    expect((await say(app, 'c11', '/survey why S-1 because'))[0].text).toBe('Answer survey S-1 first by pressing a score button; then tell us why.');

    await meet('c13');
    expect(await click('c13', 'S-1 9')).toBe('Survey S-1 was not sent to you, so there is nothing to answer.');
    expect(await click('mona', 'S-1 9')).toBe('Surveys are answered by customers; your chat identity has no customer record.');

    const before = await docs('campaigns').find({});
    expect((await say(app, 'mona', '/survey send nps to tag:nobody'))[0].text).toMatch(/^No customer matches tag:nobody, so nothing was sent\./);
    expect((await say(app, 'mona', '/survey send nps to segment:champions'))[0].text).toMatch(/^No customer matches segment:champions/);
    expect((await say(app, 'mona', '/survey send nps to segment:sleepy'))[0].text).toMatch(/^Unknown RFM segment "sleepy"\. Segments: champions, loyal/);
    expect((await say(app, 'mona', '/survey send nps to everyone at 2020-01-01 09:00'))[0].text).toMatch(/is in the past/);
    expect((await say(app, 'mona', '/survey send nps to everyone at 2030-02-30 09:00'))[0].text).toMatch(/is not a date and time/);
    expect((await say(app, 'mona', '/survey send happiness to everyone'))[0].text).toMatch(/"happiness" is not a survey kind/);
    expect((await say(app, 'rita', '/survey send nps to everyone'))[0].text).toMatch(/needs the role admin or manager/);
    expect(await docs('campaigns').find({})).toEqual(before);
  });

  it('honours Stop everywhere, the minimum gap between surveys, and a closed follow-up lifting it', async () => {
    const [msg] = await inbox('c12');
    expect(await press('c12', msg!.buttons!.at(-1)!)).toBe('Done: you will get no more surveys from us. This is recorded on your customer record.');
    expect((await app.engine.store.tenant('default').customers.get(ids.c12!))!.consent.surveys).toBe(false);

    const [sent] = await say(app, 'mona', '/survey send nps to everyone');
    // c9 (follow-up closed) and c13 (new) get it; c12 opted out; the ten others were surveyed within 30 days.
    expect(sent.text).toBe('Survey S-2 (NPS) to everyone: 2 queued; 0 not reachable, 1 opted out, 10 surveyed in the last 30 days. Done.');
    await drain();
    expect((await inbox('c9')).map((m) => m.text.match(/survey S-\d+/)![0])).toEqual(['survey S-1', 'survey S-2']);
    expect((await inbox('c12')).length).toBe(1);
    await click('c9', 'S-2 10');
    const [results] = await say(app, 'mona', '/survey results S-2');
    expect(field(results, 'Trend')).toBe('+70.0 points vs S-1 (30)');
    expect(field(results, 'Not sent')).toBe('0 not reachable, 1 opted out, 10 surveyed in the last 30 days');
  });

  it('reminds once, after the configured hours, only those who did not answer', async () => {
    const at = (h: number) => new Date(Date.now() + h * HOUR);
    expect(await app.engine.scheduler.fire('surveys:reminders', at(49))).toBe(true);
    expect(await app.engine.scheduler.fire('surveys:reminders', at(50))).toBe(true);
    await drain();
    const reminded = (user: string) => inbox(user).then((m) => m.filter((x) => x.text.startsWith('A gentle reminder')).length);
    expect([await reminded('c11'), await reminded('c13'), await reminded('c12'), await reminded('c1')]).toEqual([1, 1, 0, 0]);
    const [results] = await say(app, 'mona', '/survey results S-1');
    expect(field(results, 'Reminders')).toBe('1');
  });

  it('closes a survey after expiresAfterDays', async () => {
    const campaigns = docs<{ id: string; startedAt: string }>('campaigns');
    const s1 = (await campaigns.get('S-1'))!;
    await campaigns.put({ ...s1, startedAt: new Date(Date.now() - 20 * 24 * HOUR).toISOString() });
    expect(await click('c11', 'S-1 8')).toMatch(/^Survey S-1 closed on \d{4}-\d{2}-\d{2}; answers are no longer taken\.$/);
    expect(await docs('answers').get(`S-1:${ids.c11}`)).toBeNull();
  });

  it('surveys a customer N days after a won deal and after a closed complaint', async () => {
    await meet('c14');
    await meet('c15');
    await say(app, 'rita', '/deal add c14 500');
    const deal = (await app.engine.store.tenant('default').deals.list({ customerId: ids.c14 }, 1))[0]!;
    await say(app, 'rita', `/deal won D-${deal.id}`);
    // The same event delivered twice still schedules one survey.
    await app.engine.bus.emit('deal.won', { tenant: 'default', deal: (await app.engine.store.tenant('default').deals.get(deal.id))! });
    const [list] = await say(app, 'mona', '/survey list');
    expect(list.fields[0]).toEqual({ label: `S-3 NPS to customer C-${ids.c14}`, value: expect.stringMatching(new RegExp(`^scheduled for .*; 0 reached, 0 answered; created .* by trigger: deal D-${deal.id} won$`)) });
    expect(await docs('campaigns').find({ status: 'scheduled' })).toHaveLength(1);

    const kase = await app.engine.store.tenant('default').cases.open({ customerId: ids.c15!, kind: 'complaint', owner: 'web:rita', summary: 'late', dueAt: null }, new Date().toISOString());
    const closed = (await app.engine.store.tenant('default').cases.close(kase.id, new Date().toISOString()))!;
    await app.engine.bus.emit('case.closed', { tenant: 'default', case: closed });

    await app.engine.scheduler.fire('surveys:fanout', new Date(Date.now() + 2 * 60_000));
    await drain();
    expect(await inbox('c14')).toEqual([]);
    const [csat] = await inbox('c15');
    expect(csat!.text).toContain('How satisfied are you with our service?');
    expect(csat!.buttons!.map((b) => b.label)).toEqual(['1', '2', '3', '4', '5', 'Stop surveys']);

    await app.engine.scheduler.fire('surveys:fanout', new Date(Date.now() + 3 * 24 * HOUR + 5 * 60_000));
    await drain();
    expect((await inbox('c14'))[0]!.text).toContain('survey S-3');

    const [later] = await say(app, 'mona', '/survey send csat to stage:lead at 2099-01-01 09:00');
    expect(later.text).toBe('Survey S-5 (CSAT) to stage:lead is scheduled for 2099-01-01 09:00 (UTC).');
    expect(field((await say(app, 'mona', '/survey results'))[0], 'Status')).toBe('scheduled for 2099-01-01 09:00 UTC');
  });

  it('exports and erases a person\'s answers', async () => {
    const exported = (await app.engine.privacy.export('default', ids.c9!)) as { surveys: { answers: unknown[]; followUps: unknown[] } };
    expect(exported.surveys.answers).toHaveLength(2);
    expect(exported.surveys.followUps).toHaveLength(1);
    // As /crm forget does: plugins erase their data, then the core blanks the person's interaction texts.
    await app.engine.privacy.erase('default', ids.c9!);
    await app.engine.store.tenant('default').customers.anonymise(ids.c9!, new Date().toISOString());
    expect(await docs('answers').find({ customerId: ids.c9! })).toEqual([]);
    const [results] = await say(app, 'mona', '/survey results S-1');
    expect(field(results, 'Answered')).toBe('9 (response rate 75%)');
  });

  it('answers help', async () => {
    const [help] = await say(app, 'c1', '/survey help');
    expect(help.fields.map((f: { label: string }) => f.label)).toContain('/survey answer <survey id> <score>');
  });
});
