import {
  averageConvertedDeal, averageSalesCycleDays, cac, ces, cesEstimate, churnRate, churnRisk, closedInReporting, clvToCac, csat, csatEstimate,
  dealForecast, lifecycleStage, mentionSentiment, nps, npsEstimate, parseSurveyAnswer, perCurrency, pipelineSummary, predictiveClv,
  retentionRate, rfmSegment, stageTotalsInReporting, totalIn, winRate,
  type ClosedStats, type Estimate, type Lifecycle, type Money, type PipelineSummary, type TenantSettings, type CoreReads,
} from '../../../core/plugin-api.js';
import { periodBounds, type PeriodKind } from '../schedule/cadence.js';
import { localTime } from '../schedule/zoned.js';
import { firstK } from './first-k.js';

/** Every number of one digest, each from a store aggregate and a CRM-METHOD formula of the core. */
export interface DigestRequest {
  kind: PeriodKind;
  /** End of the reported period (exclusive), ms. */
  to: number;
  timezone: string;
  /** A rep's book, or null for the company view. */
  owner: string | null;
  /** The real "now", for overdue follow-ups. */
  now: string;
}

export interface Pair {
  value: number | null;
  previous: number | null;
}

export interface ChurnCandidate {
  customerId: number;
  name: string;
  score: number;
  reasons: string[];
}

export interface DigestData {
  bounds: string[];
  from: string;
  to: string;
  newCustomers: Pair;
  activeCustomers: Pair;
  retention: Pair;
  churn: Pair;
  nps: Pair;
  npsResponses: Pair;
  csat: Pair;
  ces: Pair;
  revenueWon: Pair;
  winRate: Pair;
  averageDeal: Pair;
  salesCycleDays: Pair;
  cac: Pair;
  clv: Pair;
  clvToCac: Pair;
  /** This period's survey figures with n and a 95% interval; tooFew under config kpi.minAnswers. */
  estimates: { nps: Estimate; csat: Estimate; ces: Estimate };
  pipeline: PipelineSummary;
  /** Amounts in a currency without an fx rate: revenue won this period, open pipeline and the CLV's year of revenue, kept apart. */
  unconverted: { revenueWon: Money[]; pipeline: Money[]; yearRevenue: Money[] };
  forecast: { month: string; weightedMinor: number; estimatedCount: number }[];
  /** Open deals whose forecast close date was estimated (no expected close date). */
  forecastEstimated: number;
  lifecycle: Record<Lifecycle, number>;
  segments: { segment: string; count: number }[];
  segmentMoves: number;
  topFlows: { from: string; to: string; count: number }[];
  mentions: { current: { negative: number; neutral: number; positive: number }; previousTotal: number; latestNegative: { customer: string | null; text: string; occurredAt: string } | null };
  openComplaints: number;
  overdueFollowUps: number;
  churnRisks: ChurnCandidate[];
  trend: { nps: (number | null)[]; npsN: number[]; npsLow: (number | null)[]; npsHigh: (number | null)[]; revenueMinor: number[] };
}

const PERIODS = 12;
const CHURN_CANDIDATES = 50;
const HISTORY_LIMIT = 500;

type Facts = Awaited<ReturnType<CoreReads['analytics']['purchaseFacts']>>;

/**
 * Customers whose first purchase falls in [from, to): the store's `newBuyers` for that window, read from purchase
 * facts as of `to` or later (a first purchase before `to` is the first one before any later instant too).
 */
export const firstPurchasesIn = (facts: Facts, from: string, to: string) => facts.filter((f) => f.firstPurchaseAt >= from && f.firstPurchaseAt < to).length;

/** CAC over the twelve calendar months (UTC) ending with the one holding the period's last instant, per new paying customer of the company. */
async function trailingCac(store: CoreReads, to: string, companyFacts: Facts): Promise<number | null> {
  const last = new Date(Date.parse(to) - 1);
  const first = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - 11, 1));
  const spend = await store.spend.total(first.toISOString().slice(0, 7), last.toISOString().slice(0, 7));
  return cac(spend, firstPurchasesIn(companyFacts, first.toISOString(), to));
}

function scoresByBucket(rows: { bucket: number; kind: string; score: number; count: number }[], kind: string, buckets: number): number[][] {
  const out = Array.from({ length: buckets }, () => [] as number[]);
  for (const r of rows) if (r.kind === kind) for (let i = 0; i < r.count; i++) out[r.bucket]!.push(r.score);
  return out;
}

const pair = <T>(now: T, prev: T, f: (x: T) => number | null): Pair => ({ value: f(now), previous: f(prev) });

export async function computeDigest(store: CoreReads, settings: TenantSettings, req: DigestRequest): Promise<DigestData> {
  const a = store.analytics;
  const bounds = periodBounds(req.to, req.kind, PERIODS, req.timezone);
  const [prevFrom, from, to] = [bounds[PERIODS - 2]!, bounds[PERIODS - 1]!, bounds[PERIODS]!];
  const { kpi, currency, fx } = settings;
  const local = localTime(Date.parse(to) - 1, req.timezone);
  const months = [0, 1, 2].map((k) => new Date(Date.UTC(local.year, local.month - 1 + k, 1)).toISOString().slice(0, 7));
  // RFM asked first: a store that reads on other threads (SQLite's read threads) works on the heavy reads while this
  // one reads the light ones and the deals for the forecast.
  const [rfms, created, acts, facts, surveys, mentions, closedRows, openRows, cases, forecast] = await Promise.all([
    a.rfmAt([to, from], settings),
    a.customersCreated(bounds, req.owner),
    a.customerActivityAt([{ from, to }, { from: prevFrom, to: from }], kpi.churnWindowDays, req.owner),
    a.purchaseFacts(to, req.owner),
    a.surveyScores(bounds, req.owner),
    a.mentionDigest(bounds, req.owner),
    perCurrency(store, currency, (c) => a.closedPerBucket(bounds, c, req.owner)),
    perCurrency(store, currency, (c) => a.openDeals(c, req.owner)),
    store.cases.listOpen(),
    dealForecast(store, settings, months, to, req.owner),
  ]);
  const [rfmNow, rfmPrev] = [rfms[0]!, rfms[1]!];
  const [actNow, actPrev] = [acts[0]!, acts[1]!];
  // One read of purchase facts serves lifecycle and both CACs; a rep's digest reads the company's once more.
  const companyFacts = req.owner === null ? facts : await a.purchaseFacts(to, null);
  const [cacNow, cacPrev] = await Promise.all([trailingCac(store, to, companyFacts), trailingCac(store, from, companyFacts)]);
  // Every currency counted: per bucket, won deals of all currencies in the reporting currency (CRM-METHOD, Value).
  const closed = bounds.slice(1).map((_, i) => closedInReporting(closedRows.map((x) => ({ currency: x.currency, stats: x.value[i]! })), currency, fx));
  const wonApart = (i: number) => closedRows.filter((x) => closed[i]!.unconverted.some((u) => u.currency === x.currency)).reduce((n, x) => n + x.value[i]!.won, 0);
  const stages = stageTotalsInReporting(openRows.map((o) => ({ currency: o.currency, rows: o.value.stages })), currency, fx);
  const [cur, prev] = [PERIODS - 1, PERIODS - 2];

  const npsScores = scoresByBucket(surveys, 'nps', PERIODS);
  const csatScores = scoresByBucket(surveys, 'csat', PERIODS);
  const cesScores = scoresByBucket(surveys, 'ces', PERIODS);
  const retention = (x: typeof actNow) => retentionRate(x.baseAtStart, x.baseAtEnd, x.newBuyers);
  const closedPair = (f: (c: ClosedStats) => number | null) => pair(closed[cur]!, closed[prev]!, f);
  // Annual revenue per purchasing customer: purchase revenue of the last 365 days, every currency converted (a
  // currency without a rate is kept apart and shown beside CLV), / customers who bought in them.
  const yearRevenue = (x: typeof actNow) => totalIn(x.yearRevenue.map((y) => ({ currency: y.currency ?? currency, minor: y.minor })), currency, fx);
  const clv = (x: typeof actNow, c: number | null) =>
    x.yearBuyers ? predictiveClv(Math.round(yearRevenue(x).minor / x.yearBuyers), kpi.grossMargin, kpi.expectedLifetimeYears, c) : null;
  const [clvNow, clvPrev] = [clv(actNow, cacNow), clv(actPrev, cacPrev)];

  const lifecycle: Record<Lifecycle, number> = { lead: 0, new: 0, active: 0, at_risk: 0, churned: 0 };
  for (const f of facts) lifecycle[lifecycleStage(f, to, kpi)] += 1;
  lifecycle.lead = Math.max(0, created.total - facts.length);

  // A rep's RFM rows are their purchasing customers, scored against the whole base.
  const mine = req.owner === null ? null : new Set(facts.map((f) => f.customerId));
  const inBook = (id: number) => mine === null || mine.has(id);
  // Each book customer's segment now, counted, and compared with the one they had at the period's start.
  const segPrev = new Map<number, string>();
  for (const r of rfmPrev) if (inBook(r.customerId)) segPrev.set(r.customerId, rfmSegment(r.r, r.f, r.m));
  const segCounts = new Map<string, number>();
  const flows = new Map<string, number>();
  for (const r of rfmNow) {
    if (!inBook(r.customerId)) continue;
    const s = rfmSegment(r.r, r.f, r.m);
    segCounts.set(s, (segCounts.get(s) ?? 0) + 1);
    const before = segPrev.get(r.customerId);
    if (before && before !== s) flows.set(`${before}\u0000${s}`, (flows.get(`${before}\u0000${s}`) ?? 0) + 1);
  }
  const topFlows = [...flows].map(([k, count]) => ({ from: k.split('\u0000')[0]!, to: k.split('\u0000')[1]!, count }))
    .sort((x, y) => y.count - x.count || `${x.from}${x.to}`.localeCompare(`${y.from}${y.to}`)).slice(0, 3);

  const caseOf = (kind: string) => cases.filter((k) => k.kind === kind && (req.owner === null || k.owner === req.owner));
  const candidates = firstK(rfmNow.filter((r) => inBook(r.customerId)), CHURN_CANDIDATES, (x, y) => y.recencyDays - x.recencyDays || x.customerId - y.customerId);
  const complaints = caseOf('complaint');
  const risks = await Promise.all(candidates.map(async (r) => {
    const history = (await store.interactions.listForCustomer(r.customerId, HISTORY_LIMIT)).filter((i) => i.occurredAt < to);
    const lastNps = history.map((i) => (i.type === 'survey_response' ? parseSurveyAnswer(i.text) : null)).find((x) => x?.kind === 'nps');
    const risk = churnRisk({
      asOf: to, churnWindowDays: kpi.churnWindowDays, lastNps: lastNps?.score ?? null,
      purchaseDates: history.filter((i) => i.type === 'purchase').map((i) => i.occurredAt),
      openComplaints: cases.filter((k) => k.kind === 'complaint' && k.customerId === r.customerId).length,
      negativeMentions: history.filter((i) => i.type === 'mention' && mentionSentiment(i.text) === 'negative').length,
    });
    return { customerId: r.customerId, ...risk };
  }));
  const top = risks.sort((x, y) => y.score - x.score || x.customerId - y.customerId).slice(0, 5);
  const churnRisks = await Promise.all(top.map(async (t) => ({ ...t, name: (await store.customers.get(t.customerId))?.name ?? '?' })));

  const neg = mentions.latestNegative;
  const total = (m: { negative: number; neutral: number; positive: number }) => m.negative + m.neutral + m.positive;
  return {
    bounds, from, to,
    newCustomers: { value: created.perBucket[cur]!, previous: created.perBucket[prev]! },
    activeCustomers: pair(actNow, actPrev, (x) => x.active),
    retention: pair(actNow, actPrev, retention),
    churn: pair(actNow, actPrev, (x) => churnRate(x.baseAtStart, x.baseAtEnd, x.newBuyers)),
    nps: pair(npsScores[cur]!, npsScores[prev]!, (s) => nps(s).nps),
    npsResponses: pair(npsScores[cur]!, npsScores[prev]!, (s) => s.length),
    csat: pair(csatScores[cur]!, csatScores[prev]!, csat),
    ces: pair(cesScores[cur]!, cesScores[prev]!, ces),
    revenueWon: closedPair((c) => c.wonTotalMinor),
    winRate: closedPair(winRate),
    averageDeal: { value: averageConvertedDeal(closed[cur]!.wonTotalMinor, closed[cur]!.won, wonApart(cur)), previous: averageConvertedDeal(closed[prev]!.wonTotalMinor, closed[prev]!.won, wonApart(prev)) },
    salesCycleDays: closedPair(averageSalesCycleDays),
    cac: { value: cacNow, previous: cacPrev },
    clv: { value: clvNow, previous: clvPrev },
    clvToCac: { value: clvNow === null ? null : clvToCac(clvNow, cacNow), previous: clvPrev === null ? null : clvToCac(clvPrev, cacPrev) },
    estimates: { nps: npsEstimate(npsScores[cur]!, kpi.minAnswers), csat: csatEstimate(csatScores[cur]!, kpi.minAnswers), ces: cesEstimate(cesScores[cur]!, kpi.minAnswers) },
    pipeline: pipelineSummary(stages.rows, settings.stages),
    unconverted: { revenueWon: closed[cur]!.unconverted, pipeline: stages.unconverted.map((u) => ({ currency: u.currency, minor: u.minor })), yearRevenue: yearRevenue(actNow).unconverted },
    forecast: forecast.months.map((f) => ({ month: f.month, weightedMinor: f.weightedMinor, estimatedCount: f.estimatedCount })),
    forecastEstimated: forecast.estimated,
    lifecycle,
    segments: [...segCounts].map(([segment, count]) => ({ segment, count })).sort((x, y) => y.count - x.count || x.segment.localeCompare(y.segment)),
    segmentMoves: [...flows.values()].reduce((s, n) => s + n, 0),
    topFlows,
    mentions: {
      current: mentions.perBucket[cur]!,
      previousTotal: total(mentions.perBucket[prev]!),
      latestNegative: neg ? { customer: neg.customerId === null ? null : (await store.customers.get(neg.customerId))?.name ?? '?', text: neg.text, occurredAt: neg.occurredAt } : null,
    },
    openComplaints: complaints.length,
    overdueFollowUps: caseOf('detractor_followup').filter((k) => k.dueAt !== null && k.dueAt < req.now).length,
    churnRisks,
    trend: {
      nps: npsScores.map((s) => nps(s).nps), npsN: npsScores.map((s) => s.length),
      npsLow: npsScores.map((s) => nps(s).low), npsHigh: npsScores.map((s) => nps(s).high), revenueMinor: closed.map((c) => c.wonTotalMinor),
    },
  };
}
