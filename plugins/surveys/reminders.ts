import { changeDoc } from '../../core/plugin-api.js';
import { quietUntil } from './clock.js';
import type { Env } from './fanout.js';
import { localeOf, surveyReply } from './questions.js';
import { reminderKey, type Campaign, type Recipient } from './store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One reminder at most, to people who got a DM, have not answered, still consent, outside quiet hours. */
export async function remindPass(e: Env, now: string): Promise<number> {
  if (e.cfg.reminderAfterHours === 0) return 0;
  const cutoff = new Date(Date.parse(now) - e.cfg.reminderAfterHours * HOUR).toISOString();
  const open = (c: Campaign) => c.startedAt !== null && Date.parse(c.startedAt) + e.cfg.expiresAfterDays * DAY > Date.parse(now);
  const campaigns = [
    ...(await e.r.campaigns.find({ status: 'sending' }, { orderBy: 'seq', limit: 100 })),
    ...(await e.r.campaigns.find({ status: 'done' }, { orderBy: 'seq', desc: true, limit: 100 })),
  ].filter(open);
  const settings = e.ctx.settings(e.tenant);
  let budget = e.cfg.maxRecipientsPerTick;
  let sent = 0;
  for (const c of campaigns) {
    const due = (await e.r.recipients.find({ campaignId: c.id, status: 'sent' }, { orderBy: 'sentAt', limit: budget })).filter((r) => r.sentAt! <= cutoff);
    budget -= due.length;
    for (const r of due) {
      const [customer, identity] = await Promise.all([e.ts.customers.get(r.customerId), e.ts.identities.get(r.identity)]);
      if (!customer?.consent.surveys || !identity?.reachable) continue;
      if (quietUntil(now, identity.timezone ?? settings.timezone, e.cfg.quietHours)) continue;
      const reply = surveyReply(c.id, c.kind, localeOf(identity.locale, settings.locale), 'reminder');
      await e.ctx.outbox.send(e.tenant, { platform: r.platform, target: r.identity, reply, idempotencyKey: reminderKey(c.id, r.customerId) });
      await e.r.counts.append([{ key: `remind:${c.id}:${r.customerId}`, account: `${c.id}:reminded`, delta: 1, kind: 'reminder', at: now, data: {} }]);
      // Only a person still waiting for an answer becomes `reminded`: an answer given meanwhile stays.
      await changeDoc(e.r.recipients, r.id, (x): Partial<Recipient> | null => (x.status === 'sent' ? { status: 'reminded' } : null));
      sent += 1;
    }
    if (budget <= 0) break;
  }
  return sent;
}
