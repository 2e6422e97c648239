import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  churnRisk, csat, ces, formatMoney, lifecycleStage, mentionText, nps, rfmScores, rfmSegment, surveyAnswerText, type SurveyKind,
} from '../core/index.js';
import { say, web, type TestApp } from './helpers/app.js';
import { fakeClock, newDataDir, startDigestApp } from './fixtures/kpi-digest/app.js';

/**
 * `/digest now week` against a book seeded through the web chat and direct store writes, with the loyalty
 * plugin on; every figure is recomputed here from the test's own record of what it seeded, with the
 * CRM-METHOD formulas and the loyalty README's earning rules (default config: welcome 50, a point per
 * whole dollar of a purchase or a won deal; nobody reaches Silver, so every multiplier is 1).
 */
const NOW = '2026-03-20T12:00:00.000Z';
const DAY = 86_400_000;
const FROM = new Date(Date.parse(NOW) - 7 * DAY).toISOString();
const PREV = new Date(Date.parse(NOW) - 14 * DAY).toISOString();
const usd = (m: number) => formatMoney(m, 'USD');
const starts = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `);

interface Seeded {
  customers: { id: number; name: string; owner: string; at: string }[];
  purchases: { customerId: number; at: string; amountMinor: number }[];
  others: { customerId: number | null; type: string; text: string; at: string; direction?: 'out' }[];
  deals: { customer: string; owner: string; amountMinor: number; createdAt: string; closedAt: string | null; stage: string; expectedClose: string | null }[];
  cases: { customerId: number; kind: string; owner: string; dueAt: string | null }[];
  /** Loyalty points entries as the test expects them: earnings, redemptions and reversed redemptions. */
  points: { customerId: number; kind: 'earn' | 'redeem' | 'unredeem'; points: number; at: string }[];
}

const field = (reply: { fields: { label: string; value: string }[] }, label: string) => reply.fields.find((f) => f.label === label)?.value ?? '';

describe('/digest now in the web chat', () => {
  const clock = fakeClock('2026-01-05T09:00:00.000Z');
  const s: Seeded = { customers: [], purchases: [], others: [], deals: [], cases: [], points: [] };
  let app: TestApp;
  let digest: { text: string; fields: { label: string; value: string }[]; buttons: { id: string; label: string; value: string }[]; image: string };

  const at = (iso: string) => clock.set(iso);
  const idOf = (name: string) => s.customers.find((c) => c.name === name)!.id;
  async function customer(user: string, name: string, when: string) {
    at(when);
    const [r] = await say(app, user, `/customer add ${name}`);
    s.customers.push({ id: Number(/C-(\d+)/.exec(r.text)![1]), name, owner: `web:${user}`, at: when });
    s.points.push({ customerId: idOf(name), kind: 'earn', points: 50, at: when });
  }
  async function purchase(user: string, name: string, amount: number, when: string) {
    at(when);
    await say(app, user, `/log purchase ${name} goods ${amount}`);
    s.purchases.push({ customerId: idOf(name), at: when, amountMinor: amount * 100 });
    s.points.push({ customerId: idOf(name), kind: 'earn', points: amount, at: when });
  }
  async function deal(user: string, name: string, amount: number, when: string, extra = '', close: string | null = null) {
    at(when);
    const [r] = await say(app, user, `/deal add ${name} ${amount}${extra}`);
    if (r.text.startsWith('New customer')) {
      s.customers.push({ id: Number(/C-(\d+)/.exec(r.text)![1]), name, owner: `web:${user}`, at: when });
      s.points.push({ customerId: idOf(name), kind: 'earn', points: 50, at: when });
    }
    s.deals.push({ customer: name, owner: `web:${user}`, amountMinor: amount * 100, createdAt: when, closedAt: null, stage: extra.includes('proposal') ? 'proposal' : 'lead', expectedClose: close });
    if (!/D-\d+/.test(r.text)) throw new Error(r.text);
    return /D-\d+/.exec(r.text)![0];
  }
  async function close(user: string, id: string, stage: 'won' | 'lost', when: string) {
    at(when);
    await say(app, user, `/deal ${stage} ${id}`);
    const d = Object.assign(s.deals[Number(id.slice(2)) - 1]!, { closedAt: when, stage });
    if (stage === 'won') {
      s.points.push({ customerId: idOf(d.customer), kind: 'earn', points: d.amountMinor / 100, at: when });
      // A won deal is revenue: a purchase of its customer at the close time (CRM-METHOD, Value).
      s.purchases.push({ customerId: idOf(d.customer), at: when, amountMinor: d.amountMinor });
    }
  }
  async function redeem(reward: string, cost: number, name: string, when: string) {
    at(when);
    const [r] = await say(app, 'mona', `/redeem ${reward} ${name}`);
    if (!r.text.startsWith('Redeemed')) throw new Error(r.text);
    s.points.push({ customerId: idOf(name), kind: 'redeem', points: cost, at: when });
    return /redeem:web:[0-9a-f-]{36}/.exec(r.text)![0];
  }
  async function write(name: string | null, type: 'survey_response' | 'mention', text: string, when: string) {
    const customerId = name === null ? null : idOf(name);
    await app.engine.store.tenant('default').interactions.add({
      customerId, identity: null, type, channel: 'web', direction: 'in', text, amountMinor: null, currency: null, occurredAt: when, sourceEventId: null,
    });
    s.others.push({ customerId, type, text, at: when });
  }
  const survey = (name: string, kind: SurveyKind, score: number, when: string) => write(name, 'survey_response', surveyAnswerText(kind, score, 'because'), when);

  beforeAll(async () => {
    app = await startDigestApp(newDataDir(), clock.now, {
      roles: { assign: { 'web:mona': 'manager' } }, rateLimit: { commandsPerMinute: 10_000 }, plugins: { loyalty: { enabled: true, config: {} }, 'kpi-digest': { enabled: true } },
    });
    // Chat commands in time order (the rate limiter's clock must not run backwards).
    await customer('alice', 'Acme', '2026-01-05T09:00:00.000Z');
    await purchase('alice', 'Acme', 100, '2026-01-06T09:00:00.000Z');
    await purchase('alice', 'Acme', 80, '2026-02-06T09:00:00.000Z');
    await customer('mona', 'Beta', '2026-03-01T09:00:00.000Z');
    const delta = await deal('mona', 'Delta', 700, '2026-03-01T10:00:00.000Z');
    await purchase('mona', 'Beta', 50, '2026-03-02T09:00:00.000Z');
    const won = await deal('alice', 'Acme', 1000, '2026-03-08T09:00:00.000Z');
    at('2026-03-08T12:00:00.000Z');
    await say(app, 'mona', '/rewards add mug 30 5 Coffee mug');
    await say(app, 'mona', '/rewards add tote 70 5 Tote bag');
    const lost = await deal('mona', 'Beta', 400, '2026-03-09T09:00:00.000Z', ' stage:proposal');
    await redeem('mug', 30, 'Beta', '2026-03-09T12:00:00.000Z');
    await customer('alice', 'Gamma', '2026-03-10T09:00:00.000Z');
    await deal('alice', 'Gamma', 2000, '2026-03-12T09:00:00.000Z', ' stage:proposal close:2026-04-10', '2026-04-10');
    await close('mona', delta, 'won', '2026-03-12T10:00:00.000Z');
    await customer('mona', 'Echo', '2026-03-14T09:00:00.000Z');
    await close('mona', lost, 'lost', '2026-03-14T10:00:00.000Z');
    // Acme's January and February purchase points become spendable: moves, not new points.
    await app.engine.scheduler.fire('loyalty:daily:default', new Date('2026-03-15T03:00:00.000Z'));
    await purchase('alice', 'Gamma', 300, '2026-03-15T09:00:00.000Z');
    at('2026-03-15T10:00:00.000Z');
    // A manual adjustment is not an earning.
    expect((await say(app, 'mona', '/points give Echo 500 launch gift'))[0].text).toMatch(/^Gave 500 points to C-\d+ Echo/);
    await purchase('alice', 'Acme', 120, '2026-03-16T09:00:00.000Z');
    await redeem('tote', 70, 'Acme', '2026-03-16T10:00:00.000Z');
    const mug = await redeem('mug', 30, 'Acme', '2026-03-16T11:00:00.000Z');
    at('2026-03-17T09:00:00.000Z');
    await say(app, 'mona', '/log complaint Beta invoice wrong');
    s.others.push({ customerId: idOf('Beta'), type: 'complaint', text: 'invoice wrong', at: '2026-03-17T09:00:00.000Z', direction: 'out' });
    s.cases.push({ customerId: idOf('Beta'), kind: 'complaint', owner: 'web:mona', dueAt: null });
    at('2026-03-17T11:00:00.000Z');
    expect((await say(app, 'mona', `/points reverse Acme ${mug} wrong colour`))[0].text).toMatch(/^Reversed redeem:/);
    s.points.push({ customerId: idOf('Acme'), kind: 'unredeem', points: 30, at: '2026-03-17T11:00:00.000Z' });
    await close('alice', won, 'won', '2026-03-18T09:00:00.000Z');
    at('2026-03-19T09:00:00.000Z');
    await say(app, 'mona', '/crm spend 600 2026-03');
    await survey('Acme', 'nps', 9, '2026-03-15T10:00:00.000Z');
    await survey('Beta', 'nps', 4, '2026-03-17T10:00:00.000Z');
    await survey('Delta', 'nps', 10, '2026-03-18T10:00:00.000Z');
    await survey('Gamma', 'nps', 10, '2026-03-10T10:00:00.000Z');
    await survey('Acme', 'csat', 5, '2026-03-16T10:00:00.000Z');
    await survey('Beta', 'csat', 2, '2026-03-16T11:00:00.000Z');
    await survey('Gamma', 'ces', 3, '2026-03-19T10:00:00.000Z');
    await survey('Beta', 'ces', 6, '2026-03-08T10:00:00.000Z');
    await write('Beta', 'mention', mentionText('negative', 'checkout keeps failing'), '2026-03-19T08:00:00.000Z');
    await write(null, 'mention', mentionText('positive', 'love the app'), '2026-03-14T08:00:00.000Z');
    await write('Acme', 'mention', mentionText('neutral', 'it is ok'), '2026-03-08T08:00:00.000Z');
    const ts = app.engine.store.tenant('default');
    // An older purchase of Delta's, written straight to the store.
    await ts.interactions.add({
      customerId: idOf('Delta'), identity: null, type: 'purchase', channel: 'web', direction: 'in', text: 'old order', amountMinor: 20_00, currency: 'USD',
      occurredAt: '2025-12-01T09:00:00.000Z', sourceEventId: null,
    });
    s.purchases.push({ customerId: idOf('Delta'), at: '2025-12-01T09:00:00.000Z', amountMinor: 20_00 });
    const cases = ts.cases;
    for (const due of ['2026-03-19T00:00:00.000Z', '2026-03-25T00:00:00.000Z']) {
      await cases.open({ customerId: idOf('Beta'), kind: 'detractor_followup', owner: 'web:mona', summary: 'call back', dueAt: due }, '2026-03-17T10:00:00.000Z');
      s.cases.push({ customerId: idOf('Beta'), kind: 'detractor_followup', owner: 'web:mona', dueAt: due });
    }
    at(NOW);
    [digest] = await say(app, 'mona', '/digest now week');
  });
  afterAll(() => app.stop());

  // The independent computation: plain loops over what was seeded.
  const inWindow = (x: string, from: string, to: string) => x >= from && x < to;
  const base = (t: string) => new Set(s.purchases.filter((p) => inWindow(p.at, new Date(Date.parse(t) - 90 * DAY).toISOString(), t)).map((p) => p.customerId)).size;
  const firstPurchase = (id: number) => s.purchases.filter((p) => p.customerId === id).map((p) => p.at).sort()[0];
  function retention(from: string, to: string) {
    const fresh = s.customers.filter((c) => { const f = firstPurchase(c.id); return f !== undefined && inWindow(f, from, to); }).length;
    const start = base(from);
    return start ? Math.max(0, Math.min(1, (base(to) - fresh) / start)) : null;
  }
  const scores = (kind: string, from: string, to: string) =>
    s.others.filter((o) => o.type === 'survey_response' && o.text.startsWith(`${kind} `) && inWindow(o.at, from, to)).map((o) => Number(/^\w+ (\d+)/.exec(o.text)![1]));
  const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);
  const wonIn = (from: string, to: string) => s.deals.filter((d) => d.stage === 'won' && inWindow(d.closedAt!, from, to));

  it('shows customers: new, active, retention and churn, each against the week before', () => {
    const created = (from: string, to: string) => s.customers.filter((c) => inWindow(c.at, from, to)).length;
    const active = (from: string, to: string) => new Set([...s.purchases, ...s.others].filter((x) => x.customerId !== null && inWindow(x.at, from, to)).map((x) => x.customerId)).size;
    expect(field(digest, 'New customers')).toMatch(new RegExp(`^${created(FROM, NOW)} . .* \\(previous ${created(PREV, FROM)}\\)$`));
    expect(field(digest, 'Active customers')).toMatch(new RegExp(`^${active(FROM, NOW)} . .* \\(previous ${active(PREV, FROM)}\\)$`));
    const [r, rp] = [retention(FROM, NOW), retention(PREV, FROM)];
    expect(field(digest, 'Retention rate')).toContain(`${pct(r)} `);
    expect(field(digest, 'Retention rate')).toContain(`(previous ${pct(rp)})`);
    expect(field(digest, 'Churn rate')).toContain(`${pct(r === null ? null : 1 - r)} `);
    expect(created(FROM, NOW)).toBe(1);
    expect(active(FROM, NOW)).toBe(4);
  });

  it('shows NPS with responses, CSAT and CES from the survey answers', () => {
    const [now, before] = [scores('nps', FROM, NOW), scores('nps', PREV, FROM)];
    // Each survey figure also shows this period's n and 95% margin, and "too few answers" under 30.
    expect(field(digest, 'NPS')).toMatch(new RegExp(`^${nps(now).nps} ▼ -${100 - nps(now).nps!} \\(previous ${nps(before).nps}\\); this period ${nps(now).nps} ±${nps(now).marginOfError} \\(n = ${now.length}; too few answers, under 30\\); ${now.length} responses \\(previous ${before.length}\\)$`));
    expect(nps(now).nps).toBe(33.3);
    expect(field(digest, 'CSAT')).toMatch(new RegExp(`^${csat(scores('csat', FROM, NOW))}% ▬ \\(previous n/a\\); this period ${csat(scores('csat', FROM, NOW))}% ±[\\d.]+% \\(n = 2; too few answers, under 30\\)$`));
    expect(field(digest, 'CES')).toMatch(new RegExp(`^${ces(scores('ces', FROM, NOW))} ▼ -3 \\(previous ${ces(scores('ces', PREV, FROM))}\\); this period ${ces(scores('ces', FROM, NOW))} ±[\\d.]+ \\(n = 1; too few answers, under 30\\)$`));
  });

  it('shows revenue won, win rate, deal size and sales cycle of deals closed in the week', () => {
    const won = wonIn(FROM, NOW);
    const revenue = won.reduce((a, d) => a + d.amountMinor, 0);
    const prevRevenue = wonIn(PREV, FROM).reduce((a, d) => a + d.amountMinor, 0);
    expect(field(digest, 'Revenue won')).toBe(`${usd(revenue)} ▲ +${usd(revenue - prevRevenue)} (previous ${usd(prevRevenue)})`);
    const closed = s.deals.filter((d) => d.closedAt && inWindow(d.closedAt, FROM, NOW));
    expect(field(digest, 'Win rate')).toContain(`${pct(won.length / closed.length)} `);
    expect(field(digest, 'Average deal size')).toContain(`${usd(revenue / won.length)} `);
    const cycle = won.reduce((a, d) => a + (Date.parse(d.closedAt!) - Date.parse(d.createdAt)) / DAY, 0) / won.length;
    expect(field(digest, 'Sales cycle')).toMatch(new RegExp(`^${Math.round(cycle * 10) / 10} days`));
  });

  it('shows the open pipeline by stage and the weighted forecast', () => {
    const open = s.deals.filter((d) => d.closedAt === null);
    const total = open.reduce((a, d) => a + d.amountMinor, 0);
    expect(field(digest, 'Pipeline by stage')).toContain(`proposal: 1 deals, ${usd(open[0]!.amountMinor)} (weighted ${usd(open[0]!.amountMinor * 0.5)})`);
    expect(field(digest, 'Pipeline by stage')).toContain(`open: ${open.length} deals, ${usd(total)}`);
    expect(field(digest, 'Weighted forecast')).toBe(`2026-03 ${usd(0)}; 2026-04 ${usd(2000_00 * 0.5)}; 2026-05 ${usd(0)}`);
  });

  it('shows CAC, CLV and CLV/CAC', () => {
    // CAC per new paying customer: customers whose first purchase (a won deal counts) falls in the twelve months.
    const created = s.customers.filter((c) => { const f = firstPurchase(c.id); return f !== undefined && f >= '2025-04-01' && f < NOW; }).length;
    const cac = Math.round(600_00 / created);
    const year = s.purchases.filter((p) => inWindow(p.at, new Date(Date.parse(NOW) - 365 * DAY).toISOString(), NOW));
    const perBuyer = Math.round(year.reduce((a, p) => a + p.amountMinor, 0) / new Set(year.map((p) => p.customerId)).size);
    const clv = Math.round(perBuyer * 0.3 * 3 - cac);
    expect(field(digest, 'CAC')).toMatch(starts(usd(cac)));
    expect(field(digest, 'CLV')).toMatch(starts(usd(clv)));
    expect(field(digest, 'CLV/CAC')).toMatch(starts(`${Math.round((clv / cac) * 100) / 100}x`));
  });

  it('shows lifecycle stages, RFM segments and the moves between them', () => {
    const T = { newWindowDays: 30, atRiskDays: 60, churnWindowDays: 90 };
    const counts: Record<string, number> = { lead: 0, new: 0, active: 0, at_risk: 0, churned: 0 };
    for (const c of s.customers) {
      const p = s.purchases.filter((x) => x.customerId === c.id).map((x) => x.at).sort();
      // Idleness counts the customer's own inbound interactions, not a rep's notes (the complaint logged by mona).
      const o = s.others.filter((x) => x.customerId === c.id && x.direction !== 'out').map((x) => x.at).sort();
      counts[lifecycleStage({ firstPurchaseAt: p[0] ?? null, lastPurchaseAt: p.at(-1) ?? null, lastInteractionAt: o.at(-1) ?? null }, NOW, T)]! += 1;
    }
    expect(field(digest, 'Lifecycle')).toBe(Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', '));
    const seg = (asOf: string) => new Map(rfmScores(s.purchases.map((p) => ({ ...p, currency: 'USD' })), asOf, { currency: 'USD', fx: {} }).map((r) => [r.customerId, rfmSegment(r.r, r.f, r.m)]));
    const [now, before] = [seg(NOW), seg(FROM)];
    const tally = new Map<string, number>();
    for (const x of now.values()) tally.set(x, (tally.get(x) ?? 0) + 1);
    for (const [k, n] of tally) expect(field(digest, 'RFM segments')).toContain(`${k} ${n}`);
    const moves = [...now].filter(([id, x]) => before.has(id) && before.get(id) !== x);
    expect(moves.length).toBeGreaterThan(0);
    expect(field(digest, 'RFM movement')).toMatch(new RegExp(`^${moves.length} customers changed segment; `));
    const [id, to] = moves[0]!;
    expect(field(digest, 'RFM movement')).toContain(`${before.get(id)} -> ${to}: `);
  });

  it('shows mentions with the latest negative one, complaints and overdue follow-ups', () => {
    const m = s.others.filter((o) => o.type === 'mention');
    const [now, before] = [m.filter((o) => inWindow(o.at, FROM, NOW)), m.filter((o) => inWindow(o.at, PREV, FROM))];
    expect(field(digest, 'Mentions')).toBe(`${now.length} ▲ +1 (previous ${before.length}): 1 negative, 0 neutral, 1 positive; latest negative: "checkout keeps failing" (Beta, 2026-03-19 08:00)`);
    expect(field(digest, 'Open complaints')).toBe(String(s.cases.filter((k) => k.kind === 'complaint').length));
    expect(field(digest, 'Detractor follow-ups overdue')).toBe(String(s.cases.filter((k) => k.kind === 'detractor_followup' && k.dueAt! < NOW).length));
  });

  it('shows loyalty points issued and redeemed and active members, from what the loyalty plugin publishes', () => {
    const within = (from: string, to: string) => s.points.filter((p) => inWindow(p.at, from, to));
    const total = (from: string, to: string, kind: string) => within(from, to).filter((p) => p.kind === kind).reduce((a, p) => a + p.points, 0);
    const figures = (from: string, to: string) => ({
      issued: total(from, to, 'earn'),
      redeemed: total(from, to, 'redeem') - total(from, to, 'unredeem'),
      members: new Set(within(from, to).filter((p) => p.kind !== 'unredeem').map((p) => p.customerId)).size,
    });
    const [now, before] = [figures(FROM, NOW), figures(PREV, FROM)];
    const line = (label: string, v: number, p: number) => `${label}: ${v} ${v > p ? '▲' : v < p ? '▼' : '▬'} ${v > p ? '+' : v < p ? '-' : '±'}${Math.abs(v - p)} (previous ${p})`;
    expect(field(digest, 'Loyalty points')).toBe([
      line('issued', now.issued, before.issued), line('redeemed', now.redeemed, before.redeemed), line('active members', now.members, before.members),
    ].join('\n'));
    // Echo's welcome, Gamma's purchase, Acme's purchase and won deal; the 500 given by hand and the releases are not in it.
    expect(now).toEqual({ issued: 50 + 300 + 120 + 1000, redeemed: 70, members: 3 });
    expect(before).toEqual({ issued: 50 + 700, redeemed: 30, members: 3 });
  });

  it('lists the five customers most at risk of churning, with reasons', () => {
    const risks = s.customers.filter((c) => s.purchases.some((p) => p.customerId === c.id)).map((c) => {
      const mine = s.others.filter((o) => o.customerId === c.id).sort((a, b) => b.at.localeCompare(a.at));
      const lastNps = mine.find((o) => o.type === 'survey_response' && o.text.startsWith('nps '));
      return {
        c, ...churnRisk({
          asOf: NOW, churnWindowDays: 90, purchaseDates: s.purchases.filter((p) => p.customerId === c.id).map((p) => p.at),
          lastNps: lastNps ? Number(/^nps (\d+)/.exec(lastNps.text)![1]) : null,
          openComplaints: s.cases.filter((k) => k.kind === 'complaint' && k.customerId === c.id).length,
          negativeMentions: mine.filter((o) => o.type === 'mention' && o.text.startsWith('negative: ')).length,
        }),
      };
    }).sort((a, b) => b.score - a.score || a.c.id - b.c.id).slice(0, 5);
    expect(field(digest, 'Highest churn risk')).toBe(risks.map((r) => `C-${r.c.id} ${r.c.name}: ${r.score}/100 (${r.reasons.join('; ')})`).join('\n'));
    expect(risks.map((r) => r.c.name)).toContain('Beta');
  });

  it('carries a PNG chart and a button that explains every figure', async () => {
    expect(digest.text).toBe('KPI digest, company view: 2026-03-13 12:00 to 2026-03-20 12:00 UTC, compared with the week before.');
    const png = Buffer.from(digest.image.slice('data:image/png;base64,'.length), 'base64');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 540]);
    expect(digest.buttons).toEqual([{ id: 'digest.explain', label: 'How is this computed?', value: 'week' }]);
    const r = await web(app, '/web/api/action', { user: 'mona', action: 'digest.explain', value: 'week' });
    const explained = r.json.replies[0];
    for (const f of digest.fields) expect(field(explained, f.label)).not.toBe('');
    expect(field(explained, 'Retention rate')).toMatch(/\(customers at end - new customers\) \/ customers at start/);
    expect(field(explained, 'Loyalty points')).toMatch(/company-wide \(also in a rep's digest\): issued = points earned by loyalty rules .* "loyalty plugin is off" when/);
  });

  it('gives a rep their own book only', async () => {
    const [mine] = await say(app, 'alice', '/digest now week');
    expect(mine.text).toMatch(/^KPI digest, book of web:alice: /);
    const won = wonIn(FROM, NOW).filter((d) => d.owner === 'web:alice').reduce((a, d) => a + d.amountMinor, 0);
    expect(field(mine, 'Revenue won')).toMatch(starts(usd(won)));
    expect(field(mine, 'Open complaints')).toBe('0');
    expect(field(mine, 'Highest churn risk')).not.toContain('Beta');
    expect(field(mine, 'Loyalty points')).toBe(field(digest, 'Loyalty points'));
  });

  it.each([
    ['/digest subscribe hourly', /"hourly" is not a cadence: say daily, weekly or monthly \(there is no free cron: the finest grain is daily\)/],
    ['/digest subscribe * * * * *', /Too many words: say a cadence, a time and a zone \(there is no free cron/],
    ['/digest subscribe daily 25:00', /"25:00" is not a time: write HH:MM 24-hour and an IANA zone like Europe\/Berlin/],
    ['/digest subscribe daily 08:00 Mars/Base', /"Mars\/Base" is not a time zone: write HH:MM 24-hour and an IANA zone like Europe\/Berlin/],
    ['/digest subscribe weekly 8am', /"8am" is not a time zone: write HH:MM 24-hour/],
    ['/digest unsubscribe {"$gt":""}', /A subscription id looks like dg-/],
    ['/digest now year', /Say day, week or month/],
  ])('%s -> a clear reply, nothing scheduled', async (line, expected) => {
    const [r] = await say(app, 'mona', line);
    expect(r.text).toMatch(expected);
    expect((await say(app, 'mona', '/digest list'))[0].text).toMatch(/^No digest subscriptions/);
  });

  it('answers help', async () => {
    const [r] = await say(app, 'alice', '/digest help');
    expect(r.fields.map((f: { label: string }) => f.label)).toContain('/digest subscribe <daily|weekly|monthly> [HH:MM] [timezone]');
  });
});

describe('/digest now with the loyalty plugin off', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startDigestApp(newDataDir(), fakeClock(NOW).now, { roles: { assign: { 'web:mona': 'manager' } }, plugins: { 'kpi-digest': { enabled: true } } });
  });
  afterAll(() => app.stop());

  it('says so instead of showing loyalty figures', async () => {
    const [r] = await say(app, 'mona', '/digest now week');
    expect(field(r, 'Loyalty points')).toBe('loyalty plugin is off');
  });
});
