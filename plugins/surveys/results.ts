import { ces, cesEstimate, csat, csatEstimate, describeEstimate, nps, type Field, type Reply, type SurveyKind } from '../../core/plugin-api.js';
import { SCALES } from './scales.js';
import type { Campaign, FollowUp, Outcome } from './store.js';
import { topThemes } from './themes.js';

export interface ResultsInput {
  campaign: Campaign;
  counts: Record<Outcome | 'reminded', number>;
  /** Null when there were too many recipients to check one by one. */
  delivered: number | null;
  scores: number[];
  whys: string[];
  previous: { id: string; value: number | null } | null;
  followups: FollowUp[];
  minDaysBetweenSurveys: number;
  /** Under this many answers a figure says "too few answers" (config `kpi.minAnswers`). */
  minAnswers: number;
}

/** The campaign's headline number: NPS, CSAT % or average CES. */
export function headline(kind: SurveyKind, scores: number[]): number | null {
  return kind === 'nps' ? nps(scores).nps : kind === 'csat' ? csat(scores) : ces(scores);
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const n = (x: number) => x.toLocaleString('en-US');
const signed = (x: number, digits: number) => `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;

/** Every figure with its n and 95% margin (CRM-METHOD: NPS, CSAT, CES), "too few answers" under the minimum. */
function scoreField(kind: SurveyKind, scores: number[], minAnswers: number): Field {
  const tooFew = (n: number) => (n < minAnswers ? `; too few answers, under ${minAnswers}` : '');
  if (kind === 'nps') {
    const r = nps(scores);
    return {
      label: 'NPS',
      value: r.nps === null ? 'no answers yet (n = 0)'
        : `${r.nps} (n = ${n(r.responses)}: ${r.promoters} promoters, ${r.passives} passives, ${r.detractors} detractors; margin of error ±${r.marginOfError} points at 95%, interval ${r.low} to ${r.high}${tooFew(r.responses)})`,
    };
  }
  if (kind === 'csat') {
    const e = csatEstimate(scores, minAnswers);
    return { label: 'CSAT', value: e.value === null ? 'no answers yet (n = 0)' : `${describeEstimate(e, minAnswers, '%')} satisfied (share of 4s and 5s; margin at 95%)` };
  }
  const e = cesEstimate(scores, minAnswers);
  return { label: 'CES', value: e.value === null ? 'no answers yet (n = 0)' : `${describeEstimate(e, minAnswers)} average effort (1 = very easy, 7 = very difficult; margin at 95%)` };
}

function trendField(kind: SurveyKind, current: number | null, previous: ResultsInput['previous']): Field {
  const label = SCALES[kind].label;
  if (!previous) return { label: 'Trend', value: `first ${label} survey` };
  if (current === null || previous.value === null) return { label: 'Trend', value: `not comparable yet (${previous.id}: ${previous.value ?? 'no answers'})` };
  const delta = current - previous.value;
  const unit = kind === 'nps' ? ' points' : kind === 'csat' ? ' percentage points' : ' (lower is easier)';
  return { label: 'Trend', value: `${signed(delta, kind === 'ces' ? 2 : 1)}${unit} vs ${previous.id} (${previous.value})` };
}

function followUpField(list: FollowUp[]): Field {
  if (!list.length) return { label: 'Follow-ups', value: 'none needed' };
  const closed = list.filter((f) => f.closedAt);
  const onTime = closed.filter((f) => f.closedAt! <= f.dueAt).length;
  const avg = closed.length ? Math.round((closed.reduce((s, f) => s + f.hoursToFollowUp!, 0) / closed.length) * 10) / 10 : null;
  const timing = avg === null ? '' : ` (${avg} h on average to follow up; ${onTime} of ${closed.length} on time)`;
  return { label: 'Follow-ups', value: `${list.length} opened, ${closed.length} closed${timing}, ${list.length - closed.length} open` };
}

export function resultsReply(x: ResultsInput): Reply {
  const { campaign: c, counts } = x;
  const reached = counts.sent + counts.channel;
  const answered = x.scores.length;
  const current = headline(c.kind, x.scores);
  const themes = topThemes(x.whys);
  const sent = [`${n(counts.sent)} queued as direct messages`];
  if (counts.channel) sent.push(`${n(counts.channel)} covered by one Discord channel post`);
  if (counts.waiting) sent.push(`${n(counts.waiting)} waiting for their quiet hours to end`);
  return {
    text: `Survey ${c.id} (${SCALES[c.kind].label}) to ${c.audienceLabel}: ${n(answered)} answered of ${n(reached)} reached.`,
    fields: [
      { label: 'Status', value: c.status === 'scheduled' ? `scheduled for ${c.at.slice(0, 16).replace('T', ' ')} UTC` : c.status === 'sending' ? 'sending' : `done ${c.finishedAt!.slice(0, 16).replace('T', ' ')} UTC` },
      { label: 'Sent', value: sent.join('; ') },
      { label: 'Not sent', value: `${n(counts.unreachable)} not reachable, ${n(counts.optedOut)} opted out, ${n(counts.recent)} surveyed in the last ${x.minDaysBetweenSurveys} days` },
      { label: 'Delivered', value: x.delivered === null ? 'queued (over 1,000 recipients: not checked one by one)' : `${n(x.delivered)} of ${n(counts.sent)}` },
      { label: 'Reminders', value: n(counts.reminded) },
      { label: 'Answered', value: `${n(answered)} (response rate ${reached ? pct(answered / reached) : '-'})` },
      scoreField(c.kind, x.scores, x.minAnswers),
      { label: 'Top themes', value: themes.length ? themes.map((t) => `${t.term} (${t.count})`).join(', ') : 'no reasons given yet' },
      trendField(c.kind, current, x.previous),
      followUpField(x.followups),
    ],
  };
}
