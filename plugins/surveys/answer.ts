import { changeDoc, CommandError, NotFoundError, surveyAnswerSource, surveyAnswerText, type CommandContext, type Customer } from '../../core/plugin-api.js';
import type { Env } from './fanout.js';
import { openFollowUp } from './followup.js';
import { localeOf, words, type Locale } from './questions.js';
import { inRange, SCALES } from './scales.js';
import { pairId, type Answer, type Campaign, type Recipient } from './store.js';

const DAY = 86_400_000;
export const MAX_WHY = 1000;

function lang(e: Env, ctx: CommandContext): Locale {
  return localeOf(ctx.actor.locale, e.ctx.settings(e.tenant).locale);
}

/** Who may answer what: a customer, of a campaign of this tenant, that reached them, still open. */
async function gate(e: Env, ctx: CommandContext, campaignId: string): Promise<{ customer: Customer; campaign: Campaign; recipient: Recipient }> {
  const customerId = ctx.actor.customerId;
  const customer = customerId === null ? null : await e.ts.customers.get(customerId);
  if (!customer) throw new CommandError('Surveys are answered by customers; your chat identity has no customer record.');
  const campaign = await e.r.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`There is no survey ${campaignId} here. Answer with the buttons of the survey message you received.`);
  const recipient = await e.r.recipients.get(pairId(campaign.id, customer.id));
  if (!recipient || recipient.status === 'waiting') throw new NotFoundError(`Survey ${campaign.id} was not sent to you, so there is nothing to answer.`);
  const closesAt = Date.parse(campaign.startedAt!) + e.cfg.expiresAfterDays * DAY;
  if (Date.parse(ctx.now()) > closesAt) throw new CommandError(`Survey ${campaign.id} closed on ${new Date(closesAt).toISOString().slice(0, 10)}; answers are no longer taken.`);
  return { customer, campaign, recipient };
}

/**
 * Each score lands on the customer record as a survey_response interaction keyed by survey, person and
 * version: the store's survey aggregate counts the latest per person per survey, which is what both the
 * digest and `/survey results` read (one NPS). A retried click is stored once (same key).
 */
async function record(e: Env, ctx: CommandContext, a: Answer): Promise<void> {
  await e.ts.interactions.add({
    customerId: a.customerId, identity: ctx.actor.identity, type: 'survey_response', channel: `${ctx.platform}:${ctx.channel}`, direction: 'in',
    text: surveyAnswerText(a.kind, a.score), amountMinor: null, currency: null, occurredAt: a.answeredAt,
    sourceEventId: surveyAnswerSource(a.campaignId, a.customerId, a.version),
  });
}

/** One answer per person per campaign: a later click replaces the score. */
export async function answer(e: Env, ctx: CommandContext, campaignId: string, score: number): Promise<string> {
  const { customer, campaign, recipient } = await gate(e, ctx, campaignId);
  const { min, max, label } = SCALES[campaign.kind];
  if (!inRange(campaign.kind, score)) throw new CommandError(`${label} answers go from ${min} to ${max}; ${score} is not one of them. Press one of the buttons of survey ${campaign.id}.`);
  const w = words(lang(e, ctx));
  const now = ctx.now();
  // The first answer is inserted; a later one changes the stored answer at the version it read, so two clicks at
  // once (two processes) each get their own version and interaction instead of both writing the same one.
  const first: Answer = { id: pairId(campaign.id, customer.id), campaignId: campaign.id, kind: campaign.kind, customerId: customer.id, score, why: null, answeredAt: now, version: 1 };
  const seen: { prev: Answer | null } = { prev: null };
  const a = (await e.r.answers.insertIfAbsent(first))
    ? first
    : await changeDoc(e.r.answers, first.id, (p) => ((seen.prev = p).score === score ? null : { score, answeredAt: now, version: p.version + 1 }));
  const prev = seen.prev;
  if (!a) return w.same(campaign.id, score);
  await record(e, ctx, a);
  if (recipient.status === 'sent' || recipient.status === 'reminded') await e.r.recipients.updateIfPresent(recipient.id, { status: 'answered' });
  await openFollowUp(e, campaign, customer, score, now);
  const thanks = prev ? w.changed(campaign.id, score, prev.score) : w.recorded(campaign.id, score);
  return `${thanks}${w.askWhy(campaign.id)}`;
}

export async function why(e: Env, ctx: CommandContext, campaignId: string, reason: string): Promise<string> {
  const { customer, campaign } = await gate(e, ctx, campaignId);
  const now = ctx.now();
  const a = await changeDoc(e.r.answers, pairId(campaign.id, customer.id), (p) => ({ why: reason, answeredAt: now, version: p.version + 1 }));
  if (!a) throw new CommandError(`Answer survey ${campaign.id} first by pressing a score button; then tell us why.`);
  return words(lang(e, ctx)).whyThanks(campaign.id);
}

/** Opting out is consent on the customer record, which every send checks. */
export async function stop(e: Env, ctx: CommandContext): Promise<string> {
  const customer = ctx.actor.customerId === null ? null : await e.ts.customers.get(ctx.actor.customerId);
  if (!customer) throw new CommandError('Surveys go to customers only; your chat identity has no customer record, so there is nothing to stop.');
  const now = ctx.now();
  await e.ts.customers.update(customer.id, { consent: { ...customer.consent, surveys: false, updatedAt: now } }, now);
  return words(lang(e, ctx)).stopped;
}
