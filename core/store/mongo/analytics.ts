import type { AnalyticsRepo, RfmRow, StageTotal } from '../port.js';
import * as digest from './digest-pipelines.js';
import { d, type Doc } from './codecs.js';
import { closedSincePipeline, pipelineByStage, readRfmAt, rfmAtPipeline, rfmPipeline } from './pipelines.js';
import type { Scope } from './scope.js';

/** Aggregates computed in the server by pure pipeline builders: RFM, the pipeline, the KPI digest. */
export function mongoAnalytics({ m, tenant }: Scope): AnalyticsRepo {
  /** The ids of the customers one rep owns (null: the whole company), so pipelines filter without a $lookup. */
  const book = async (owner: string | null): Promise<number[] | null> => {
    return owner === null ? null : ((await m.Customer.distinct('id', { tenant, owner: String(owner) })) as number[]);
  };
  const analytics: AnalyticsRepo = {
    rfm: async (asOf, money) => (await m.Interaction.aggregate(rfmPipeline(tenant, d(asOf), money.currency, money.fx) as any[])) as RfmRow[],
    rfmAt: async (asOfs, money) => asOfs.length === 0 ? [] :
      readRfmAt((await m.Interaction.aggregate(rfmAtPipeline(tenant, asOfs.map(d), money.currency, money.fx) as any[])) as (RfmRow & { at: number })[], asOfs.length),
    rfmFor: async (customerId, asOf, money) => {
      const rows = await analytics.rfm(asOf, money);
      return rows.find((r) => r.customerId === customerId) ?? null;
    },
    dealCurrencies: async () => ((await m.Deal.distinct('currency', { tenant })) as string[]).sort(),
    pipeline: async (currency) => (await m.Deal.aggregate(pipelineByStage(tenant, currency) as any[])) as StageTotal[],
    closedSince: async (since, currency) => {
      const [r] = (await m.Deal.aggregate(closedSincePipeline(tenant, currency, d(since)) as any[])) as Doc[];
      return r
        ? { won: Number(r.won), lost: Number(r.lost), wonTotalMinor: Number(r.wonTotalMinor), wonCycleDays: Number(r.wonCycleDays) }
        : { won: 0, lost: 0, wonTotalMinor: 0, wonCycleDays: 0 };
    },
    customersCreated: async (bounds, owner) => {
      const b = bounds.map(d);
      return digest.readCustomersCreated(await m.Customer.aggregate(digest.customersCreatedPipeline(tenant, b, owner) as any[]), b);
    },
    customerActivity: async (from, to, days, owner) =>
      digest.readCustomerActivity(await m.Interaction.aggregate(digest.customerActivityPipeline(tenant, digest.activityWindow(from, to, days), await book(owner)) as any[])),
    customerActivityAt: async (periods, days, owner) => periods.length === 0 ? [] :
      digest.readCustomerActivityAt(await m.Interaction.aggregate(digest.customerActivityAtPipeline(tenant,
        periods.map((p) => digest.activityWindow(p.from, p.to, days)), await book(owner)) as any[]), periods.length),
    purchaseFacts: async (asOf, owner) =>
      digest.readPurchaseFacts(await m.Interaction.aggregate(digest.purchaseFactsPipeline(tenant, d(asOf), await book(owner)) as any[])),
    surveyScores: async (bounds, owner, survey) =>
      digest.readSurveyScores(await m.Interaction.aggregate(digest.surveyScoresPipeline(tenant, bounds.map(d), await book(owner), survey ?? null) as any[])),
    mentionDigest: async (bounds, owner) => {
      const b = bounds.map(d);
      return digest.readMentionDigest(await m.Interaction.aggregate(digest.mentionDigestPipeline(tenant, b, await book(owner)) as any[]), b);
    },
    closedPerBucket: async (bounds, currency, owner) => {
      const b = bounds.map(d);
      return digest.readClosedPerBucket(await m.Deal.aggregate(digest.closedPerBucketPipeline(tenant, b, currency, owner) as any[]), b);
    },
    openDeals: async (currency, owner) =>
      digest.readOpenDeals(await m.Deal.aggregate(digest.openDealsPipeline(tenant, currency, owner) as any[])),
  };
  return analytics;
}
