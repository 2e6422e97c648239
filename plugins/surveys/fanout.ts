import type { CoreView, Customer, LedgerEntry, PermissionsOf } from '../../core/plugin-api.js';
import type { manifest } from './manifest.js';
import { matches, needsRfm, rfmMembers } from './audience.js';
import type { Config as SurveyConfig } from './manifest.js';
import { decide, type Decision } from './decide.js';
import { localeOf, surveyReply } from './questions.js';
import {
  lastSurveyedId, pairId, repos, surveyKey, type Campaign, type Ctx, type Decided, type Recipient, type Repos,
} from './store.js';

/** Everything one tenant's fan-out needs, built once per pass. */
export interface Env {
  ctx: Ctx;
  cfg: SurveyConfig;
  tenant: string;
  r: Repos;
  ts: CoreView<PermissionsOf<typeof manifest>>;
}

export function env(ctx: Ctx, tenant: string): Env {
  return { ctx, cfg: ctx.config, tenant, r: repos(ctx, tenant), ts: ctx.tenant(tenant) };
}

const entry = (key: string, account: string, delta: number, at: string): LedgerEntry => ({ key, account, delta, kind: 'fanout', at, data: {} });

/** Discord DMs queued per campaign and UTC day, to switch to one channel post above `discordDmCap`. */
interface DiscordDay {
  account: string;
  count: number;
}

async function invite(e: Env, c: Campaign, rec: Recipient, locale: string | null): Promise<void> {
  const lang = localeOf(locale, e.ctx.settings(e.tenant).locale);
  if (rec.status === 'channel') {
    await e.ctx.outbox.send(e.tenant, {
      platform: 'discord', target: `channel:${e.cfg.discordChannel}`, reply: surveyReply(c.id, c.kind, lang, 'channel'), idempotencyKey: `survey-channel:${c.id}`,
    });
  } else if (rec.status === 'sent') {
    await e.ctx.outbox.send(e.tenant, { platform: rec.platform, target: rec.identity, reply: surveyReply(c.id, c.kind, lang, 'invite'), idempotencyKey: surveyKey(c.id, rec.customerId) });
  }
  const last = await e.r.lastSurveyed.get(lastSurveyedId(rec.customerId));
  if (last?.campaignId !== c.id) await e.r.lastSurveyed.put({ id: lastSurveyedId(rec.customerId), customerId: rec.customerId, campaignId: c.id, at: rec.sentAt ?? rec.dueAt! });
}

/** What this process would decide for one person now (another process may already have decided). */
async function draftDecision(e: Env, c: Campaign, customer: Customer, now: string, discord: DiscordDay): Promise<Decided> {
  const id = pairId(c.id, customer.id);
  const base = { id, campaignId: c.id, customerId: customer.id };
  // A recipient written before decisions were recorded is that person's decision.
  const legacy = await e.r.recipients.get(id);
  if (legacy) {
    const outcome = legacy.status === 'waiting' || legacy.status === 'channel' ? legacy.status : 'sent';
    return { ...base, outcome, recipient: legacy, discordDm: false };
  }
  const d: Decision = decide({
    customer, identities: await e.ts.identities.listForCustomer(customer.id), last: await e.r.lastSurveyed.get(lastSurveyedId(customer.id)),
    campaignId: c.id, now, minDaysBetweenSurveys: e.cfg.minDaysBetweenSurveys, quietHours: e.cfg.quietHours,
    tenantTimezone: e.ctx.settings(e.tenant).timezone,
  });
  if (d.outcome !== 'sent' && d.outcome !== 'waiting') return { ...base, outcome: d.outcome, recipient: null, discordDm: false };
  const overCap = d.outcome === 'sent' && d.identity.platform === 'discord' && e.cfg.discordChannel !== null && discord.count >= e.cfg.discordDmCap;
  const status: Recipient['status'] = overCap ? 'channel' : d.outcome;
  const recipient: Recipient = {
    id, campaignId: c.id, customerId: customer.id, identity: d.identity.identity, platform: d.identity.platform, status,
    dueAt: d.outcome === 'waiting' ? d.dueAt : null, sentAt: d.outcome === 'sent' ? now : null,
  };
  return { ...base, outcome: status, recipient, discordDm: status === 'sent' && recipient.platform === 'discord' };
}

/**
 * Settles one person exactly once, whatever processes race and whatever crashes and retries happen. The first
 * decision written (insertIfAbsent) stands; then, each step idempotent, its recipient record is created if
 * missing, its outcome counted once (ledger key `decide:<campaign>:<customer>`) and the invite queued once
 * (outbox key). A process that lost the race, or a pass redoing a page, only repeats those idempotent steps.
 */
async function settle(e: Env, c: Campaign, customer: Customer, now: string, discord: DiscordDay): Promise<void> {
  const id = pairId(c.id, customer.id);
  const key = `decide:${c.id}:${customer.id}`;
  let decided = await e.r.decisions.get(id);
  if (!decided) {
    const draft = await draftDecision(e, c, customer, now, discord);
    decided = (await e.r.decisions.insertIfAbsent(draft)) ? draft : (await e.r.decisions.get(id))!;
  }
  if (decided.recipient) await e.r.recipients.insertIfAbsent(decided.recipient);
  const res = await e.r.counts.append([
    entry(key, `${c.id}:${decided.outcome}`, 1, now), ...(decided.discordDm ? [entry(`${key}:discord`, discord.account, 1, now)] : []),
  ]);
  if (res.status === 'ok' && decided.discordDm) discord.count += 1;
  if (!decided.recipient) return;
  // The record as it stands now: the person may have answered already, which invite() leaves alone.
  const rec = (await e.r.recipients.get(id)) ?? decided.recipient;
  if (rec.status === 'waiting' || rec.status === 'sent' || rec.status === 'channel') {
    await invite(e, c, rec, (await e.ts.identities.get(rec.identity))?.locale ?? null);
  }
}

/** People whose quiet hours have ended get their invite now (re-checked: they may have opted out meanwhile). */
async function releaseWaiting(e: Env, c: Campaign, now: string, budget: number): Promise<number> {
  const due = (await e.r.recipients.find({ campaignId: c.id, status: 'waiting' }, { orderBy: 'dueAt', limit: budget })).filter((w) => w.dueAt! <= now);
  for (const w of due) {
    const customer = await e.ts.customers.get(w.customerId);
    const d: Decision = customer
      ? decide({
        customer, identities: await e.ts.identities.listForCustomer(customer.id), last: null, campaignId: c.id, now,
        minDaysBetweenSurveys: e.cfg.minDaysBetweenSurveys, quietHours: e.cfg.quietHours, tenantTimezone: e.ctx.settings(e.tenant).timezone,
      })
      : { outcome: 'unreachable' };
    if (d.outcome === 'waiting') {
      await e.r.recipients.put({ ...w, dueAt: d.dueAt });
      continue;
    }
    const key = `release:${c.id}:${w.customerId}`;
    if (d.outcome === 'sent') {
      const rec: Recipient = { ...w, identity: d.identity.identity, platform: d.identity.platform, status: 'sent', dueAt: null, sentAt: now };
      await invite(e, c, rec, d.identity.locale);
      await e.r.counts.append([entry(key, `${c.id}:sent`, 1, now), entry(`${key}:w`, `${c.id}:waiting`, -1, now)]);
      await e.r.recipients.put(rec);
    } else {
      await e.r.counts.append([entry(key, `${c.id}:${d.outcome}`, 1, now), entry(`${key}:w`, `${c.id}:waiting`, -1, now)]);
      await e.r.recipients.delete(w.id);
      // They got nothing, so this campaign must not hold their place against the next one.
      const last = await e.r.lastSurveyed.get(lastSurveyedId(w.customerId));
      if (last?.campaignId === c.id) await e.r.lastSurveyed.delete(last.id);
    }
  }
  return due.length;
}

/**
 * Claims the page after the cursor for this minute, in the store: of several processes advancing the same
 * campaign, one walks the page and the others move on. The claim lapses with the minute, so a process that
 * died mid-page holds nobody up; a page walked twice is harmless because settling a person is idempotent.
 */
async function claimPage(e: Env, c: Campaign, now: string): Promise<boolean> {
  const minute = now.slice(0, 16);
  const res = await e.r.steps.append([{ key: `step:${c.id}:${c.lastCustomerId}:${minute}`, account: `${c.id}:steps`, delta: 1, kind: 'claim', at: now, data: {} }]);
  return res.status === 'ok';
}

async function customersOf(e: Env, c: Campaign): Promise<Customer[]> {
  if (c.audience.type === 'customer') {
    const one = c.lastCustomerId < c.audience.customerId ? await e.ts.customers.get(c.audience.customerId) : null;
    return one ? [one] : [];
  }
  return e.ts.customers.page(c.lastCustomerId, e.cfg.pageSize);
}

/**
 * One bounded step of a campaign: starts it when due, releases people whose quiet hours ended, then walks
 * customer pages (saving the cursor after each page) until `budget` people were handled.
 */
export async function advance(e: Env, campaign: Campaign, now: string, budget: number): Promise<{ campaign: Campaign; handled: number }> {
  let c = campaign;
  if (c.status === 'done') return { campaign: c, handled: 0 };
  if (c.status === 'scheduled') {
    if (c.at > now) return { campaign: c, handled: 0 };
    c = { ...c, status: 'sending', startedAt: now };
    await e.r.campaigns.put(c);
  }
  let handled = await releaseWaiting(e, c, now, budget);
  const discordAccount = `${c.id}:discordDm:${now.slice(0, 10)}`;
  const discord: DiscordDay = { account: discordAccount, count: await e.r.counts.balance(discordAccount) };
  const rfm = needsRfm(c.audience) ? rfmMembers(c.audience, await e.ts.analytics.rfm(c.startedAt!, e.ctx.settings(e.tenant))) : null;
  while (!c.walked && handled < budget) {
    // Another process may have moved the cursor on; start from the furthest point any of us reached.
    const stored = await e.r.campaigns.get(c.id);
    if (stored && (stored.walked || stored.lastCustomerId > c.lastCustomerId)) c = { ...c, lastCustomerId: stored.lastCustomerId, walked: stored.walked };
    if (c.walked) break;
    if (!(await claimPage(e, c, now))) break;
    const page = await customersOf(e, c);
    for (const customer of page) {
      if (!matches(c.audience, customer, rfm)) continue;
      await settle(e, c, customer, now, discord);
      handled += 1;
    }
    const walked = c.audience.type === 'customer' || page.length < e.cfg.pageSize;
    c = { ...c, lastCustomerId: page.at(-1)?.id ?? c.lastCustomerId, walked };
    await e.r.campaigns.put(c);
  }
  if (c.walked && !(await e.r.recipients.find({ campaignId: c.id, status: 'waiting' }, { limit: 1 })).length) {
    c = { ...c, status: 'done', finishedAt: now };
    await e.r.campaigns.put(c);
  }
  return { campaign: c, handled };
}

/** Refuses empty audiences up front: stops at the first matching customer, one page at a time. */
export async function audienceHasAnyone(e: Env, a: Campaign['audience'], asOf: string): Promise<boolean> {
  if (needsRfm(a)) return rfmMembers(a, await e.ts.analytics.rfm(asOf, e.ctx.settings(e.tenant))).size > 0;
  for (let after = 0; ;) {
    const page = await e.ts.customers.page(after, 1000);
    if (!page.length) return false;
    if (page.some((c) => matches(a, c, null))) return true;
    after = page.at(-1)!.id;
  }
}

/** The scheduled pass of one tenant: due scheduled campaigns and those still sending, oldest first. */
export async function fanoutPass(e: Env, now: string): Promise<void> {
  let budget = e.cfg.maxRecipientsPerTick;
  const sending = await e.r.campaigns.find({ status: 'sending' }, { orderBy: 'seq', limit: 100 });
  const due = (await e.r.campaigns.find({ status: 'scheduled' }, { orderBy: 'at', limit: 100 })).filter((c) => c.at <= now);
  for (const c of [...sending, ...due]) {
    if (budget <= 0) break;
    budget -= (await advance(e, c, now, budget)).handled;
  }
}
