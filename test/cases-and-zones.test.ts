import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from './helpers/app.js';

/** Issue #24 items 4, 5 and 6, driven by a fake clock: cases close, each person's own zone, follow-up owners told. */

const HOUR = 3_600_000;
type Message = { text: string };
const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

function clock(start: string) {
  let now = Date.parse(start);
  return { now: () => now, set: (iso: string) => void (now = Date.parse(iso)), iso: () => new Date(now).toISOString() };
}

async function harness(file: object, start: string) {
  const c = clock(start);
  const app = await startTestApp({ CRM_ADMINS: 'web:boss' }, file, undefined, c.now);
  const inbox = async (user: string): Promise<Message[]> => {
    await app.engine.outbox.drain();
    return (await (await fetch(`${app.url}/web/api/inbox?user=${user}`)).json()).messages;
  };
  const tick = (job: string) => app.engine.scheduler.fire(`surveys:${job}`, new Date(c.now()));
  const customerOf = async (user: string) => (await app.engine.store.tenant('default').identities.get(`web:${user}`))!.customerId!;
  return { app, clock: c, inbox, tick, customerOf };
}

const roles = (extra: Record<string, string> = {}) => ({
  assign: { 'web:mona': 'manager', 'web:rita': 'rep', 'web:ann': 'customer', 'web:bob': 'customer', 'web:cat': 'customer', 'web:dan': 'customer', ...extra },
});

describe('cases close', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness({
      roles: roles(),
      plugins: {
        surveys: { enabled: true, config: { quietHours: { start: '00:00', end: '00:00' }, afterComplaintClosedSurvey: 'csat' } },
        'kpi-digest': { enabled: true },
      },
    }, '2026-03-16T10:00:00.000Z');
    await say(h.app, 'ann', 'hello');
  });
  afterAll(() => h.app.stop());

  it('/customer resolve closes a complaint: who, when, how; the survey after a closed complaint fires; card and digest show the times', async () => {
    const ann = `C-${await h.customerOf('ann')}`;
    const [logged] = await say(h.app, 'rita', `/log complaint ${ann} parcel arrived broken`);
    expect(logged.text).toMatch(/case K-1 opened for web:rita/);
    h.clock.set('2026-03-16T12:00:00.000Z');
    await say(h.app, 'rita', `/log call ${ann} called back, sending a new one`);
    h.clock.set('2026-03-17T12:00:00.000Z');

    const [resolved] = await say(h.app, 'rita', '/customer resolve K-1 replaced the parcel');
    expect(resolved.text).toBe(`Resolved K-1 (complaint) for ${ann} after 26 h: replaced the parcel`);
    const kase = await h.app.engine.store.tenant('default').cases.get(1);
    expect(kase).toMatchObject({
      status: 'closed', closedAt: '2026-03-17T12:00:00.000Z', closedBy: 'web:rita', resolution: 'replaced the parcel', firstResponseAt: '2026-03-16T12:00:00.000Z',
    });

    // case.closed reached the surveys plugin: a CSAT survey for Ann, sent by the next fan-out tick.
    expect(await h.tick('fanout')).toBe(true);
    const got = await h.inbox('ann');
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toMatch(/S-1/);

    const [again] = await say(h.app, 'mona', '/customer resolve K-1 something else');
    expect(again.text).toMatch(/^K-1 was already closed on 2026-03-17 12:00 UTC by web:rita\./);

    const [card] = await say(h.app, 'mona', `/customer show ${ann}`);
    expect(field(card, 'Resolved complaints')).toBe('K-1 in 26 h: replaced the parcel');
    expect(field(card, 'Open complaints')).toBe('none');

    const [digest] = await say(h.app, 'mona', '/digest now week');
    expect(field(digest, 'Complaints')).toBe('1 opened; first response 2 h on average; resolution 26 h on average; 100% resolved');
  });

  it.each([
    ['/customer resolve', /Say which case and how it was resolved/],
    ['/customer resolve K-1', /Say which case and how it was resolved/],
    ['/customer resolve case-1 done', /"case-1" is not a case id \(like K-3\)/],
    ['/customer resolve K-99 done', /There is no case K-99\./],
  ])('%s -> a clear reply, nothing closed', async (line, want) => {
    expect((await say(h.app, 'rita', line))[0].text).toMatch(want);
  });

  it('is for staff only', async () => {
    await say(h.app, 'rita', `/log complaint C-${await h.customerOf('ann')} wrong colour`);
    const [r] = await say(h.app, 'ann', '/customer resolve K-2 fixed it myself');
    expect(r.text).toMatch(/^\/customer resolve needs the role admin, manager or rep; you are customer\./);
    expect((await h.app.engine.store.tenant('default').cases.get(2))?.status).toBe('open');
  });
});

describe("each person's own time zone", () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness({
      roles: roles(),
      plugins: {
        surveys: { enabled: true, config: { quietHours: { start: '21:00', end: '08:00' }, minDaysBetweenSurveys: 0 } },
        'kpi-digest': { enabled: true },
      },
    }, '2026-03-06T12:00:00.000Z');
    for (const u of ['bob', 'cat']) await say(h.app, u, 'hello');
  });
  afterAll(() => h.app.stop());

  it('/crm timezone validates, normalises and shows the zone', async () => {
    expect((await say(h.app, 'bob', '/crm timezone'))[0].text).toBe("Your time zone is UTC (the tenant's; set yours with /crm timezone <zone>); it is 2026-03-06 12:00 UTC there.");
    expect((await say(h.app, 'bob', '/crm timezone Mars/Olympus'))[0].text).toMatch(/"Mars\/Olympus" is not a time zone; give an IANA name such as Europe\/Berlin/);
    expect((await h.app.engine.store.tenant('default').identities.get('web:bob'))!.timezone).toBeNull();
    expect((await say(h.app, 'bob', '/crm timezone america/new_york'))[0].text).toBe(
      'Your time zone is now America/New_York; it is 2026-03-06 07:00 EST there. Quiet hours, digests and times shown to you follow it.',
    );
    expect((await say(h.app, 'cat', '/crm timezone US/Eastern'))[0].text).toMatch(/^Your time zone is now America\/New_York;/);
  });

  it('quiet hours follow the person across the DST change, not the tenant', async () => {
    const store = h.app.engine.store.tenant('default');
    const recipients = store.docs<{ id: string; customerId: number; status: string; dueAt: string | null }>('surveys', 'recipients');
    await say(h.app, 'mona', `/customer tag C-${await h.customerOf('bob')} before`);
    await say(h.app, 'mona', `/customer tag C-${await h.customerOf('cat')} after`);

    // Saturday 7 March, 12:30 UTC = 07:30 EST in New York: quiet until 08:00 EST = 13:00 UTC (UTC itself is not quiet).
    h.clock.set('2026-03-07T12:30:00.000Z');
    expect((await say(h.app, 'mona', '/survey send nps to tag:before'))[0].text).toMatch(/S-1/);
    expect((await recipients.find({ campaignId: 'S-1' }))[0]).toMatchObject({ status: 'waiting', dueAt: '2026-03-07T13:00:00.000Z' });

    // Sunday 8 March, after the change to EDT: 12:30 UTC = 08:30 EDT, so the same wall clock is no longer quiet...
    h.clock.set('2026-03-08T11:30:00.000Z');
    expect((await say(h.app, 'mona', '/survey send nps to tag:after'))[0].text).toMatch(/S-2/);
    // ...and 11:30 UTC = 07:30 EDT waits only until 08:00 EDT = 12:00 UTC.
    expect((await recipients.find({ campaignId: 'S-2' }))[0]).toMatchObject({ status: 'waiting', dueAt: '2026-03-08T12:00:00.000Z' });
    expect(await h.inbox('cat')).toEqual([]);
    h.clock.set('2026-03-08T12:00:00.000Z');
    await h.tick('fanout');
    expect(await h.inbox('cat')).toHaveLength(1);
    expect(await h.inbox('bob')).toHaveLength(1);
  });

  it("a digest subscription and a survey's send time follow the person's own zone", async () => {
    await say(h.app, 'mona', '/crm timezone Asia/Tokyo');
    // 8 March 12:00 UTC is 21:00 in Tokyo: "at 2026-03-09 09:00" is Tokyo's morning, 00:00 UTC.
    const [scheduled] = await say(h.app, 'mona', '/survey send csat to tag:after at 2026-03-09 09:00');
    expect(scheduled.text).toMatch(/is scheduled for 2026-03-09 09:00 \(Asia\/Tokyo\)/);
    expect((await h.app.engine.store.tenant('default').docs<{ id: string; at: string }>('surveys', 'campaigns').get('S-3'))?.at).toBe('2026-03-09T00:00:00.000Z');
    const [r] = await say(h.app, 'mona', '/digest subscribe daily 08:00');
    expect(r.text).toMatch(/daily at 08:00 Asia\/Tokyo/);
  });
});

describe('follow-up owners are told', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness({
      roles: roles(),
      plugins: { surveys: { enabled: true, config: { quietHours: { start: '00:00', end: '00:00' }, followUpHours: 24, followUpOwner: 'web:rita' } } },
    }, '2026-03-28T10:00:00.000Z');
    await say(h.app, 'dan', 'hello');
    await say(h.app, 'rita', '/crm timezone Europe/Berlin');
  });
  afterAll(() => h.app.stop());

  it('the owner gets the follow-up case, deadline in their own zone, and again once when it is overdue', async () => {
    await say(h.app, 'mona', '/survey send nps to everyone');
    expect(await h.inbox('dan')).toHaveLength(1);
    await say(h.app, 'dan', '/survey answer S-1 2');
    const told = await h.inbox('rita');
    expect(told).toHaveLength(1);
    // Due 24 h later: 2026-03-29 10:00 UTC, after Berlin moved to summer time (CEST, UTC+2).
    expect(told[0]!.text).toMatch(/Follow-up case K-1 for web:rita, due 2026-03-29 12:00 GMT\+2\.$/);

    h.clock.set('2026-03-29T09:50:00.000Z');
    await h.tick('overdue');
    expect(await h.inbox('rita')).toHaveLength(1);
    h.clock.set('2026-03-29T10:00:00.000Z');
    await h.tick('overdue');
    const late = await h.inbox('rita');
    expect(late).toHaveLength(2);
    expect(late[1]!.text).toMatch(/^Overdue: follow-up case K-1 for C-\d+ \(NPS 2 on survey S-1\) was due 2026-03-29 12:00 GMT\+2 and is still open\.$/);
    h.clock.set('2026-03-29T10:10:00.000Z');
    await h.tick('overdue');
    expect(await h.inbox('rita')).toHaveLength(2);
  });
});
