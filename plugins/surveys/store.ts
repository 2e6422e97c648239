import { docsOf, ledgerOf, openCollections, type Opened, type Platform, type SurveyKind } from '../../core/plugin-api.js';
import type { Audience } from './audience.js';
import type { Config as SurveyConfig } from './manifest.js';
import type { Ctx } from './manifest.js';

export interface Campaign {
  id: string;
  seq: number;
  kind: SurveyKind;
  audience: Audience;
  audienceLabel: string;
  status: 'scheduled' | 'sending' | 'done';
  /** When fan-out may start. */
  at: string;
  createdAt: string;
  createdBy: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Fan-out cursor: every customer with a lower or equal id has been decided. */
  lastCustomerId: number;
  /** True once the cursor has passed the last customer (people in quiet hours may still be waiting). */
  walked: boolean;
  /** What created it (`event <platform>:<id>` of a command, `trigger <key>`), so doing that again finds it; absent on older ones. */
  source?: string | null;
}

/** A person a campaign reached (or will, after quiet hours). Other outcomes are only counted. */
export interface Recipient {
  id: string;
  campaignId: string;
  customerId: number;
  identity: string;
  platform: Platform;
  status: 'waiting' | 'sent' | 'reminded' | 'channel' | 'answered';
  /** For `waiting`: when the person's quiet hours end. */
  dueAt: string | null;
  sentAt: string | null;
}

/** Read by the KPI digest: keep this shape. The latest score and reason; `version` counts the changes. */
export interface Answer {
  id: string;
  campaignId: string;
  kind: SurveyKind;
  customerId: number;
  score: number;
  why: string | null;
  answeredAt: string;
  version: number;
}

export interface LastSurveyed {
  id: string;
  customerId: number;
  campaignId: string;
  at: string;
}

export interface FollowUp {
  id: string;
  campaignId: string;
  customerId: number;
  kind: SurveyKind;
  score: number;
  caseId: number | null;
  owner: string | null;
  openedAt: string;
  dueAt: string;
  closedAt: string | null;
  hoursToFollowUp: number | null;
  /** When the owner was told the case is overdue (absent on older cases: not yet told). */
  overdueToldAt?: string | null;
}

/**
 * The one decision about one person in one campaign, written with insertIfAbsent before anything else: whichever
 * process writes it first decides, and every other process (or a redo after a crash) follows it. Nothing is deleted.
 */
export interface Decided {
  id: string;
  campaignId: string;
  customerId: number;
  outcome: Outcome;
  /** The recipient record to create when the person gets (or will get) the survey. */
  recipient: Recipient | null;
  /** A Discord DM that counts against the day's cap. */
  discordDm: boolean;
}

/** Guards that make event triggers run once (a deal won twice still schedules one survey). */
export interface TriggerMark {
  id: string;
  campaignId: string;
  at: string;
}

export type { Ctx };

/** Fan-out outcomes, counted exactly once per (campaign, customer) in the `counts` ledger. */
export const OUTCOMES = ['sent', 'waiting', 'channel', 'unreachable', 'optedOut', 'recent'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const REPOS = {
  campaigns: docsOf<Campaign>(), recipients: docsOf<Recipient>(), answers: docsOf<Answer>(), lastSurveyed: docsOf<LastSurveyed>(),
  followups: docsOf<FollowUp>(), triggers: docsOf<TriggerMark>(), decisions: docsOf<Decided>(),
  counts: ledgerOf,
  /** Claims of campaign pages, one per (campaign, cursor, minute): a one-minute lease no process has to release. */
  steps: ledgerOf,
};
export type Repos = Opened<typeof REPOS>;

export function repos(ctx: Ctx, tenant: string): Repos {
  return openCollections(ctx, tenant, REPOS);
}

export const pairId = (campaignId: string, customerId: number) => `${campaignId}:${customerId}`;
export const lastSurveyedId = (customerId: number) => `lastSurveyed:${customerId}`;
export const surveyKey = (campaignId: string, customerId: number) => `survey:${campaignId}:${customerId}`;
export const reminderKey = (campaignId: string, customerId: number) => `survey-reminder:${campaignId}:${customerId}`;

export function parseCampaignId(text: string): string | null {
  const m = /^S-(\d{1,9})$/i.exec(text.trim());
  return m ? `S-${Number(m[1])}` : null;
}

/**
 * Next S-n: the highest seq + 1, taken with insertIfAbsent so two creators never share an id. A draft with a
 * source that already created a campaign (a command replayed after its process died) gets that campaign back.
 */
export async function createCampaign(r: Repos, draft: Omit<Campaign, 'id' | 'seq'>): Promise<Campaign> {
  const [earlier] = draft.source ? await r.campaigns.find({ source: draft.source }, { limit: 1 }) : [];
  if (earlier) return earlier;
  for (;;) {
    const [last] = await r.campaigns.find({}, { orderBy: 'seq', desc: true, limit: 1 });
    const seq = (last?.seq ?? 0) + 1;
    const c: Campaign = { ...draft, id: `S-${seq}`, seq };
    if (await r.campaigns.insertIfAbsent(c)) return c;
  }
}

export async function outcomeCounts(r: Repos, campaignId: string): Promise<Record<Outcome | 'reminded', number>> {
  const names = [...OUTCOMES, 'reminded'] as const;
  const values = await Promise.all(names.map((o) => r.counts.balance(`${campaignId}:${o}`)));
  return Object.fromEntries(names.map((o, i) => [o, values[i]!])) as Record<Outcome | 'reminded', number>;
}
