import type { CoreEvents, LedgerEntry } from '../../core/plugin-api.js';
import { audienceLabel } from './audience.js';
import type { Env } from './fanout.js';
import { pairId, type Campaign } from './store.js';

/**
 * The demo's surveys as records of this plugin: a finished campaign to everyone per demo survey, each answerer
 * a recipient who answered (counted as sent once, like fan-out counts), and their answer with its reason. The
 * answers' survey_response interactions are the core demo's, keyed by surveyAnswerSource, so `/survey results`,
 * `/survey list` and the digest count the same answers. A survey id already taken is left alone.
 */
export async function recordDemoSurveys(e: Env, p: CoreEvents['demo.loaded']): Promise<string[]> {
  const created: string[] = [];
  for (const s of p.surveys) {
    const audience = { type: 'everyone' } as const;
    const c: Campaign = {
      id: s.id, seq: Number(s.id.slice(2)), kind: s.kind, audience, audienceLabel: audienceLabel(audience), status: 'done', at: s.startedAt,
      createdAt: s.startedAt, createdBy: p.by, startedAt: s.startedAt, finishedAt: s.finishedAt,
      lastCustomerId: Math.max(0, ...s.answers.map((a) => a.customerId)), walked: true,
    };
    if (!(await e.r.campaigns.insertIfAbsent(c))) continue;
    created.push(c.id);
    for (const a of s.answers) {
      const id = pairId(c.id, a.customerId);
      await e.r.recipients.put({ id, campaignId: c.id, customerId: a.customerId, identity: a.identity, platform: 'web', status: 'answered', dueAt: null, sentAt: s.startedAt });
      await e.r.answers.put({ id, campaignId: c.id, kind: c.kind, customerId: a.customerId, score: a.score, why: a.why, answeredAt: a.answeredAt, version: 1 });
      const sent: LedgerEntry = { key: `decide:${c.id}:${a.customerId}`, account: `${c.id}:sent`, delta: 1, kind: 'fanout', at: s.startedAt, data: {} };
      await e.r.counts.append([sent]);
    }
  }
  return created;
}
