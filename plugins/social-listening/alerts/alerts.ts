import { formatMoney, rfmSegment, shortId, type Button, type PluginContext, type Reply } from '../../../core/index.js';
import { explainInfluence, influence, type InfluenceFacts } from '../report/influence.js';
import { collections, daysBetween, TRIAGE_TAGS, type Config, type Mention } from '../store.js';
import { baselineCounts, detectSpike, previousHours, type SpikeVerdict } from './spike.js';

const HIGH_VALUE_SEGMENTS = new Set(['Champions', 'Loyal', 'Cannot lose them']);
const DAY = 86_400_000;

/** Buttons that run `/mentions tag <id> <tag>` as whoever presses them. */
export function triageButtons(mentionId: string): Button[] {
  return TRIAGE_TAGS.map((tag) => ({ id: 'mentions.tag', label: tag[0]!.toUpperCase() + tag.slice(1), value: `${mentionId} ${tag}` }));
}

/** Who the author is worth to us: RFM segment / monetary, and influence over the last 30 days. */
export async function authorWeight(ctx: PluginContext<Config>, tenant: string, m: Mention): Promise<{ reasons: string[]; facts: InfluenceFacts }> {
  const cfg = ctx.config;
  const currency = ctx.settings(tenant).currency;
  const reasons: string[] = [];
  let monetaryMinor = 0;
  if (m.customerId !== null) {
    const rfm = await ctx.tenant(tenant).analytics.rfmFor(m.customerId, ctx.now(), ctx.settings(tenant));
    if (rfm) {
      monetaryMinor = rfm.monetaryMinor;
      const segment = rfmSegment(rfm.r, rfm.f, rfm.m);
      if (HIGH_VALUE_SEGMENTS.has(segment)) reasons.push(`${segment} customer ${shortId('customer', m.customerId)}`);
      else if (rfm.monetaryMinor >= cfg.highValueMonetaryMinor) reasons.push(`customer ${shortId('customer', m.customerId)} spent ${formatMoney(rfm.monetaryMinor, currency)}`);
    }
  }
  const facts = { reach: null, ...(await activity(ctx, tenant, m.author, Date.parse(ctx.now()) - 30 * DAY)), monetaryMinor };
  if (influence(facts).score >= cfg.influenceThreshold) reasons.push(`influential member: ${explainInfluence(facts, currency)}`);
  return { reasons, facts };
}

/** Messages seen from an author and how many were mentions, since `fromMs`. */
export async function activity(ctx: PluginContext<Config>, tenant: string, author: string | null, fromMs: number): Promise<{ messages: number; mentions: number }> {
  if (!author) return { messages: 0, mentions: 0 };
  const from = daysBetween(fromMs, fromMs + 1)[0]!;
  const rows = await collections(ctx, tenant).authors.find({ identity: author }, { orderBy: 'day', desc: true, limit: 400 });
  let messages = 0;
  let mentions = 0;
  for (const r of rows) {
    if (r.day < from) break;
    messages += r.messages;
    mentions += r.mentions;
  }
  return { messages, mentions };
}

function quote(m: Mention): string {
  return `${m.authorName}${m.author ? ` (${m.author})` : ''} in ${m.channel}: "${m.excerpt}"${m.permalink ? ` ${m.permalink}` : ''}`;
}

export function negativeAlert(m: Mention, reasons: string[]): Reply {
  return {
    text: `Negative mention (${m.query}, score ${m.score}) from ${reasons.join('; ')}.\n${quote(m)}`,
    fields: [{ label: 'Mention', value: m.id }],
    buttons: triageButtons(m.id),
  };
}

export function spikeAlert(m: Mention, count: number, v: SpikeVerdict): Reply {
  return {
    text: `Spike: ${count} mentions of "${m.query}" in the hour from ${m.hour}:00 UTC, against a 7-day baseline of ${v.mean}/hour (sd ${v.sd}, z = ${v.z}).\nLatest: ${quote(m)}`,
    fields: [{ label: 'Mention', value: m.id }],
    buttons: triageButtons(m.id),
  };
}

/** Recounts this hour for the mention's query and alerts once per query and hour when it is a spike. */
export async function checkSpike(ctx: PluginContext<Config>, tenant: string, m: Mention): Promise<void> {
  const { mentions, hourly } = collections(ctx, tenant);
  const count = (await mentions.find({ query: m.query, hour: m.hour }, { limit: 1_000_000 })).length;
  await hourly.put({ id: `${m.query}|${m.hour}`, query: m.query, hour: m.hour, count });
  if (m.hour !== new Date(ctx.now()).toISOString().slice(0, 13)) return; // backfilled items do not make today's spike
  const oldest = previousHours(m.hour)[0]!;
  const stored = await hourly.find({ query: m.query }, { orderBy: 'hour', desc: true, limit: 24 * 9 });
  if (count === 1) for (const h of stored) if (h.hour < oldest) await hourly.delete(h.id);
  const verdict = detectSpike(count, baselineCounts(m.hour, new Map(stored.map((h) => [h.hour, h.count]))), { minCount: ctx.config.minSpikeCount, minZ: ctx.config.spikeZ });
  if (verdict.spike) await send(ctx, tenant, `spike:${m.query}:${m.hour}`, spikeAlert(m, count, verdict));
}

export async function checkNegative(ctx: PluginContext<Config>, tenant: string, m: Mention): Promise<void> {
  if (m.label !== 'negative') return;
  const { reasons } = await authorWeight(ctx, tenant, m);
  if (reasons.length) await send(ctx, tenant, `negative:${m.id}`, negativeAlert(m, reasons));
}

async function send(ctx: PluginContext<Config>, tenant: string, idempotencyKey: string, reply: Reply): Promise<void> {
  const to = ctx.config.alertTarget;
  if (!to) return;
  // Alerts are posted for the team reading the alert channel.
  await ctx.outbox.send(tenant, { platform: to.platform, target: to.target, reply: { ...reply, visibility: 'public' }, idempotencyKey });
}
