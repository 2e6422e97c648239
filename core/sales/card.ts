import type { Reply, Field } from '../chat/reply.js';
import type { CommandContext } from '../commands/types.js';
import { shortId } from '../domain/ids.js';
import { parseSurveyAnswer } from '../domain/survey-answer.js';
import { mentionSentiment } from '../domain/mention.js';
import type { Customer, Deal, Interaction } from '../domain/types.js';
import { totalIn, unconvertedNote, type Rates } from '../kpi/fx.js';
import { annualRevenue, cac, historicalClv, predictiveClv } from '../kpi/clv.js';
import { churnRisk } from '../kpi/churn.js';
import { lifecycleStage } from '../kpi/lifecycle.js';
import { rfmSegment } from '../kpi/rfm.js';
import { formatMoney } from './amount.js';
import { countOf } from './count.js';
import { dealLine, interactionLine } from './format.js';
import { resolvedComplaintsField } from './cases.js';

const DAY = 86_400_000;
const DAYS = { one: 'day', other: 'days' };
const WON_SHOWN = 50;

/** CAC over the last twelve months: recorded spend / customers whose first purchase falls in that window (new paying customers). */
export async function trailingCac(ctx: CommandContext): Promise<number | null> {
  const now = new Date(ctx.now());
  const from = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1));
  const spend = await ctx.store.spend.total(from.toISOString().slice(0, 7), now.toISOString().slice(0, 7));
  const acquired = await ctx.store.analytics.customerActivity(from.toISOString(), now.toISOString(), ctx.settings.kpi.churnWindowDays, null);
  return cac(spend, acquired.newBuyers);
}

/** The customer 360 view: one card with everything we know, each figure traceable to CRM-METHOD. */
export async function customerCard(ctx: CommandContext, c: Customer, extraSections: Field[]): Promise<Reply> {
  const s = ctx.store;
  const now = ctx.now();
  const [identities, history, rfm, deals, cases, cacMinor, won] = await Promise.all([
    s.identities.listForCustomer(c.id),
    s.interactions.listForCustomer(c.id, 5000),
    s.analytics.rfmFor(c.id, now, ctx.settings),
    s.deals.list({ customerId: c.id, open: true }, 20),
    s.cases.listOpen(c.id),
    trailingCac(ctx),
    s.deals.list({ customerId: c.id, stage: 'won' }, WON_SHOWN),
  ]);
  const purchases = history.filter((i) => i.type === 'purchase' && i.amountMinor !== null);
  const facts = {
    firstPurchaseAt: purchases.at(-1)?.occurredAt ?? null,
    lastPurchaseAt: purchases[0]?.occurredAt ?? null,
    // Idleness counts the customer's own inbound interactions, not a rep's notes (CRM-METHOD lifecycle).
    lastInteractionAt: history.find((i) => i.type !== 'purchase' && i.direction === 'in')?.occurredAt ?? null,
  };
  const stage = lifecycleStage(facts, now, ctx.settings.kpi);
  if (stage !== c.lifecycle) await s.customers.update(c.id, { lifecycle: stage }, now);
  const { fx, currency } = ctx.settings;
  const paid = totalIn(purchases.map((p) => ({ currency: p.currency ?? currency, minor: p.amountMinor! })), currency, fx);
  const revenue = paid.minor;
  const apart = unconvertedNote(paid.unconverted, currency, fx, formatMoney);
  const tenureDays = facts.firstPurchaseAt ? (Date.parse(now) - Date.parse(facts.firstPurchaseAt)) / DAY : 0;
  const { grossMargin, expectedLifetimeYears } = ctx.settings.kpi;
  const clv = predictiveClv(annualRevenue(revenue, tenureDays), grossMargin, expectedLifetimeYears, cacMinor);
  const answers = surveyAnswers(history);
  const risk = churnRisk({
    asOf: now, purchaseDates: purchases.map((p) => p.occurredAt), churnWindowDays: ctx.settings.kpi.churnWindowDays,
    lastNps: answers.nps ?? null, openComplaints: cases.filter((k) => k.kind === 'complaint').length,
    negativeMentions: history.filter((i) => i.type === 'mention' && mentionSentiment(i.text) === 'negative').length,
  });
  const fields: Field[] = [
    { label: 'Identities', value: identities.map((i) => i.identity).join(', ') || 'none yet' },
    { label: 'Owner', value: c.owner ?? 'unassigned' },
    { label: 'Company', value: c.company ?? '-' },
    { label: 'Contacts', value: [...c.emails, ...c.phones].join(', ') || '-' },
    { label: 'Tags', value: c.tags.join(', ') || '-' },
    { label: 'Lifecycle', value: stage },
    {
      label: 'RFM',
      value: rfm ? `R${rfm.r} F${rfm.f} M${rfm.m}: ${rfmSegment(rfm.r, rfm.f, rfm.m)} (last purchase ${countOf(rfm.recencyDays, DAYS, ctx.settings.locale)} ago, ${countOf(rfm.frequency, { one: 'purchase', other: 'purchases' }, ctx.settings.locale)}, ${formatMoney(rfm.monetaryMinor, currency)}${rfm.unconverted.length ? `; ${unconvertedNote(rfm.unconverted, currency, fx, formatMoney)}` : ''})` : 'no purchases yet',
    },
    {
      label: 'CLV',
      value: `${formatMoney(clv, currency)} predicted (annual revenue x ${grossMargin} margin x ${expectedLifetimeYears} years - CAC ${cacMinor === null ? 'n/a' : formatMoney(cacMinor, currency)}); ${formatMoney(historicalClv(revenue, grossMargin), currency)} margin earned so far${apart ? `; ${apart}` : ''}`,
    },
    { label: 'Won deals', value: wonDealsLine(won, currency, fx) },
    { label: 'Churn risk', value: `${risk.score}/100: ${risk.reasons.join('; ')}` },
    { label: 'Last NPS / CSAT', value: `${answers.nps ?? '-'} / ${answers.csat ?? '-'}` },
    ...extraSections,
    { label: 'Open deals', value: deals.map((d) => dealLine(d, c.name)).join('\n') || 'none' },
    { label: 'Open complaints', value: cases.filter((k) => k.kind === 'complaint').map((k) => `${shortId('case', k.id)} ${k.summary} (owner ${k.owner ?? '-'})`).join('\n') || 'none' },
    await resolvedComplaintsField(s, c.id),
    { label: 'Last interactions', value: history.slice(0, 5).map(interactionLine).join('\n') || 'none' },
  ];
  return { text: `${shortId('customer', c.id)} ${c.name}`, fields };
}

/** The customer's recent won deals and their total in the reporting currency (CRM-METHOD: won deals are revenue). */
function wonDealsLine(won: Deal[], currency: string, fx: Rates): string {
  if (!won.length) return 'none';
  const total = totalIn(won.map((d) => ({ currency: d.currency, minor: d.amountMinor })), currency, fx);
  const apart = unconvertedNote(total.unconverted, currency, fx, formatMoney);
  const lines = won.slice(0, 5).map((d) => `${shortId('deal', d.id)} ${d.title}: ${formatMoney(d.amountMinor, d.currency)}, won ${d.closedAt!.slice(0, 10)}`);
  const more = won.length >= WON_SHOWN ? ` (latest ${WON_SHOWN})` : '';
  return `${won.length} won${more}, ${formatMoney(total.minor, currency)} in total${apart ? `; ${apart}` : ''}\n${lines.join('\n')}`;
}

function surveyAnswers(history: Interaction[]): { nps?: number; csat?: number } {
  const out: { nps?: number; csat?: number } = {};
  for (const i of history) {
    if (i.type !== 'survey_response') continue;
    const a = parseSurveyAnswer(i.text);
    if (a && a.kind !== 'ces' && out[a.kind] === undefined) out[a.kind] = a.score;
  }
  return out;
}
