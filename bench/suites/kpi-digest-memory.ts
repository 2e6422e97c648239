import {
  mentionSentiment, parseSurveyAnswer, rfmScores, type Case, type Reporting, type Customer, type Deal, type Interaction, type TenantStore, type DealFilter,
} from '../../core/index.js';

/**
 * The naive baseline of the bench: every customer, interaction, deal and case loaded into memory and
 * the digest's aggregates computed with loops, behind the same repository shape computeDigest reads.
 */
export interface Book {
  customers: Customer[];
  interactions: Interaction[];
  deals: Deal[];
  cases: Case[];
  spend: { month: string; amountMinor: number }[];
}

const DAY = 86_400_000;
const back = (iso: string, days: number) => new Date(Date.parse(iso) - days * DAY).toISOString();
const bucketOf = (bounds: string[], at: string) => {
  if (at < bounds[0]! || at >= bounds.at(-1)!) return -1;
  let i = 0;
  while (bounds[i + 1]! <= at) i++;
  return i;
};

export function memoryStore(b: Book): TenantStore {
  const ownerOf = new Map(b.customers.map((c) => [c.id, c.owner]));
  const mine = (owner: string | null, customerId: number | null) => owner === null || (customerId !== null && ownerOf.get(customerId) === owner);
  const analytics = {
    dealCurrencies: async () => [...new Set(b.deals.map((d) => d.currency))].sort(),
    customersCreated: async (bounds: string[], owner: string | null) => {
      const perBucket = new Array<number>(bounds.length - 1).fill(0);
      let total = 0;
      for (const c of b.customers) {
        if (c.mergedInto !== null || c.createdAt >= bounds.at(-1)! || (owner !== null && c.owner !== owner)) continue;
        total++;
        const i = bucketOf(bounds, c.createdAt);
        if (i >= 0) perBucket[i]! += 1;
      }
      return { perBucket, total };
    },
    customerActivity: async (from: string, to: string, days: number, owner: string | null) => {
      const [startFrom, endFrom, yearFrom] = [back(from, days), back(to, days), back(to, 365)];
      const per = new Map<number, { active: boolean; start: boolean; end: boolean; first: string | null; buyer: boolean }>();
      const revenue = new Map<string | null, number>();
      for (const i of b.interactions) {
        if (i.customerId === null || i.occurredAt >= to || !mine(owner, i.customerId)) continue;
        let c = per.get(i.customerId);
        if (!c) per.set(i.customerId, (c = { active: false, start: false, end: false, first: null, buyer: false }));
        if (i.occurredAt >= from) c.active = true;
        if (i.type !== 'purchase') continue;
        if (i.occurredAt >= startFrom && i.occurredAt < from) c.start = true;
        if (i.occurredAt >= endFrom) c.end = true;
        if (c.first === null || i.occurredAt < c.first) c.first = i.occurredAt;
        if (i.occurredAt >= yearFrom) {
          revenue.set(i.currency, (revenue.get(i.currency) ?? 0) + (i.amountMinor ?? 0));
          c.buyer = true;
        }
      }
      const rows = [...per.values()];
      const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
      return {
        active: count((r) => r.active), baseAtStart: count((r) => r.start), baseAtEnd: count((r) => r.end),
        newBuyers: count((r) => r.first !== null && r.first >= from), yearRevenue: [...revenue].filter(([, m]) => m !== 0).map(([currency, minor]) => ({ currency, minor })).sort((x, y) => (x.currency ?? '').localeCompare(y.currency ?? '')), yearBuyers: count((r) => r.buyer),
      };
    },
    purchaseFacts: async (asOf: string, owner: string | null) => {
      const per = new Map<number, { customerId: number; firstPurchaseAt: string | null; lastPurchaseAt: string | null; lastInteractionAt: string | null }>();
      for (const i of b.interactions) {
        if (i.customerId === null || i.occurredAt >= asOf || !mine(owner, i.customerId)) continue;
        let c = per.get(i.customerId);
        if (!c) per.set(i.customerId, (c = { customerId: i.customerId, firstPurchaseAt: null, lastPurchaseAt: null, lastInteractionAt: null }));
        if (i.type === 'purchase') {
          if (c.firstPurchaseAt === null || i.occurredAt < c.firstPurchaseAt) c.firstPurchaseAt = i.occurredAt;
          if (c.lastPurchaseAt === null || i.occurredAt > c.lastPurchaseAt) c.lastPurchaseAt = i.occurredAt;
        } else if (c.lastInteractionAt === null || i.occurredAt > c.lastInteractionAt) c.lastInteractionAt = i.occurredAt;
      }
      return [...per.values()].filter((c) => c.firstPurchaseAt !== null).sort((x, y) => x.customerId - y.customerId) as
        { customerId: number; firstPurchaseAt: string; lastPurchaseAt: string; lastInteractionAt: string | null }[];
    },
    surveyScores: async (bounds: string[], owner: string | null) => {
      const counts = new Map<string, { bucket: number; kind: 'nps' | 'csat' | 'ces'; score: number; count: number }>();
      for (const i of b.interactions) {
        if (i.type !== 'survey_response' || !mine(owner, i.customerId)) continue;
        const bucket = bucketOf(bounds, i.occurredAt);
        const a = parseSurveyAnswer(i.text);
        if (bucket < 0 || !a) continue;
        const key = `${bucket} ${a.kind} ${a.score}`;
        const c = counts.get(key) ?? { bucket, kind: a.kind, score: a.score, count: 0 };
        c.count++;
        counts.set(key, c);
      }
      return [...counts.values()];
    },
    mentionDigest: async (bounds: string[], owner: string | null) => {
      const perBucket = Array.from({ length: bounds.length - 1 }, () => ({ negative: 0, neutral: 0, positive: 0 }));
      let latest: Interaction | null = null;
      for (const i of b.interactions) {
        if (i.type !== 'mention' || !mine(owner, i.customerId)) continue;
        const bucket = bucketOf(bounds, i.occurredAt);
        const s = mentionSentiment(i.text);
        if (bucket < 0 || !s) continue;
        perBucket[bucket]![s]++;
        if (s === 'negative' && bucket === bounds.length - 2 && (!latest || i.occurredAt > latest.occurredAt || (i.occurredAt === latest.occurredAt && i.id > latest.id))) latest = i;
      }
      return { perBucket, latestNegative: latest ? { customerId: latest.customerId, text: latest.text, occurredAt: latest.occurredAt } : null };
    },
    closedPerBucket: async (bounds: string[], currency: string, owner: string | null) => {
      const out = Array.from({ length: bounds.length - 1 }, () => ({ won: 0, lost: 0, wonTotalMinor: 0, wonCycleDays: 0 }));
      for (const d of b.deals) {
        if (d.currency !== currency || d.closedAt === null || (owner !== null && d.owner !== owner)) continue;
        const i = bucketOf(bounds, d.closedAt);
        if (i < 0) continue;
        if (d.stage === 'lost') out[i]!.lost++;
        if (d.stage !== 'won') continue;
        out[i]!.won++;
        out[i]!.wonTotalMinor += d.amountMinor;
        out[i]!.wonCycleDays += (Date.parse(d.closedAt) - Date.parse(d.createdAt)) / DAY;
      }
      return out;
    },
    openDeals: async (currency: string, owner: string | null) => {
      const stages = new Map<string, { stage: string; count: number; totalMinor: number }>();
      for (const d of b.deals) {
        if (d.currency !== currency || d.closedAt !== null || (owner !== null && d.owner !== owner)) continue;
        const s = stages.get(d.stage) ?? { stage: d.stage, count: 0, totalMinor: 0 };
        s.count++;
        s.totalMinor += d.amountMinor;
        stages.set(d.stage, s);
      }
      return { stages: [...stages.values()].sort((x, y) => x.stage.localeCompare(y.stage)) };
    },
    rfm: async (asOf: string, money: Reporting) =>
      rfmScores(b.interactions.filter((i) => i.type === 'purchase' && i.customerId !== null).map((i) => ({ customerId: i.customerId!, at: i.occurredAt, amountMinor: i.amountMinor ?? 0, currency: i.currency })), asOf, money),
    rfmAt: async (asOfs: string[], money: Reporting) => Promise.all(asOfs.map((asOf) => analytics.rfm(asOf, money))),
    customerActivityAt: async (periods: { from: string; to: string }[], days: number, owner: string | null) =>
      Promise.all(periods.map((p) => analytics.customerActivity(p.from, p.to, days, owner))),
  };
  const byCustomer = new Map<number, Interaction[]>();
  for (const i of b.interactions) if (i.customerId !== null) (byCustomer.get(i.customerId) ?? byCustomer.set(i.customerId, []).get(i.customerId)!).push(i);
  const customers = new Map(b.customers.map((c) => [c.id, c]));
  return {
    analytics,
    cases: { listOpen: async () => b.cases.filter((k) => k.status === 'open') },
    deals: {
      list: async (f: DealFilter, limit: number) => b.deals
        .filter((d) => (f.owner === undefined || d.owner === f.owner) && (f.stage === undefined || d.stage === f.stage)
          && (f.customerId === undefined || d.customerId === f.customerId) && (f.open === undefined || (d.closedAt === null) === f.open))
        .sort((x, y) => y.id - x.id).slice(0, limit),
    },
    spend: { total: async (from: string, to: string) => b.spend.filter((s) => s.month >= from && s.month <= to).reduce((a, s) => a + s.amountMinor, 0) },
    customers: {
      get: async (id: number) => customers.get(id) ?? null,
      countCreatedBetween: async (from: string, to: string) => b.customers.filter((c) => c.mergedInto === null && c.createdAt >= from && c.createdAt < to).length,
    },
    interactions: {
      listForCustomer: async (id: number, limit: number) =>
        [...(byCustomer.get(id) ?? [])].sort((x, y) => y.occurredAt.localeCompare(x.occurredAt) || y.id - x.id).slice(0, limit),
    },
  } as unknown as TenantStore;
}
