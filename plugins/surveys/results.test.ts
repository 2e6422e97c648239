import { describe, expect, it } from 'vitest';
import { headline, resultsReply, type ResultsInput } from './results.js';
import type { Campaign } from './store.js';

const campaign: Campaign = {
  id: 'S-2', seq: 2, kind: 'nps', audience: { type: 'everyone' }, audienceLabel: 'everyone', status: 'done', at: '2026-05-01T09:00:00.000Z',
  createdAt: '2026-05-01T09:00:00.000Z', createdBy: 'web:mona', startedAt: '2026-05-01T09:00:00.000Z', finishedAt: '2026-05-01T09:01:00.000Z',
  lastCustomerId: 20, walked: true,
};
const input: ResultsInput = {
  campaign,
  counts: { sent: 12, waiting: 0, channel: 0, unreachable: 2, optedOut: 1, recent: 3, reminded: 4 },
  delivered: 11,
  scores: [9, 10, 9, 10, 9, 7, 8, 7, 3, 6],
  whys: ['fast delivery', 'slow delivery'],
  previous: { id: 'S-1', value: 20 },
  followups: [
    { id: 'a', campaignId: 'S-2', customerId: 1, kind: 'nps', score: 3, caseId: 1, owner: null, openedAt: '2026-05-01T10:00:00Z', dueAt: '2026-05-03T10:00:00Z', closedAt: '2026-05-01T15:00:00Z', hoursToFollowUp: 5 },
    { id: 'b', campaignId: 'S-2', customerId: 2, kind: 'nps', score: 6, caseId: 2, owner: null, openedAt: '2026-05-01T10:00:00Z', dueAt: '2026-05-03T10:00:00Z', closedAt: null, hoursToFollowUp: null },
  ],
  minDaysBetweenSurveys: 30,
  minAnswers: 30,
};
const fields = (x: ResultsInput) => Object.fromEntries(resultsReply(x).fields!.map((f) => [f.label, f.value]));

describe('results', () => {
  it.each([
    ['nps', [9, 10, 7, 3], 25], ['csat', [5, 4, 3, 1], 50], ['ces', [1, 2, 6], 3], ['nps', [], null],
  ] as const)('%s headline of %j is %s', (kind, scores, expected) => {
    expect(headline(kind, [...scores])).toBe(expected);
  });

  it('shows every figure of a campaign', () => {
    expect(resultsReply(input).text).toBe('Survey S-2 (NPS) to everyone: 10 answered of 12 reached.');
    expect(fields(input)).toEqual({
      Status: 'done 2026-05-01 09:01 UTC',
      Sent: '12 queued as direct messages',
      'Not sent': '2 not reachable, 1 opted out, 3 surveyed in the last 30 days',
      Delivered: '11 of 12',
      Reminders: '4',
      Answered: '10 (response rate 83.3%)',
      // Adjusted Wald: P = 5.75/13, D = 2.75/13; 1.96 * sqrt((P + D - (P - D)^2) / 13) * 100 = 42.1; centre 23.1.
      NPS: '30 (n = 10: 5 promoters, 3 passives, 2 detractors; margin of error ±42.1 points at 95%, interval -19.1 to 65.2; too few answers, under 30)',
      'Top themes': 'delivery (2), fast (1), slow (1)',
      Trend: '+10.0 points vs S-1 (20)',
      'Follow-ups': '2 opened, 1 closed (5 h on average to follow up; 1 of 1 on time), 1 open',
    });
  });

  it.each([
    [{ ...input, delivered: null }, 'Delivered', 'queued (over 1,000 recipients: not checked one by one)'],
    [{ ...input, previous: null }, 'Trend', 'first NPS survey'],
    [{ ...input, scores: [] }, 'NPS', 'no answers yet (n = 0)'],
    [{ ...input, campaign: { ...campaign, kind: 'csat' as const }, scores: [5, 4, 2, 1], previous: { id: 'S-1', value: 75 } }, 'Trend', '-25.0 percentage points vs S-1 (75)'],
    [{ ...input, campaign: { ...campaign, kind: 'ces' as const }, scores: [2, 3] }, 'CES', '2.5 ±2.58 (n = 2; too few answers, under 30) average effort (1 = very easy, 7 = very difficult; margin at 95%)'],
    [{ ...input, counts: { ...input.counts, channel: 40, waiting: 2 } }, 'Sent', '12 queued as direct messages; 40 covered by one Discord channel post; 2 waiting for their quiet hours to end'],
    [{ ...input, followups: [] }, 'Follow-ups', 'none needed'],
  ])('%#: %s', (x, label, value) => {
    expect(fields(x)[label]).toBe(value);
  });
});
