import { formatInZone, isIdentity, platformOf, shortId, zoneFor, type Customer, type Reply } from '../../core/plugin-api.js';
import type { Env } from './fanout.js';
import { needsFollowUp, SCALES } from './scales.js';
import { lastSurveyedId, pairId, type Campaign, type FollowUp } from './store.js';

const HOUR = 3_600_000;

/** The alert about a negative answer; `zone` is the reader's, so the deadline reads as their own wall clock. */
export function alertReply(c: Campaign, customer: Customer, score: number, f: FollowUp, zone: string): Reply {
  const who = `${shortId('customer', customer.id)} ${customer.name}`;
  const kase = shortId('case', f.caseId!);
  return {
    text: `Survey alert: ${who} answered ${SCALES[c.kind].label} ${score} on survey ${c.id}. Follow-up case ${kase} for ${f.owner ?? 'nobody yet (no owner)'}, due ${formatInZone(f.dueAt, zone)}.`,
    buttons: [
      { id: 'customer.show', label: 'Open customer', value: shortId('customer', customer.id) },
      { id: 'survey.close', label: 'Close case', value: kase },
    ],
  };
}

/**
 * Closes the loop on a negative answer: one case per (campaign, customer), owned by the customer's owner
 * or the configured fallback, plus an alert through the outbox.
 */
export async function openFollowUp(e: Env, c: Campaign, customer: Customer, score: number, now: string): Promise<FollowUp | null> {
  if (!needsFollowUp(c.kind, score)) return null;
  const draft: FollowUp = {
    id: pairId(c.id, customer.id), campaignId: c.id, customerId: customer.id, kind: c.kind, score, caseId: null,
    owner: customer.owner ?? e.cfg.followUpOwner, openedAt: now, dueAt: new Date(Date.parse(now) + e.cfg.followUpHours * HOUR).toISOString(),
    closedAt: null, hoursToFollowUp: null,
  };
  if (!(await e.r.followups.insertIfAbsent(draft))) return null;
  const kase = await e.ts.cases.open({
    customerId: customer.id, kind: 'detractor_followup', owner: draft.owner, summary: `${SCALES[c.kind].label} ${score} on survey ${c.id}`, dueAt: draft.dueAt,
  }, now);
  const f = { ...draft, caseId: kase.id };
  await e.r.followups.put(f);
  const target = e.cfg.alertTarget;
  if (target) {
    const zone = zoneFor(await e.ts.identities.get(target.target), e.ctx.settings(e.tenant).timezone);
    await e.ctx.outbox.send(e.tenant, { ...target, reply: alertReply(c, customer, score, f, zone), idempotencyKey: `survey-alert:${c.id}:${customer.id}` });
  }
  // The owner hears of their case directly, unless the alert already went to them.
  if (f.owner && isIdentity(f.owner) && f.owner !== target?.target) {
    const zone = zoneFor(await e.ts.identities.get(f.owner), e.ctx.settings(e.tenant).timezone);
    await e.ctx.outbox.send(e.tenant, {
      platform: platformOf(f.owner), target: f.owner, reply: alertReply(c, customer, score, f, zone), idempotencyKey: `survey-owner:${c.id}:${customer.id}`,
    });
  }
  return f;
}

/** Tells each owner once when an open follow-up case passes its deadline; returns how many were told. */
export async function overduePass(e: Env, now: string): Promise<number> {
  const late = (await e.r.followups.find({ closedAt: null, overdueToldAt: null }, { orderBy: 'dueAt', limit: e.cfg.maxRecipientsPerTick }))
    .filter((f) => f.dueAt <= now && f.caseId !== null);
  const tenantZone = e.ctx.settings(e.tenant).timezone;
  for (const f of late) {
    const recipient = f.owner && isIdentity(f.owner) ? { platform: platformOf(f.owner), target: f.owner } : e.cfg.alertTarget;
    if (recipient) {
      const zone = zoneFor(await e.ts.identities.get(recipient.target), tenantZone);
      const kase = shortId('case', f.caseId!);
      await e.ctx.outbox.send(e.tenant, {
        ...recipient,
        reply: {
          text: `Overdue: follow-up case ${kase} for ${shortId('customer', f.customerId)} (${SCALES[f.kind].label} ${f.score} on survey ${f.campaignId}) was due ${formatInZone(f.dueAt, zone)} and is still open.`,
          buttons: [
            { id: 'customer.show', label: 'Open customer', value: shortId('customer', f.customerId) },
            { id: 'survey.close', label: 'Close case', value: kase },
          ],
        },
        idempotencyKey: `survey-overdue:${f.id}`,
      });
    }
    await e.r.followups.put({ ...f, overdueToldAt: now });
  }
  return late.length;
}

/** Records time-to-follow-up and lifts the "surveyed recently" block, so the person may be asked again. */
export async function recordClosed(e: Env, f: FollowUp, closedAt: string): Promise<FollowUp> {
  const done = { ...f, closedAt, hoursToFollowUp: Math.round(((Date.parse(closedAt) - Date.parse(f.openedAt)) / HOUR) * 10) / 10 };
  await e.r.followups.put(done);
  await e.r.lastSurveyed.delete(lastSurveyedId(f.customerId));
  return done;
}

export async function followUpOfCase(e: Env, caseId: number): Promise<FollowUp | null> {
  return (await e.r.followups.find({ caseId }, { limit: 1 }))[0] ?? null;
}
