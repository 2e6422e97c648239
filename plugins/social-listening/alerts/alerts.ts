import { formatMoney, rfmSegment, shortId, type Button, type Reply } from '../../../core/plugin-api.js';
import { explainInfluence, influence, type InfluenceFacts } from '../report/influence.js';
import { splitText } from '../report/summary.js';
import { collections, daysBetween, mentionsBetween, TRIAGE_TAGS, type Burst, type Config, type Mention } from '../store.js';
import { baselineCounts, detectSpike, hourOf, previousHours, type SpikeVerdict } from './spike.js';
import type { Ctx } from '../manifest.js';

const HIGH_VALUE_SEGMENTS = new Set(['Champions', 'Loyal', 'Cannot lose them']);
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A mention older than this when heard (a feed's backlog) is recorded but makes no spike now. */
const FRESH_MS = 2 * HOUR;

/** Buttons that run `/mentions tag <id> <tag>` as whoever presses them (a mention id or a burst id). */
export function triageButtons(mentionId: string): Button[] {
  return TRIAGE_TAGS.map((tag) => ({ id: 'mentions.tag', label: tag[0]!.toUpperCase() + tag.slice(1), value: `${mentionId} ${tag}` }));
}

/** Who the author is worth to us: RFM segment / monetary, and influence over the last 30 days. */
export async function authorWeight(ctx: Ctx, tenant: string, m: Mention): Promise<{ reasons: string[]; facts: InfluenceFacts }> {
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
  const facts = { ...(await activity(ctx, tenant, m.author, Date.parse(ctx.now()) - 30 * DAY)), monetaryMinor };
  if (influence(facts).score >= cfg.influenceThreshold) reasons.push(`influential member: ${explainInfluence(facts, currency)}`);
  return { reasons, facts };
}

/** Messages seen from an author, how many were mentions, and how many others replied to them, since `fromMs`. */
export async function activity(ctx: Ctx, tenant: string, author: string | null, fromMs: number): Promise<Omit<InfluenceFacts, 'monetaryMinor'>> {
  if (!author) return { reach: 0, messages: 0, mentions: 0 };
  const from = daysBetween(fromMs, fromMs + 1)[0]!;
  const rows = await collections(ctx, tenant).authors.find({ identity: author }, { orderBy: 'day', desc: true, limit: 400 });
  let messages = 0;
  let mentions = 0;
  const repliers = new Set<string>();
  for (const r of rows) {
    if (r.day < from) break;
    messages += r.messages;
    mentions += r.mentions;
    for (const who of r.repliedBy ?? []) repliers.add(who);
  }
  return { reach: repliers.size, messages, mentions };
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

export function spikeAlert(burst: Burst, window: readonly Mention[], v: SpikeVerdict, latest: Mention): Reply {
  const split = { negative: 0, neutral: 0, positive: 0 };
  for (const w of window) split[w.label]++;
  const hhmm = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return {
    text: `Spike: ${window.length} mentions of "${burst.query}" within 60 minutes (${hhmm(window[0]!.occurredAt)} to ${hhmm(latest.occurredAt)} UTC), against a 7-day baseline of ${v.mean}/hour (sd ${v.sd}, z = ${v.z}).\nSentiment: ${splitText(split)}.\nLatest: ${quote(latest)}`,
    fields: [{ label: 'Burst', value: burst.id }, { label: 'Sentiment', value: splitText(split) }],
    buttons: triageButtons(burst.id),
  };
}

/** The burst id of a spike: the query and the minute of its first mention, the same in every process. */
export function burstId(query: string, firstAt: string): string {
  return `burst.${query}.${firstAt.slice(0, 16).replace(/[-:]/g, '')}`;
}

/** Whether a query is still building its baseline at `atMs`: it has listened for less than `baselineHours`. */
export function baselineForming(createdAt: string | null, baselineHours: number, atMs: number): boolean {
  return createdAt !== null && atMs - Date.parse(createdAt) < baselineHours * HOUR;
}

/**
 * Counts the query's mentions in the 60 minutes up to this mention's own time (a sliding window, so a
 * burst polled after the hour turned still counts whole) against its hourly counts of the 7 days before,
 * from when the query existed. One alert per burst; later spiking mentions extend the burst.
 */
export async function checkSpike(ctx: Ctx, tenant: string, m: Mention): Promise<void> {
  const { mentions, hourly, queries, bursts } = collections(ctx, tenant);
  // Counted in one atomic step per new mention, so processes hearing the same query at once lose no count.
  const hourId = `${m.query}|${m.hour}`;
  await hourly.insertIfAbsent({ id: hourId, query: m.query, hour: m.hour, count: 0 });
  const count = await hourly.increment(hourId, 'count', 1);
  const at = Date.parse(m.occurredAt);
  if (at < Date.parse(ctx.now()) - FRESH_MS) return; // backfilled items do not make a spike now
  const createdAt = (await queries.get(m.query))?.createdAt ?? null;
  if (baselineForming(createdAt, ctx.config.baselineHours, at)) return;
  const window = (await mentionsBetween(mentions, at - HOUR + 1, at + 1, m.query)).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
  const startHour = hourOf(new Date(at - HOUR + 1).toISOString());
  const oldest = previousHours(startHour)[0]!;
  const stored = await hourly.find({ query: m.query }, { orderBy: 'hour', desc: true, limit: 24 * 9 });
  if (count === 1) for (const h of stored) if (h.hour < oldest) await hourly.delete(h.id);
  const baseline = baselineCounts(startHour, new Map(stored.map((h) => [h.hour, h.count])), createdAt ? hourOf(createdAt) : '');
  const verdict = detectSpike(window.length, baseline, { minCount: ctx.config.minSpikeCount, minZ: ctx.config.spikeZ });
  if (!verdict.spike) return;
  const [last] = await bursts.find({ query: m.query }, { orderBy: 'to', desc: true, limit: 1 });
  if (last && Date.parse(last.to) > at - HOUR) {
    if (last.to < m.occurredAt) await bursts.updateIfPresent(last.id, { to: m.occurredAt });
    return;
  }
  const burst: Burst = { id: burstId(m.query, window[0]!.occurredAt), query: m.query, from: window[0]!.occurredAt, to: m.occurredAt };
  if (!(await bursts.insertIfAbsent(burst))) return;
  await send(ctx, tenant, `spike:${burst.id}`, spikeAlert(burst, window, verdict, m));
}

export async function checkNegative(ctx: Ctx, tenant: string, m: Mention): Promise<void> {
  if (m.label !== 'negative') return;
  const { reasons } = await authorWeight(ctx, tenant, m);
  if (reasons.length) await send(ctx, tenant, `negative:${m.id}`, negativeAlert(m, reasons));
}

async function send(ctx: Ctx, tenant: string, idempotencyKey: string, reply: Reply): Promise<void> {
  const to = ctx.config.alertTarget;
  if (!to) return;
  // Alerts are posted for the team reading the alert channel.
  await ctx.outbox.send(tenant, { platform: to.platform, target: to.target, reply: { ...reply, visibility: 'public' }, idempotencyKey });
}
