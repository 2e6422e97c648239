import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, type Case, type Deal, type Interaction } from '../core/index.js';
import { say, startTestApp, type TestApp } from './helpers/app.js';

const NOW = Date.parse('2026-11-23T09:30:00.000Z');
const usd = (minor: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);

/**
 * Issue 11's acceptance: `/digest now` over the demo book shows every block, and the headline numbers
 * are recomputed here with plain loops over every record, paged out of the store.
 */
describe('/digest now over the demo data', () => {
  let app: TestApp;
  let fields: Map<string, string>;
  let title: string;
  const book: { interactions: Interaction[]; deals: Deal[]; cases: Case[] } = { interactions: [], deals: [], cases: [] };

  beforeAll(async () => {
    app = await startTestApp({}, { roles: { assign: { 'web:bob': 'manager' } } }, undefined, () => NOW);
    await loadDemo(app.engine);
    const ts = app.engine.store.tenant('default');
    for (const kind of ['interactions', 'deals', 'cases'] as const) {
      for (let page = await ts.bulk.page(kind, 0, 1000); page.length; page = await ts.bulk.page(kind, page.at(-1)!.id, 1000)) (book[kind] as unknown[]).push(...page);
    }
    const [reply] = await say(app, 'bob', '/digest now month');
    title = reply.text;
    fields = new Map(reply.fields.map((f: { label: string; value: string }) => [f.label, f.value]));
  });
  afterAll(() => app.stop());

  // The month ending now: 2026-10-23 09:30 to 2026-11-23 09:30 UTC.
  const from = '2026-10-23T09:30:00.000Z';
  const to = '2026-11-23T09:30:00.000Z';
  const inWindow = (at: string | null) => at !== null && at >= from && at < to;

  it('covers the month ending now and fills every block', () => {
    expect(title).toBe('KPI digest, company view: 2026-10-23 09:30 to 2026-11-23 09:30 UTC, compared with the month before.');
    for (const label of ['New customers', 'Active customers', 'Retention rate', 'Churn rate', 'NPS', 'CSAT', 'CES', 'Revenue won', 'Win rate',
      'Average deal size', 'Sales cycle', 'Pipeline by stage', 'Weighted forecast', 'CAC', 'CLV', 'CLV/CAC', 'Lifecycle', 'RFM segments',
      'RFM movement', 'Mentions', 'Loyalty points', 'Open complaints', 'Detractor follow-ups overdue', 'Highest churn risk']) {
      expect(fields.get(label), label).toMatch(/\S/);
    }
  });

  it('NPS = %promoters - %detractors over the answers in the month', () => {
    const scores = book.interactions.filter((i) => i.type === 'survey_response' && inWindow(i.occurredAt)).map((i) => /^nps (\d+)/.exec(i.text)).filter((m) => m).map((m) => Number(m![1]));
    const nps = Math.round(((scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length) / scores.length) * 1000) / 10;
    expect(fields.get('NPS')).toMatch(new RegExp(`^${nps} .*; ${scores.length} responses`));
  });

  it('revenue won = deals won in the month', () => {
    const won = book.deals.filter((d) => d.stage === 'won' && inWindow(d.closedAt)).reduce((a, d) => a + d.amountMinor, 0);
    expect(fields.get('Revenue won')!.startsWith(`${usd(won)} `)).toBe(true);
  });

  it('pipeline by stage = open deals per stage with count and total', () => {
    const open = book.deals.filter((d) => d.closedAt === null);
    for (const stage of ['lead', 'qualified', 'proposal', 'negotiation']) {
      const deals = open.filter((d) => d.stage === stage);
      expect(fields.get('Pipeline by stage')).toContain(`${stage}: ${deals.length} deals, ${usd(deals.reduce((a, d) => a + d.amountMinor, 0))}`);
    }
  });

  it('mentions and open complaints', () => {
    const mentions = book.interactions.filter((i) => i.type === 'mention' && inWindow(i.occurredAt));
    const negative = mentions.filter((i) => i.text.startsWith('negative: ')).length;
    expect(fields.get('Mentions')).toMatch(new RegExp(`^${mentions.length} .*: ${negative} negative,`));
    expect(fields.get('Open complaints')).toBe(String(book.cases.filter((k) => k.status === 'open' && k.kind === 'complaint').length));
  });
});

/** Issue 18, item 9: the demo year is spread over the year and its views agree with its records. */
describe('the demo year agrees with itself', () => {
  let app: TestApp;
  const DAY = 86_400_000;
  const book: { interactions: Interaction[]; deals: Deal[] } = { interactions: [], deals: [] };
  beforeAll(async () => {
    app = await startTestApp({}, { roles: { assign: { 'web:bob': 'manager' } } }, undefined, () => NOW);
    await loadDemo(app.engine);
    const ts = app.engine.store.tenant('default');
    for (const kind of ['interactions', 'deals'] as const) {
      for (let page = await ts.bulk.page(kind, 0, 1000); page.length; page = await ts.bulk.page(kind, page.at(-1)!.id, 1000)) (book[kind] as unknown[]).push(...page);
    }
  });
  afterAll(() => app.stop());

  it('has no spike on load day: loyalty points, deal closes, answers and mentions spread over the year', async () => {
    const entries = await app.engine.store.tenant('default').ledger('loyalty', 'points').entriesByPrefix('', 2 ** 31 - 1);
    let total = 0;
    let lastDay = 0;
    for (const e of entries) {
      if (e.kind !== 'earn') continue;
      total += e.delta;
      if (Date.parse(e.at) >= NOW - DAY) lastDay += e.delta;
    }
    expect(total).toBeGreaterThan(0);
    // A year of 365 days: a fair day holds well under 5% of the points.
    expect(lastDay / total).toBeLessThan(0.05);
    const closedToday = book.deals.filter((d) => d.closedAt !== null && Date.parse(d.closedAt) >= NOW - DAY).length;
    const closed = book.deals.filter((d) => d.closedAt !== null).length;
    expect(closedToday / closed).toBeLessThan(0.05);
    for (const type of ['survey_response', 'mention'] as const) {
      const all = book.interactions.filter((i) => i.type === type);
      const months = new Set(all.map((i) => i.occurredAt.slice(0, 7)));
      expect(months.size, type).toBeGreaterThanOrEqual(10);
    }
  });

  it('records every won deal once as a purchase at its close time', () => {
    const won = book.deals.filter((d) => d.stage === 'won');
    expect(won.length).toBeGreaterThan(0);
    for (const d of won) {
      const p = book.interactions.filter((i) => i.sourceEventId === `deal-won:${d.id}`);
      expect(p).toMatchObject([{ type: 'purchase', customerId: d.customerId, amountMinor: d.amountMinor, currency: d.currency, occurredAt: d.closedAt }]);
    }
  });

  it('/deal pipeline shows the open deals the book holds, and how many were estimated', async () => {
    const [p] = await say(app, 'bob', '/deal pipeline');
    const open = book.deals.filter((d) => d.closedAt === null);
    const total = open.reduce((a, d) => a + d.amountMinor, 0);
    expect(p.text).toMatch(new RegExp(`^Pipeline \\(USD\\): ${open.length} open deals, ${usd(total).replace(/[$.]/g, '\\$&')} total`));
    const undated = open.filter((d) => d.expectedClose === null).length;
    expect(undated).toBeGreaterThan(0);
    expect(p.fields.find((f: { label: string }) => f.label === 'Estimated close dates').value).toMatch(new RegExp(`^${undated} open deals have no close date`));
  });

  it('/survey list and /survey results show the demo surveys with the answers the store holds', async () => {
    const answers = book.interactions.filter((i) => i.type === 'survey_response');
    expect(answers.length).toBeGreaterThan(0);
    // Every demo answer belongs to a demo survey, once per person per survey.
    expect(answers.filter((i) => !/^survey:S-[123]:\d+$/.test(i.sourceEventId ?? ''))).toEqual([]);
    const [list] = await say(app, 'bob', '/survey list');
    for (const [id, label] of [['S-1', 'NPS'], ['S-2', 'CSAT'], ['S-3', 'CES']] as const) {
      const mine = answers.filter((i) => i.sourceEventId!.startsWith(`survey:${id}:`));
      expect(new Set(mine.map((i) => i.customerId)).size, id).toBe(mine.length);
      const f = list.fields.find((x: { label: string }) => x.label === `${id} ${label} to everyone`);
      expect(f?.value, id).toMatch(new RegExp(`^done; ${mine.length} reached, ${mine.length} answered; created `));
    }
    const nps = answers.filter((i) => i.sourceEventId!.startsWith('survey:S-1:'));
    const [results] = await say(app, 'bob', '/survey results S-1');
    expect(results.fields.find((x: { label: string }) => x.label === 'NPS').value).toMatch(new RegExp(`^-?\\d+(\\.\\d)? \\(n = ${nps.length}: `));
  });

  it('/mentions lists the demo mentions under the demo query', async () => {
    const mentions = book.interactions.filter((i) => i.type === 'mention');
    expect(mentions.length).toBeGreaterThan(0);
    expect(mentions.filter((i) => !/^mention:\d+:brand$/.test(i.sourceEventId ?? ''))).toEqual([]);
    const [listen] = await say(app, 'bob', '/listen list');
    expect(JSON.stringify(listen)).toContain('lumen');
    const monthAgo = new Date(NOW - 30 * DAY).toISOString();
    const inMonth = mentions.filter((i) => i.occurredAt >= monthAgo);
    const [m] = await say(app, 'bob', '/mentions month brand');
    expect(m.text).toMatch(new RegExp(`^Mentions of "brand" in the last 30 days: ${inMonth.length} `));
  });

  it('/points history of a demo customer is their ledger, newest first', async () => {
    const ts = app.engine.store.tenant('default');
    const id = (await ts.identities.get('web:dana'))!.customerId!;
    const ledger = ts.ledger('loyalty', 'points');
    const entries = [...(await ledger.entries(`avail:${id}`)), ...(await ledger.entries(`pending:${id}`))].sort((x, y) => y.at.localeCompare(x.at)).slice(0, 15);
    expect(entries.length).toBeGreaterThan(0);
    const [h] = await say(app, 'dana', '/points history');
    expect(h.fields.map((f: { label: string; value: string }) => [f.label.split(' ').slice(0, 3).join(' '), /key (\S+)$/.exec(f.value)![1]]))
      .toEqual(entries.map((e) => [`${e.at.slice(0, 10)} ${e.kind} ${e.delta > 0 ? '+' : ''}${e.delta}`, e.key]));
    const [balance] = await say(app, 'dana', '/points');
    expect(balance.text).toContain(`You have ${await ledger.balance(`avail:${id}`)} points to spend and ${await ledger.balance(`pending:${id}`)} pending.`);
  });
});
