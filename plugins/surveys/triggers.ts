import { shortId, type Case, type Deal, type SurveyKind } from '../../core/plugin-api.js';
import { audienceLabel, type Audience } from './audience.js';
import type { Env } from './fanout.js';
import { followUpOfCase, recordClosed } from './followup.js';
import { createCampaign } from './store.js';

const DAY = 86_400_000;

/** A one-person campaign, created once per trigger key even when the event is delivered twice. */
async function schedule(e: Env, key: string, kind: SurveyKind, customerId: number, at: string, by: string): Promise<void> {
  const now = e.ctx.now();
  // A delivery that died before recording the campaign left the trigger empty: the redelivery finishes it (the campaign once, by its source).
  if (!(await e.r.triggers.insertIfAbsent({ id: key, campaignId: '', at: now })) && (await e.r.triggers.get(key))?.campaignId !== '') return;
  const audience: Audience = { type: 'customer', customerId };
  const c = await createCampaign(e.r, {
    kind, audience, audienceLabel: audienceLabel(audience), status: 'scheduled', at, createdAt: now, createdBy: by,
    startedAt: null, finishedAt: null, lastCustomerId: 0, walked: false, source: `trigger ${key}`,
  });
  await e.r.triggers.put({ id: key, campaignId: c.id, at: now });
}

/** N days after a deal is won, the scheduled pass surveys its customer. */
export async function onDealWon(e: Env, deal: Deal): Promise<void> {
  if (e.cfg.afterDealWonDays === null) return;
  const at = new Date(Date.parse(deal.closedAt ?? e.ctx.now()) + e.cfg.afterDealWonDays * DAY).toISOString();
  await schedule(e, `deal:${deal.id}`, e.cfg.afterDealWonSurvey, deal.customerId, at, `trigger: deal ${shortId('deal', deal.id)} won`);
}

/** A closed complaint asks for a survey at once; a closed follow-up records its time to follow up. */
export async function onCaseClosed(e: Env, kase: Case): Promise<void> {
  if (kase.kind === 'detractor_followup') {
    const f = await followUpOfCase(e, kase.id);
    if (f && !f.closedAt) await recordClosed(e, f, kase.closedAt ?? e.ctx.now());
    return;
  }
  const kind = e.cfg.afterComplaintClosedSurvey;
  if (kase.kind !== 'complaint' || !kind) return;
  await schedule(e, `case:${kase.id}`, kind, kase.customerId, kase.closedAt ?? e.ctx.now(), `trigger: complaint ${shortId('case', kase.id)} closed`);
}
