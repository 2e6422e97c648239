import { describeEstimate, formatMoney, shortId, type Estimate, type Field, type Money, type Reply } from '../../../core/plugin-api.js';
import { digestChartUrl } from '../chart/digest-chart.js';
import type { PeriodKind } from '../schedule/cadence.js';
import { localTime } from '../schedule/zoned.js';
import type { DigestData, Pair } from './compute.js';
import type { LoyaltyFigures } from './loyalty.js';

/** The digest as one platform-neutral reply: a line per figure with its change, the chart, the explain button. */
export interface RenderOptions {
  kind: PeriodKind;
  timezone: string;
  currency: string;
  /** "company view" or "book of web:alice". */
  scope: string;
  late: boolean;
  locale: 'en' | 'zh';
  /** Under this many answers a survey figure says "too few answers" (config kpi.minAnswers). */
  minAnswers: number;
  /** The tenant's fx rates, to say which rate an amount kept apart lacks. */
  fx: Record<string, number>;
}

export const LOYALTY_OFF = 'loyalty plugin is off';

export function arrow(p: Pair): string {
  if (p.value === null || p.previous === null || p.value === p.previous) return '▬';
  return p.value > p.previous ? '▲' : '▼';
}

/** percent: a 0-1 ratio; share: already 0-100. */
type Unit = 'count' | 'percent' | 'share' | 'score' | 'money' | 'days' | 'ratio';

const round1 = (x: number) => Math.round(x * 10) / 10;

export function formatValue(v: number | null, unit: Unit, currency: string): string {
  if (v === null) return 'n/a';
  switch (unit) {
    case 'percent': return `${round1(v * 100)}%`;
    case 'share': return `${v}%`;
    case 'money': return formatMoney(v, currency);
    case 'days': return `${v} days`;
    case 'ratio': return `${Math.round(v * 100) / 100}x`;
    default: return String(v);
  }
}

function formatChange(diff: number, unit: Unit, currency: string): string {
  const sign = diff > 0 ? '+' : diff < 0 ? '-' : '±';
  const abs = Math.abs(diff);
  switch (unit) {
    case 'percent': return `${sign}${round1(abs * 100)} pts`;
    case 'share': return `${sign}${round1(abs)} pts`;
    case 'money': return `${sign}${formatMoney(abs, currency)}`;
    case 'days': return `${sign}${round1(abs)} days`;
    case 'ratio': return `${sign}${Math.round(abs * 100) / 100}x`;
    default: return `${sign}${Math.round(abs * 100) / 100}`;
  }
}

/** "40 ▲ +10 (previous 30)": value, arrow, change and the previous period's value. */
export function compare(p: Pair, unit: Unit, currency: string): string {
  const change = p.value !== null && p.previous !== null ? ` ${formatChange(p.value - p.previous, unit, currency)}` : '';
  return `${formatValue(p.value, unit, currency)} ${arrow(p)}${change} (previous ${formatValue(p.previous, unit, currency)})`;
}

export function localStamp(iso: string, tz: string): string {
  const l = localTime(Date.parse(iso), tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${two(l.month)}-${two(l.day)} ${two(l.hour)}:${two(l.minute)}`;
}

/** A period labelled by its end: the local date of its last instant. */
function chartLabel(endIso: string, kind: PeriodKind, tz: string): string {
  const stamp = localStamp(new Date(Date.parse(endIso) - 1).toISOString(), tz);
  return kind === 'month' ? stamp.slice(0, 7) : stamp.slice(5, 10);
}

/** "40 ▲ +10 (previous 30); 42 ±9.1 (n = 120)": the comparison, then this period's n and 95% margin. */
function surveyLine(p: Pair, e: Estimate, unit: Unit, currency: string, minAnswers: number, suffix = ''): string {
  return `${compare(p, unit, currency)}; this period ${describeEstimate(e, minAnswers, suffix)}`;
}

function apart(list: Money[], currency: string, fx: Record<string, number>): string {
  return list.map((u) => `; also ${formatMoney(u.minor, u.currency)} not converted: no ${fx[u.currency] === undefined ? u.currency : currency} rate`).join('');
}

function loyaltyLines(l: LoyaltyFigures | null, currency: string): string {
  if (!l) return LOYALTY_OFF;
  return [`issued: ${compare(l.issued, 'count', currency)}`, `redeemed: ${compare(l.redeemed, 'count', currency)}`, `active members: ${compare(l.activeMembers, 'count', currency)}`].join('\n');
}

export function renderDigest(d: DigestData, loyalty: LoyaltyFigures | null, o: RenderOptions): Reply {
  const cur = o.currency;
  const money = (m: number) => formatMoney(m, cur);
  const m = d.mentions;
  const mentionTotal = m.current.negative + m.current.neutral + m.current.positive;
  const latest = m.latestNegative
    ? `latest negative: "${m.latestNegative.text.replace(/^negative: /, '').slice(0, 200)}" (${m.latestNegative.customer ?? 'no customer record'}, ${localStamp(m.latestNegative.occurredAt, o.timezone)})`
    : 'no negative mentions in the period';
  const fields: Field[] = [
    { label: 'New customers', value: compare(d.newCustomers, 'count', cur) },
    { label: 'Active customers', value: compare(d.activeCustomers, 'count', cur) },
    { label: 'Retention rate', value: compare(d.retention, 'percent', cur) },
    { label: 'Churn rate', value: compare(d.churn, 'percent', cur) },
    { label: 'NPS', value: `${surveyLine(d.nps, d.estimates.nps, 'score', cur, o.minAnswers)}; ${d.npsResponses.value} responses (previous ${d.npsResponses.previous})` },
    { label: 'CSAT', value: surveyLine(d.csat, d.estimates.csat, 'share', cur, o.minAnswers, '%') },
    { label: 'CES', value: surveyLine(d.ces, d.estimates.ces, 'score', cur, o.minAnswers) },
    { label: 'Revenue won', value: `${compare(d.revenueWon, 'money', cur)}${apart(d.unconverted.revenueWon, cur, o.fx)}` },
    { label: 'Win rate', value: compare(d.winRate, 'percent', cur) },
    { label: 'Average deal size', value: compare(d.averageDeal, 'money', cur) },
    { label: 'Sales cycle', value: compare(d.salesCycleDays, 'days', cur) },
    {
      label: 'Pipeline by stage',
      value: [
        ...d.pipeline.stages.map((s) => `${s.stage}: ${s.count} deals, ${money(s.totalMinor)} (weighted ${money(s.weightedMinor)})`),
        `open: ${d.pipeline.openCount} deals, ${money(d.pipeline.openTotalMinor)} (weighted ${money(d.pipeline.weightedTotalMinor)})${apart(d.unconverted.pipeline, cur, o.fx)}`,
      ].join('\n'),
    },
    {
      label: 'Weighted forecast',
      value: `${d.forecast.map((f) => `${f.month} ${money(f.weightedMinor)}${f.estimatedCount ? ` (${f.estimatedCount} estimated)` : ''}`).join('; ')}${d.forecastEstimated ? `; ${d.forecastEstimated} open deals without a close date forecast at creation + their stage's average cycle` : ''}`,
    },
    { label: 'CAC', value: compare(d.cac, 'money', cur) },
    { label: 'CLV', value: `${compare(d.clv, 'money', cur)}${apart(d.unconverted.yearRevenue, cur, o.fx)}` },
    { label: 'CLV/CAC', value: compare(d.clvToCac, 'ratio', cur) },
    { label: 'Lifecycle', value: Object.entries(d.lifecycle).map(([k, n]) => `${k} ${n}`).join(', ') },
    { label: 'RFM segments', value: d.segments.map((s) => `${s.segment} ${s.count}`).join(', ') || 'no purchases yet' },
    {
      label: 'RFM movement',
      value: d.segmentMoves
        ? `${d.segmentMoves} customers changed segment; ${d.topFlows.map((f) => `${f.from} -> ${f.to}: ${f.count}`).join('; ')}`
        : 'no customer changed segment',
    },
    {
      label: 'Mentions',
      value: mentionTotal || m.previousTotal
        ? `${compare({ value: mentionTotal, previous: m.previousTotal }, 'count', cur)}: ${m.current.negative} negative, ${m.current.neutral} neutral, ${m.current.positive} positive; ${latest}`
        : 'no mentions in the period',
    },
    { label: 'Loyalty points', value: loyaltyLines(loyalty, cur) },
    { label: 'Open complaints', value: String(d.openComplaints) },
    { label: 'Detractor follow-ups overdue', value: String(d.overdueFollowUps) },
    {
      label: 'Highest churn risk',
      value: d.churnRisks.map((c) => `${shortId('customer', c.customerId)} ${c.name}: ${c.score}/100 (${c.reasons.join('; ')})`).join('\n') || 'no purchasing customers yet',
    },
  ];
  const period = `${localStamp(d.from, o.timezone)} to ${localStamp(d.to, o.timezone)} ${o.timezone}`;
  return {
    text: `KPI digest${o.late ? ' (late)' : ''}, ${o.scope}: ${period}, compared with the ${o.kind} before.`,
    fields,
    buttons: [{ id: 'digest.explain', label: 'How is this computed?', value: o.kind }],
    image: digestChartUrl({
      locale: o.locale,
      title: o.locale === 'zh' ? `KPI 摘要（截至 ${localStamp(new Date(Date.parse(d.to) - 1).toISOString(), o.timezone).slice(0, 10)}）` : `KPI ${o.kind} to ${localStamp(new Date(Date.parse(d.to) - 1).toISOString(), o.timezone).slice(0, 10)}`,
      labels: d.bounds.slice(1).map((b) => chartLabel(b, o.kind, o.timezone)),
      nps: d.trend.nps,
      npsN: d.trend.npsN,
      npsLow: d.trend.npsLow,
      npsHigh: d.trend.npsHigh,
      minAnswers: o.minAnswers,
      revenueMinor: d.trend.revenueMinor,
      stages: d.pipeline.stages,
      money,
    }),
  };
}
